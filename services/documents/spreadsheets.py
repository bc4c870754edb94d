"""The files of bulk declarations besides the PDF: the template to fill in (XLSX, the user's own
tenants with last year's rents) and the list of a spreadsheet's errors (CSV that Excel opens)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from services.documents.texts import text, texts


@dataclass(frozen=True)
class TemplateLine:
    allocataire_number: str
    tenant: str
    last_rent_cents: int | None
    flatshare: bool


def render_template(lines: Sequence[TemplateLine], *, year: int) -> bytes:
    """An XLSX with one line per tenant still to declare, last year's rent prefilled."""
    from openpyxl import Workbook  # imported by the first template, not at start-up
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = text("spreadsheet.sheet_title", year=year)
    sheet.append(list(texts("spreadsheet.template_columns")))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes, no = text("words.affirmative"), text("words.negative")
    for line in lines:
        rent = line.last_rent_cents / 100 if line.last_rent_cents else None
        sheet.append(
            [line.allocataire_number, line.tenant, rent, yes if line.flatshare else no, no]
        )
    for column, width in zip("ABCDE", (20, 36, 22, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=1, max_col=1):
        cell.number_format = "@"
    for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_errors_csv(rows: Sequence[tuple[int, str, str, str]]) -> bytes:
    """(line, numéro allocataire, rent as typed, what is wrong) per line; `;`-separated UTF-8
    with a BOM, so a French Excel opens it as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(texts("spreadsheet.error_columns"))
    writer.writerows([str(line), number, rent, reason] for line, number, rent, reason in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
