"""The chart of the CAF's payments as a PNG picture: one bar per month, amounts in euros written
the French way, French month names.

matplotlib is imported on the first chart, not with this module: the chat starts without it.
The figure is drawn by the non-interactive Agg canvas directly, without pyplot: no display is
needed, and no global figure state is shared between the threads that run turns.

Why it is built this way (`benchmarks/payments_chart.py`, target 200 ms a chart): building a
figure (axes, ticks, bars, labels) cost as much as drawing it, so each thread prepares one
figure per number of bars and only changes its heights and texts for the next chart; text is
what drawing costs most, so the year is written under the first month and under January only,
glyphs are hinted without the 8-times horizontal oversampling, and nothing is positioned by
measuring the text (title and axis label have fixed places).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.core.money import format_euros
from services.documents.texts import text, texts

WIDTH_INCHES = 8.0
HEIGHT_INCHES = 4.5
DPI = 100
BAR_COLOUR = "#1f5fa8"
# Above this many bars their amounts are written upright, along the bar.
UPRIGHT_FROM = 7
# Glyphs laid out at 1x instead of matplotlib's 8x oversampling: the same text at 100 dpi,
# a third of the chart's time saved.
TEXT_STYLE = {"text.hinting_factor": 1, "text.hinting": "default"}

# zlib's run-length strategy (Z_RLE): the chart is mostly runs of one colour.
RLE = 3

_prepared = threading.local()


@dataclass(frozen=True)
class ChartBar:
    month: date
    cents: int


def _euros_axis(value: float, _position: int) -> str:
    """Axis labels in whole euros ("1 250 €"); the bars' own labels keep the cents."""
    return format_euros(round(value) * 100).replace(",00", "")


def month_tick(month: date, *, with_year: bool = True) -> str:
    """ "janv.\\n2026" where the year starts (and under the first bar), "févr." elsewhere."""
    name = texts("payments_chart.short_months")[month.month - 1]
    return text("payments_chart.month_tick", name=name, year=month.year) if with_year else name


class _Template:
    """A figure with `count` bars, their amount labels and the axes, ready to be filled."""

    def __init__(self, count: int) -> None:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, MaxNLocator
        from matplotlib.transforms import ScaledTranslation

        matplotlib.rcParams.update(TEXT_STYLE)
        figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
        self.canvas = FigureCanvasAgg(figure)
        self.figure = figure
        # Fixed margins: tight_layout would draw the whole figure once more to measure it.
        axes = figure.add_axes((0.1, 0.13, 0.88, 0.73))
        self.axes = axes
        positions = list(range(count))
        self.bars = axes.bar(positions, [1.0] * count, color=BAR_COLOUR, width=0.7)
        # Each amount 2 points above its bar: a plain text moved by an offset transform (an
        # annotation would check on every draw whether its point is inside the axes).
        above = axes.transData + ScaledTranslation(0, 2 / 72, figure.dpi_scale_trans)
        self.labels = [
            axes.text(
                position,
                0.0,
                "",
                transform=above,
                ha="center",
                va="bottom",
                fontsize=7,
                rotation=90 if count >= UPRIGHT_FROM else 0,
            )
            for position in positions
        ]
        axes.set_xticks(positions, [""] * count, fontsize=8)
        axes.set_xlim(-0.6, count - 0.4)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        axes.yaxis.set_major_formatter(FuncFormatter(_euros_axis))
        axes.tick_params(axis="y", labelsize=8)
        axes.set_ylabel(text("payments_chart.axis"))
        # Axis labels placed, not measured against the tick labels at every draw.
        axes.yaxis.set_label_coords(-0.08, 0.5)
        axes.xaxis.set_label_coords(0.5, -0.1)
        axes.spines[["top", "right"]].set_visible(False)
        self.title = axes.set_title("", fontsize=11, y=1.03)  # a given y: no measuring either

    def png(self, bars: Sequence[ChartBar], title: str) -> bytes:
        heights = [bar.cents / 100 for bar in bars]
        for rectangle, label, bar, height in zip(
            self.bars.patches, self.labels, bars, heights, strict=True
        ):
            rectangle.set_height(height)
            label.set_text(format_euros(bar.cents))
            label.set_y(height)
        self.axes.set_xticklabels(
            [
                month_tick(bar.month, with_year=index == 0 or bar.month.month == 1)
                for index, bar in enumerate(bars)
            ]
        )
        self.axes.set_ylim(0, max(heights, default=0) * 1.25 or 1)
        total = format_euros(sum(bar.cents for bar in bars))
        self.title.set_text(f"{title}\n{text('payments_chart.total', total=total)}")
        from PIL import Image

        self.canvas.draw()
        size = self.canvas.get_width_height()
        picture = Image.frombuffer("RGBA", size, self.canvas.buffer_rgba())
        out = io.BytesIO()
        # Opaque RGB, light run-length compression: a few more kilobytes than the default
        # settings, encoded in a quarter of the time.
        picture.convert("RGB").save(out, format="png", compress_level=1, compress_type=RLE)
        return out.getvalue()


def render_payments_chart(bars: Sequence[ChartBar], *, title: str) -> bytes:
    """A bar chart of `bars` (oldest month first) as PNG bytes."""
    templates: dict[int, _Template] = getattr(_prepared, "templates", None) or {}
    _prepared.templates = templates
    template = templates.get(len(bars))
    if template is None:
        template = templates[len(bars)] = _Template(len(bars))
    return template.png(bars, title)
