"""Reading a spreadsheet of rents as French landlords' software exports it.

XLSX through openpyxl; CSV through the csv module, in UTF-8 (with or without BOM) or
Windows-1252, separated by `;`, `,` or tabs (csv.Sniffer, then a count), amounts with a decimal
comma or point. Columns are found by their header ("Numéro allocataire", "Loyer hors charges",
"Colocation", "Impayé"), or by position when the file has no header. Anything else (a PDF, a
photo, a file too large) is refused with a reason code before a line is read.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.core.errors import InvalidValue
from services.documents.texts import texts

FIELDS = ("allocataire", "rent", "flatshare", "unpaid")
_XLSX_MAGIC = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"


class SpreadsheetError(InvalidValue):
    """Raised when a file cannot be read as a spreadsheet of rents; `reason`: too_large,
    not_spreadsheet, empty, no_rent_column, too_many_lines."""


@dataclass(frozen=True)
class SheetRow:
    """One line of the file as typed; `line` is its number as the spreadsheet shows it."""

    line: int
    allocataire: str
    rent: str
    flatshare: str = ""
    unpaid: str = ""


def read_spreadsheet(
    filename: str, content: bytes, *, max_bytes: int, max_lines: int
) -> list[SheetRow]:
    """The rent lines of a CSV or XLSX file, blank lines skipped."""
    if len(content) > max_bytes:
        raise SpreadsheetError("too_large")
    if content.startswith(_XLSX_MAGIC):
        table = _xlsx_rows(content)
    elif filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".png", ".jpg")):
        raise SpreadsheetError("not_spreadsheet")
    else:
        table = _csv_rows(content)
    rows = _rows(table)
    if len(rows) > max_lines:
        raise SpreadsheetError("too_many_lines")
    return rows


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # imported by the first XLSX read, not at start-up

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError("not_spreadsheet") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _decode(content: bytes) -> str:
    if content.startswith(_BOM):
        return content[len(_BOM) :].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        raise SpreadsheetError("not_spreadsheet")
    try:
        text = _decode(content)
    except UnicodeDecodeError as exc:
        raise SpreadsheetError("not_spreadsheet") from exc
    if any(ord(c) < 32 and c not in "\r\n\t" for c in text[:4096]):
        raise SpreadsheetError("not_spreadsheet")
    sample = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t,"}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    if delimiter == "," and ";" in sample:
        delimiter = ";"  # "330,50;..." sniffs as commas; a French file with `;` means `;`
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def fold(text: str) -> str:
    """Lower case without accents: "Numéro Allocataire" -> "numero allocataire"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _columns(header: list[str]) -> dict[str, int] | None:
    """Where each field is, from a header row; None when the row is not a header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = fold(cell)
        for field in FIELDS:
            if field not in found and any(
                word in name for word in texts(f"spreadsheet.headers.{field}")
            ):
                found[field] = index
                break
    return found if "allocataire" in found else None


def _rows(table: list[list[str]]) -> list[SheetRow]:
    filled = [(number, row) for number, row in enumerate(table, start=1) if any(c for c in row)]
    if not filled:
        raise SpreadsheetError("empty")
    _, first = filled[0]
    columns = _columns(first)
    if columns is None:
        columns = dict(zip(FIELDS, range(len(FIELDS)), strict=False))
    else:
        filled = filled[1:]
        if "rent" not in columns:
            raise SpreadsheetError("no_rent_column")
    if not filled:
        raise SpreadsheetError("empty")

    def cell(row: list[str], field: str) -> str:
        index = columns.get(field)
        return row[index] if index is not None and index < len(row) else ""

    return [
        SheetRow(
            line=number,
            allocataire=cell(row, "allocataire"),
            rent=cell(row, "rent"),
            flatshare=cell(row, "flatshare"),
            unpaid=cell(row, "unpaid"),
        )
        for number, row in filled
    ]
