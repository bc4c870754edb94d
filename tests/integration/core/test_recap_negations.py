"""A refusal at a recap never transmits (issue 11, item 1): at every recap (the rent, the three
changes, the unpaid report, the new user), each negation of the table, and a payload typed as
text, leave every business table as it was; the recap is still there and a plain yes sends it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import services.tables  # noqa: F401  (every capability's tables on the one metadata)
from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from services.core.models import Base

LOGIN = ["oliviers.admin", "Oliviers-Demo-2026"]
REFUSALS = [
    "je ne veux pas valider",
    "ne validez pas",
    "ne transmettez pas",
    "invalide",
    "pas encore, je veux vérifier avant d'envoyer",
    "je veux modifier avant de valider",
    "je veux quitter sans valider",
    '/choose{"option": "valider"}',
    "/choose{confirm}",
]
# What the user types to reach each recap once logged in; "#label" presses a button.
TO_RECAP = {
    "rent": ["loyer brisson 330"],
    "end_of_management": ["fin de gestion pour brisson", "31/10/2026", "vente du logement"],
    "departure": ["mme brisson est partie le 10/11/2026", "30/11/2026"],
    "flatshare": ["colocation chez brisson", "3 colocataires", "01/11/2026"],
    "unpaid": ["couture paye plus depuis août", "100", "80", "rien", "rien"],
    "new_user": [
        "mes utilisateurs",
        "#Créer un utilisateur",
        "Marc Dupuis marc.dupuis@mail.fr",
        "marc.dupuis@mail.fr",
        "pas de téléphone",
        "sédentaire",
        "#Logements privés 14",
        "#Terminé",
    ],
}
UNTOUCHED = {"conversations", "audit_log", "rate_limit_hits"}


def _business_rows(app: App) -> dict[str, int]:
    with app.uow_factory() as uow:
        return {
            table.name: int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
            if table.name not in UNTOUCHED
        }


class Chat:
    def __init__(self, app: App, chat_id: str) -> None:
        self.app, self.chat_id, self.last = app, chat_id, Reply()

    def send(self, line: str) -> str:
        if line.startswith("#"):
            keys = [
                c.key for m in self.last.messages for c in m.choices if c.label.startswith(line[1:])
            ]
            inbound = Inbound(channel="test", chat_id=self.chat_id, choice=keys[-1])
        else:
            inbound = Inbound(channel="test", chat_id=self.chat_id, text=line)
        self.last = self.app.engine.handle(inbound)
        return "\n".join(m.text for m in self.last.messages)


@pytest.mark.parametrize("recap", list(TO_RECAP))
def test_no_refusal_at_any_recap_transmits(app: App, recap: str) -> None:
    before = _business_rows(app)
    for number, refusal in enumerate(REFUSALS):
        chat = Chat(app, f"{recap}-{number}")
        said = ""
        for line in LOGIN + TO_RECAP[recap]:
            said = chat.send(line)
        assert "Récapitulatif" in said, said

        answer = chat.send(refusal)

        assert _business_rows(app) == before, refusal
        assert not any(m.document for m in chat.last.messages), refusal
        assert "transmis" not in answer.replace("rien transmis", ""), (refusal, answer)

    # The same recap does transmit on a plain yes: the refusals were read, not ignored.
    chat = Chat(app, f"{recap}-yes")
    for line in LOGIN + TO_RECAP[recap]:
        chat.send(line)
    chat.send("oui")
    assert _business_rows(app) != before
