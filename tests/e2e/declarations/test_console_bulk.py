"""A spreadsheet of rents in the terminal: its path typed or dragged in (quoted, spaces escaped,
or as a file:// URL) is sent as the file, and the transmission rewrites a progress line (in a
terminal; to a pipe, only the lines that stay are printed)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.bootstrap import App
from bot.console_files import ProgressLine, typed_path
from services.demo.large import seed_large
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
    assert "Transmission : 2 / 2\n" in out
    assert "\x1b[K" not in out  # printed to a pipe: no terminal line to rewrite
    assert "2 loyers de juillet 2026 transmis (720,50 €)" in out
    assert list((tmp_path / "receipts").glob("loyers-2026-*.pdf"))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_line_is_rewritten_and_the_estimate_stays() -> None:
    terminal, pipe = Terminal(), io.StringIO()
    for out in (terminal, pipe):
        line = ProgressLine(out)
        line("Transmission de 250 loyers en cours, environ 1 seconde.", True)
        line("Transmission : 100 / 250", False)
        line("Transmission : 250 / 250. Préparation du récapitulatif PDF…", True)
    assert terminal.getvalue() == (
        "\r\x1b[KTransmission de 250 loyers en cours, environ 1 seconde.\n"
        "\r\x1b[KTransmission : 100 / 250"
        "\r\x1b[KTransmission : 250 / 250. Préparation du récapitulatif PDF…\n"
    )
    assert pipe.getvalue() == (
        "Transmission de 250 loyers en cours, environ 1 seconde.\n"
        "Transmission : 250 / 250. Préparation du récapitulatif PDF…\n"
    )


def test_many_rents_in_the_terminal_are_announced_then_counted(app: App, tmp_path: Path) -> None:
    large = seed_large(app.uow_factory(), today=app.clock().date(), tenants=250)
    out, _, _ = chat(
        app,
        ["1", large.login, "tous mes loyers sont inchangés", "valider"],
        tmp_path,
        [large.password],
    )
    assert "Si tout est juste, tapez « valider » ou « oui »." in out
    assert "Après « Valider », la transmission de ces 248 loyers prendra environ 1 seconde." in out
    assert "Transmission de 248 loyers en cours, environ 1 seconde." in out
    assert "Transmission : 248 / 248. Préparation du récapitulatif PDF…\n" in out
    assert "Transmission : 100 / 248" not in out
    assert "248 loyers de juillet 2026 transmis" in out
