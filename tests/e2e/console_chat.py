"""The terminal channel driven by a script: typed lines and hidden passwords in, everything the
user reads out; shared by the console end-to-end tests of every capability."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pypdf
from sqlalchemy import func, select

from bot.bootstrap import App
from bot.console import Console

PASSWORD = "Oliviers-Demo-2026"


class Script:
    """Feeds typed lines to the console; passwords must come through the hidden prompt."""

    def __init__(self, lines: list[str], secrets: list[str]) -> None:
        self.lines = list(lines)
        self.secrets = list(secrets)
        self.secret_prompts = 0

    def read_line(self, prompt: str) -> str:
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def read_secret(self, prompt: str) -> str:
        self.secret_prompts += 1
        if not self.secrets:
            raise EOFError
        return self.secrets.pop(0)


def chat(
    app: App,
    lines: list[str],
    tmp_path: Path,
    secrets: list[str] | None = None,
    chat_id: str = "alice",
) -> tuple[str, Script, Console]:
    out = io.StringIO()
    script = Script(lines, secrets if secrets is not None else [])
    console = Console(
        app.engine.handle,
        chat_id=chat_id,
        receipts_dir=tmp_path / "receipts",
        read_line=script.read_line,
        read_secret=script.read_secret,
        out=out,
    )
    console.run()
    return out.getvalue(), script, console


LOGIN = ["1", "oliviers.admin"]


def pdf_of(output: str) -> str:
    found = re.findall(r"Document enregistré : (\S+\.pdf)", output)
    assert found, output
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(found[-1]).pages)


def talk(app: App, lines: list[str], tmp_path: Path, chat_id: str = "alice") -> str:
    output, _, _ = chat(app, [*LOGIN, *lines], tmp_path, [PASSWORD], chat_id=chat_id)
    return output


def id_of(app: App, model: Any, **where: str) -> int:
    with app.uow_factory() as uow:
        query = select(model.id)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(uow.session.scalars(query).one())


def count_of(app: App, model: Any) -> int:
    with app.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count(model.id))) or 0)


# ----- changes ---------------------------------------------------------------------------------
