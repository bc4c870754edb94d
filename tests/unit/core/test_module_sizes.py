"""Small modules with one job: the form engine and the actions of the conversations stay under
about 300 lines each, so a reader finds one job per file."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHECKED = (
    "dialogs/forms",
    "dialogs/actions/core",
    "dialogs/actions/declarations",
    "dialogs/actions/tenants",
    "dialogs/actions/payments",
)
MOST = 300


def test_no_module_of_the_forms_or_their_actions_is_over_300_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in CHECKED
        for path in (ROOT / folder).glob("*.py")
        if not path.name.startswith("bulk")  # the bulk declarations' own work sizes its modules
    }
    assert sizes
    assert {name: lines for name, lines in sizes.items() if lines > MOST} == {}
