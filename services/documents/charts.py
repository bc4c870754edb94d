"""The chart of the CAF's payments as a PNG picture: one bar per month, amounts in euros written
the French way, French month names.

matplotlib is imported on the first chart, not with this module: the chat starts without it.
The figure is drawn by the non-interactive Agg canvas directly, without pyplot: no display is
needed, and no global figure state is shared between the threads that run turns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.core.money import format_euros
from services.documents.texts import text, texts

WIDTH_INCHES = 8.0
HEIGHT_INCHES = 4.5
DPI = 100
BAR_COLOUR = "#1f5fa8"


@dataclass(frozen=True)
class ChartBar:
    month: date
    cents: int


def _figure() -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _euros_axis(value: float, _position: int) -> str:
    """Axis labels in whole euros ("1 250 €"); the bars' own labels keep the cents."""
    return format_euros(round(value) * 100).replace(",00", "")


def month_tick(month: date) -> str:
    return text(
        "payments_chart.month_tick",
        name=texts("payments_chart.short_months")[month.month - 1],
        year=month.year,
    )


def render_payments_chart(bars: Sequence[ChartBar], *, title: str) -> bytes:
    """A bar chart of `bars` (oldest month first) as PNG bytes."""
    from matplotlib.ticker import FuncFormatter

    figure = _figure()
    axes = figure.subplots()
    positions = range(len(bars))
    heights = [bar.cents / 100 for bar in bars]
    drawn = axes.bar(positions, heights, color=BAR_COLOUR, width=0.7)
    axes.bar_label(
        drawn,
        labels=[format_euros(bar.cents) for bar in bars],
        fontsize=7,
        padding=2,
        rotation=90 if len(bars) > 6 else 0,
    )
    axes.set_xticks(list(positions), [month_tick(bar.month) for bar in bars], fontsize=8)
    axes.yaxis.set_major_formatter(FuncFormatter(_euros_axis))
    axes.set_ylabel(text("payments_chart.axis"))
    axes.set_ylim(0, max(heights, default=0) * 1.25 or 1)
    axes.spines[["top", "right"]].set_visible(False)
    total = format_euros(sum(bar.cents for bar in bars))
    axes.set_title(f"{title}\n{text('payments_chart.total', total=total)}", fontsize=11)
    # Fixed margins: tight_layout would draw the whole figure once more to measure it.
    figure.subplots_adjust(left=0.1, right=0.98, top=0.86, bottom=0.13)
    out = io.BytesIO()
    # Light compression: a few more kilobytes, several times faster to encode.
    figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return out.getvalue()
