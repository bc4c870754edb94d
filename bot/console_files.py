"""Files in the terminal: a spreadsheet's path typed or dragged in, and a progress line.

Terminals paste a dragged file as its path, sometimes quoted ('…' or "…"), with spaces escaped
(`My\\ File.csv`) or as a `file://` URL. A line that names an existing spreadsheet file is sent as
that file; anything else stays text. A long transmission rewrites one line as it goes.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlparse

from dialogs.io import Document
from services.core.rules import rules_on

SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".txt", ".tsv")
MIME_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def typed_path(line: str) -> Path | None:
    """The spreadsheet file a typed line names, if it names one that exists."""
    raw = line.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
    if raw.startswith("file://"):
        raw = unquote(urlparse(raw).path)
    raw = raw.replace("\\ ", " ")
    if not raw.lower().endswith(SPREADSHEET_SUFFIXES) or "\n" in raw:
        return None
    path = Path(raw).expanduser()
    return path if path.is_file() else None


def read_attachment(path: Path) -> Document:
    """The file's bytes; beyond the size limit only enough is read for the refusal."""
    limit = int(rules_on("spreadsheets", date.today())["max_bytes"])
    with path.open("rb") as handle:
        content = handle.read(limit + 1)
    return Document(
        filename=path.name,
        content=content,
        mime_type=MIME_TYPES.get(path.suffix.lower(), "application/octet-stream"),
    )


class ProgressLine:
    """Rewrites one terminal line with each report; the last one ends the line. Written to a
    file or a pipe (no terminal to rewrite), only the reports that end a line are printed."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self._out = out
        isatty = getattr(out, "isatty", None)
        self._rewrites = bool(isatty and isatty())

    def __call__(self, text: str, last: bool) -> None:
        if self._rewrites:
            self._out.write("\r\033[K" + text + ("\n" if last else ""))
        elif last:
            self._out.write(text + "\n")
        else:
            return
        self._out.flush()
