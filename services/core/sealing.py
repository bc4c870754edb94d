"""Letters and emails waiting in the outbox are sealed: a copy of the database alone reveals no
password.

The outbox must keep what a gateway needs to send a letter (it carries a provisional password),
so the body is encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`) under a
key kept outside the database: the `BAILLEUR_OUTBOX_KEY` variable, or else the file `outbox.key`
of the data directory, created readable by its owner only on first use. Once a gateway marks a
message as sent, its body is erased (`services.accounts.outbox.mark_sent`).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE_NAME = "outbox.key"


class OutboxSealer:
    """Seals and opens outbox bodies with one Fernet key."""

    def __init__(self, key: bytes | str) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def generate(cls) -> OutboxSealer:
        """A sealer with a fresh key (tests, and a first start)."""
        return cls(Fernet.generate_key())

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        """The sealed text; `ValueError` if it was sealed with another key or altered."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as error:
            raise ValueError("outbox body cannot be opened with this key") from error


def load_key(*, configured: str, data_dir: Path) -> bytes:
    """The configured key, or the key file of `data_dir` (created, mode 0600, when missing)."""
    if configured:
        return configured.encode("ascii")
    path = data_dir / KEY_FILE_NAME
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key + b"\n")
    return key
