"""A spreadsheet of rents is read whatever French software produced it (UTF-8 with or without
BOM, Windows-1252, `;` or `,`, decimal comma, XLSX), every line gets a verdict with its line
number, and a file that is not a spreadsheet or is too large is refused before any line is read."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from services.declarations.bulk import BulkScope, BulkTenant
from services.declarations.sheet_checks import check_rows
from services.declarations.spreadsheets import SheetRow, SpreadsheetError, read_spreadsheet
from services.documents.spreadsheets import TemplateLine, render_errors_csv, render_template

TODAY = date(2026, 11, 23)
LIMITS = {"max_bytes": 100_000, "max_lines": 50}


def _tenant(tenant_id: int, number: str, name: str, **facts: object) -> BulkTenant:
    values: dict[str, object] = {
        "flatshare": False,
        "last_rent_cents": 35_000,
        "expects_declaration": True,
        "transmitted": False,
    }
    values.update(facts)
    return BulkTenant(tenant_id, name, "Marie", number, **values)  # type: ignore[arg-type]


SCOPE = BulkScope(
    year=2026,
    organisation_name="LES OLIVIERS",
    tenants=(
        _tenant(1, "171842", "BRISSON"),
        _tenant(2, "580592", "COUTURE"),
        _tenant(3, "21083", "DUPONT", transmitted=True),
        _tenant(4, "467060", "BEAUVOIS", expects_declaration=False),
        _tenant(5, "0581887", "MILOME"),
    ),
)
FRENCH = "Numéro allocataire;Nom;Loyer hors charges;Colocation;Impayé\r\n171842;BRISSON Élodie;350,50;non;\r\n"


def read(name: str, content: bytes) -> list[SheetRow]:
    return read_spreadsheet(name, content, **LIMITS)


@pytest.mark.parametrize(
    "content",
    [
        FRENCH.encode("utf-8"),
        b"\xef\xbb\xbf" + FRENCH.encode("utf-8"),
        FRENCH.encode("cp1252"),
        FRENCH.replace(";", ",").replace("350,50", '"350,50"').encode("utf-8"),
        FRENCH.replace(";", "\t").encode("utf-8"),
        FRENCH.replace("350,50", "350.50").replace(";", ",").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "commas-quoted", "tabs", "decimal-point"],
)
def test_french_csv_files_are_read_alike(content: bytes) -> None:
    (row,) = read("loyers.csv", content)
    assert (row.line, row.allocataire, row.rent.replace(".", ",")) == (2, "171842", "350,50")
    assert check_rows(SCOPE, [row], TODAY).ready[0].rent_cents == 35_050


def test_a_file_without_header_is_read_by_position() -> None:
    rows = read("loyers.csv", b"171842;350\n580592;360;oui;non\n")
    assert [(r.line, r.allocataire, r.rent, r.flatshare) for r in rows] == [
        (1, "171842", "350", ""),
        (2, "580592", "360", "oui"),
    ]


def test_an_xlsx_file_with_numbers_as_cells_is_read() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["N° allocataire", "Loyer"])
    sheet.append([171842, 350.5])
    sheet.append([None, None])
    sheet.append([580592, 360])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read("loyers.xlsx", buffer.getvalue())
    assert [(r.line, r.allocataire, r.rent) for r in rows] == [
        (2, "171842", "350.5"),
        (4, "580592", "360"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not_spreadsheet"),
        ("loyers.csv", b"\x00\x01\x02binary", "not_spreadsheet"),
        ("loyers.xlsx", b"PK\x03\x04 not really a zip", "not_spreadsheet"),
        ("loyers.csv", b"\r\n;;\r\n", "empty"),
        ("loyers.csv", "Numéro allocataire;Nom\n171842;X\n".encode(), "no_rent_column"),
        ("loyers.csv", b"1;2\n" * 60, "too_many_lines"),
        ("loyers.csv", b"1;2\n" * 30_000, "too_large"),
    ],
)
def test_what_is_not_a_readable_spreadsheet_is_refused(
    name: str, content: bytes, reason: str
) -> None:
    with pytest.raises(SpreadsheetError) as refused:
        read(name, content)
    assert refused.value.reason == reason


def test_every_line_gets_its_verdict_with_its_line_number() -> None:
    rows = [
        SheetRow(2, "171842", "350"),
        SheetRow(3, "12ab", "350"),
        SheetRow(4, "999999", "350"),
        SheetRow(5, "171842", "351"),
        SheetRow(6, "21083", "500"),
        SheetRow(7, "467060", "400"),
        SheetRow(8, "580592", "n/a"),
        SheetRow(9, "581887", "3 500"),
    ]
    check = check_rows(SCOPE, rows, TODAY)
    assert [(line.line, line.tenant_id) for line in check.ready] == [(2, 1)]
    assert [(p.line, p.reason) for p in check.problems] == [
        (3, "bad_allocataire"),
        (4, "unknown_tenant"),
        (5, "duplicate"),
        (6, "already_transmitted"),
        (7, "departed"),
        (8, "bad_amount"),
        (9, "unusual_amount"),
    ]
    assert check.problems[2].first_line == 2
    assert check.problems[2].tenant == "BRISSON Marie"


def test_a_yes_no_column_must_say_yes_or_no() -> None:
    rows = [SheetRow(2, "580592", "360", flatshare="peut-être")]
    assert [p.reason for p in check_rows(SCOPE, rows, TODAY).problems] == ["bad_yes_no"]


def test_leading_zeros_and_yes_no_columns_are_understood() -> None:
    rows = [SheetRow(2, "581887", "350", flatshare="Oui", unpaid="x")]
    (line,) = check_rows(SCOPE, rows, TODAY).ready
    assert (line.tenant_id, line.flatshare, line.unpaid_to_report) == (5, True, True)


def test_the_template_comes_back_as_ready_lines() -> None:
    template = render_template(
        [
            TemplateLine("171842", "BRISSON Marie", 35_000, False),
            TemplateLine("580592", "COUTURE Marie", 34_990, True),
        ],
        year=2026,
    )
    sheet = load_workbook(io.BytesIO(template)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:3] == ["Numéro allocataire", "Nom", "Loyer hors charges"]
    check = check_rows(SCOPE, read("modele.xlsx", template), TODAY)
    assert [(r.tenant_id, r.rent_cents, r.flatshare) for r in check.ready] == [
        (1, 35_000, False),
        (2, 34_990, True),
    ]
    assert check.problems == ()


def test_the_errors_file_opens_in_a_french_excel() -> None:
    content = render_errors_csv([(4, "999999", "350", "inconnu")])
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[1] == "4;999999;350;inconnu"
