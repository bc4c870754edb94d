"""A spreadsheet of rents in the terminal: its path typed or dragged in (quoted, spaces escaped,
or as a file:// URL) is sent as the file, and the transmission rewrites a progress line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import App
from bot.console_files import typed_path
from tests.e2e.console_chat import PASSWORD, chat

SHEET = "Numéro allocataire;Loyer hors charges\n171842;330,50\n580592;390\n".encode("cp1252")


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "mes loyers.csv"
    path.write_bytes(SHEET)
    return path


def test_a_path_typed_quoted_or_dragged_names_the_file(sheet: Path) -> None:
    escaped = str(sheet).replace(" ", "\\ ")
    for typed in (f"'{sheet}'", f'"{sheet}"', escaped, f"file://{sheet}".replace(" ", "%20")):
        assert typed_path(typed) == sheet
    assert typed_path("loyer brisson 330") is None
    assert typed_path(str(sheet.with_name("absent.csv"))) is None


def test_a_spreadsheet_typed_as_a_path_is_checked_and_transmitted(
    app: App, tmp_path: Path, sheet: Path
) -> None:
    out, _, _ = chat(app, ["1", "oliviers.admin", f"'{sheet}'", "valider"], tmp_path, [PASSWORD])
    assert "Tableau « mes loyers.csv » : 2 lignes prêtes, rien à corriger." in out
    assert "\r\x1b[KTransmission : 2 / 2\n" in out
    assert "2 loyers de juillet 2026 transmis (720,50 €)" in out
    assert list((tmp_path / "receipts").glob("loyers-2026-*.pdf"))
