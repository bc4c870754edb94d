"""A Mermaid state diagram of a form, drawn from its spec so it never drifts from the code.

python -m dialogs.forms.diagram            # rewrites docs/forms/<form>.mmd for every form
python -m dialogs.forms.diagram --check    # exits 1 when a committed diagram is stale
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from pathlib import Path

from dialogs.forms.spec import FormSpec

OUT = Path(__file__).resolve().parents[2] / "docs" / "forms"


def specs() -> list[FormSpec]:
    """Every form of the assistant's action modules."""
    from dialogs.actions import MODULES

    found: list[FormSpec] = []
    for name in MODULES:
        module = import_module(f"dialogs.actions.{name}")
        found.extend(form.spec for form in getattr(module, "FORMS", ()))
    return found


def mermaid(spec: FormSpec) -> str:
    """States are the questions; a dotted arrow skips a question whose answer has a default or
    whose condition does not hold; Modifier goes back from the recap to any editable answer."""
    lines = ["stateDiagram-v2", f"    %% {spec.name}: generated from its spec, do not edit"]
    previous = "[*]"
    for question in spec.questions:
        label = question.kind.value
        notes = []
        if question.when.__name__ != "always":
            notes.append("if condition")
        if question.ask_if.__name__ != "always":
            notes.append("asked if condition, else only read")
        if question.default is not None:
            notes.append("default")
        if question.optional:
            notes.append("optional")
        state = question.slot
        lines.append(f"    {state} : {state} ({label}{', ' + ', '.join(notes) if notes else ''})")
        lines.append(f"    {previous} --> {state}")
        if question.last is not None:
            lines.append(f"    {state} --> [*] : ends the form")
        previous = state
    if spec.recap:
        lines.append(f"    {previous} --> {spec.confirm_slot}")
        lines.append(f"    {spec.confirm_slot} --> [*] : Valider / Quitter")
        lines.append(f"    {spec.confirm_slot} --> {spec.edit_slot} : Modifier")
        for question in spec.questions:
            if question.editable and question.recap:
                lines.append(f"    {spec.edit_slot} --> {question.slot}")
    else:
        lines.append(f"    {previous} --> [*]")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for spec in specs():
        path = OUT / f"{spec.name}.mmd"
        text = mermaid(spec)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if stale:
        print("stale diagrams:", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
