"""The payments chart reuses one prepared figure per thread: what a chart shows must never be
left over from the previous one (its bars, its amounts, its number of bars)."""

from __future__ import annotations

import io
import threading
from datetime import date

from PIL import Image

from services.documents.charts import ChartBar, month_tick, render_payments_chart


def _months(count: int, cents: int) -> list[ChartBar]:
    first = date(2025, 12, 1)
    return [
        ChartBar(
            date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1), cents
        )
        for i in range(count)
    ]


def _picture(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture


def test_a_chart_is_an_opaque_png_of_800_by_450() -> None:
    picture = _picture(render_payments_chart(_months(12, 99500), title="Paiements de la Caf"))
    assert picture.format == "PNG"
    assert picture.size == (800, 450)
    assert picture.mode == "RGB"


def test_the_same_data_gives_the_same_picture_and_other_data_another() -> None:
    high = render_payments_chart(_months(12, 150000), title="Paiements de la Caf")
    low = render_payments_chart(_months(12, 50000), title="Paiements de la Caf")
    three = render_payments_chart(_months(3, 50000), title="Paiements de la Caf")
    assert render_payments_chart(_months(12, 150000), title="Paiements de la Caf") == high
    assert low != high
    assert render_payments_chart(_months(12, 50000), title="Paiements de la Caf") == low
    assert three not in (low, high)


def test_charts_drawn_in_other_threads_are_the_same_pictures() -> None:
    expected = render_payments_chart(_months(12, 123456), title="Paiements de la Caf")
    drawn: list[bytes] = []

    def draw() -> None:
        for cents in (50000, 123456):
            png = render_payments_chart(_months(12, cents), title="Paiements de la Caf")
        drawn.append(png)

    threads = [threading.Thread(target=draw) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert drawn == [expected] * 3


def test_the_year_is_written_under_the_first_month_and_january_only() -> None:
    assert month_tick(date(2025, 12, 1)) == "déc.\n2025"
    assert month_tick(date(2026, 2, 1), with_year=False) == "févr."
