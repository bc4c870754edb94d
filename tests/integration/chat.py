"""One chat with the real engine, as a landlord types it: what the bot says back, the documents
it sends, and how many messages the landlord typed; shared by the conversation tests."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from services.declarations.models import RentDeclaration

OLIVIERS = ("oliviers.admin", "Oliviers-Demo-2026")
MARTIN = ("jean.martin", "Martin-Demo-2026")


class Chat:
    """One chat with the engine; `say` returns the bot's text, documents in `receipts`."""

    def __init__(self, app: App, chat: str = "c1") -> None:
        self.app = app
        self.chat = chat
        self.last: Reply | None = None
        self.receipts: list[str] = []
        self.typed = 0

    def say(self, text: str) -> str:
        self.typed += 1
        self.last = self.app.engine.handle(Inbound(channel="test", chat_id=self.chat, text=text))
        self.receipts += [m.document.filename for m in self.last.messages if m.document]
        return "\n".join(m.text for m in self.last.messages)

    def press(self, label: str) -> str:
        assert self.last is not None
        choice = next(c for m in self.last.messages for c in m.choices if c.label == label)
        self.last = self.app.engine.handle(
            Inbound(channel="test", chat_id=self.chat, choice=choice.key)
        )
        self.receipts += [m.document.filename for m in self.last.messages if m.document]
        return "\n".join(m.text for m in self.last.messages)

    def log_in(self, account: tuple[str, str] = OLIVIERS) -> None:
        self.say(account[0])
        assert "Connexion réussie" in self.say(account[1])
        self.typed = 0


def rents(app: App) -> int:
    uow = app.uow_factory()
    with uow:
        count = uow.session.scalar(
            select(func.count())
            .select_from(RentDeclaration)
            .where(RentDeclaration.transmitted_at.is_not(None))
        )
        return int(count or 0)
