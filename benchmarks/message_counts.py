"""How many messages a landlord types, from the request to the receipt, on the demo data.

Runs the real engine in-process on a fresh demo database (a temporary folder) and counts the
user's messages until a PDF receipt comes back, for every July rent still to declare (one
message with the amount, then "oui"), for each kind of change, and for every remaining rent at
once (the bulk recap, on a database of its own). Logging in is not counted.

    python benchmarks/message_counts.py
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import App, build_app
from dialogs.io import Inbound
from services.core.clock import PARIS
from services.core.settings import Settings

TODAY = date(2026, 11, 23)


@dataclass
class Chat:
    app: App
    chat_id: str
    update: int = 0

    def say(self, text: str) -> list[str]:
        self.update += 1
        reply = self.app.engine.handle(
            Inbound(channel="bench", chat_id=self.chat_id, text=text, update_id=self.update)
        )
        return [m.document.filename for m in reply.messages if m.document is not None]

    def run(self, lines: list[str]) -> int | None:
        """Messages typed until a receipt arrives; None if none did."""
        for count, line in enumerate(lines, start=1):
            if self.say(line):
                return count
        return None


def login(app: App, chat_id: str, identifier: str, password: str) -> Chat:
    chat = Chat(app, chat_id)
    chat.say(identifier)
    chat.say(password)
    return chat


SCENARIOS = (
    ("oliviers.admin", "Oliviers-Demo-2026", "Loyer de BRISSON", ["loyer brisson 330", "oui"]),
    ("oliviers.admin", "Oliviers-Demo-2026", "Loyer de COUTURE", ["couture 390 €", "ok"]),
    (
        "oliviers.admin",
        "Oliviers-Demo-2026",
        "Loyer de MILOME",
        ["même loyer que l'an dernier pour milome", "c bon"],
    ),
    (
        "oliviers.admin",
        "Oliviers-Demo-2026",
        "Loyer de MUROT",
        ["loyer inchangé pour murot", "valider"],
    ),
    (
        "jean.martin",
        "Martin-Demo-2026",
        "Départ",
        ["nguyen est parti le 10/11", "le même jour", "oui"],
    ),
    (
        "jean.martin",
        "Martin-Demo-2026",
        "Fin de gestion",
        ["fin de gestion pour petit depuis le 1er novembre, vendu", "oui"],
    ),
    (
        "oliviers.admin",
        "Oliviers-Demo-2026",
        "Colocation",
        ["beauvois est en colocation depuis le 01/11, 2 colocataires", "oui"],
    ),
)


# On a fresh demo database each: the 4 remaining rents of LES OLIVIERS in one recap.
BULK_SCENARIOS = (
    ("Tous les loyers (4)", ["tous mes loyers sont inchangés", "valider"]),
    (
        "Tous, 2 exceptions",
        ["tous mes loyers sont inchangés", "sauf brisson 340 €, pas murot", "valider"],
    ),
)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(BAILLEUR_DATA_DIR=Path(folder))
        app = build_app(settings, clock=lambda: datetime.combine(TODAY, time(10, 0), tzinfo=PARIS))
        app.prepare_demo()
        print(f"{'What':<24} {'Messages':>8}   Typed")
        worst = 0
        for number, (identifier, password, what, lines) in enumerate(SCENARIOS):
            chat = login(app, f"bench-{number}", identifier, password)
            count = chat.run(lines)
            shown = str(count) if count is not None else "no receipt"
            worst = max(worst, count or 99)
            print(f"{what:<24} {shown:>8}   {' | '.join(lines[: count or len(lines)])}")
        app.dispose()
        # Every remaining rent at once, on a database of its own (the rents above are declared).
        for number, (what, lines) in enumerate(BULK_SCENARIOS):
            bulk = build_app(
                Settings(
                    BAILLEUR_DATA_DIR=Path(folder),
                    DATABASE_URL=f"sqlite:///{folder}/bulk-{number}.db",
                ),
                clock=lambda: datetime.combine(TODAY, time(10, 0), tzinfo=PARIS),
            )
            bulk.prepare_demo()
            chat = login(bulk, f"bench-bulk-{number}", "oliviers.admin", "Oliviers-Demo-2026")
            count = chat.run(lines)
            shown = str(count) if count is not None else "no receipt"
            worst = max(worst, count or 99)
            print(f"{what:<24} {shown:>8}   {' | '.join(lines[: count or len(lines)])}")
            bulk.dispose()
    return 0 if worst < 99 else 1


if __name__ == "__main__":
    raise SystemExit(main())
