"""Free text at every question, hostile or not (issue 11, item 5): text a database would refuse
(NUL, lone surrogates, other control characters), text that hides its meaning (bidirectional
overrides) and oversized text are refused at the edge with a polite French reason, and the chat
goes on; a property test sends generated text at every kind of question and checks that a reply
always comes, that it is never the apology, and that nothing stored holds such characters."""

from __future__ import annotations

import itertools
import json
import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, select

import services.tables  # noqa: F401  (every capability's tables on the one metadata)
from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from services.core.models import Base, Conversation

LOGIN = ["oliviers.admin", "Oliviers-Demo-2026"]
REFUSED = "Votre message contient des caractères que je ne peux pas lire"
TOO_LONG = "Votre message est trop long"
# What to type to reach each kind of question; "#label" presses a button.
QUESTIONS = {
    "greeting": [],
    "identifier": ["je veux me connecter"],
    # Not the identifier the other questions log in with: wrong passwords slow it down.
    "password": ["personne.inconnue"],
    "menu": LOGIN,
    "rent_amount": [*LOGIN, "je veux declarer le loyer de brisson"],
    "rent_recap": [*LOGIN, "loyer brisson 330"],
    "change_tenant": [*LOGIN, "declarer un changement"],
    "lease_end": [*LOGIN, "mme brisson est partie le 10/11/2026"],
    "end_reason": [*LOGIN, "fin de gestion pour brisson", "31/10/2026"],
    "cotenants": [*LOGIN, "colocation chez brisson"],
    "unpaid_month": [*LOGIN, "couture paye plus depuis août"],
    "user_name": [*LOGIN, "mes utilisateurs", "#Créer un utilisateur"],
    "user_email_again": [
        *LOGIN,
        "mes utilisateurs",
        "#Créer un utilisateur",
        "Marc Dupuis marc.dupuis@mail.fr",
    ],
    "tenant_search": [*LOGIN, "mes locataires"],
    "first_login": ["port.bailleur", "Lettre-Provisoire-1"],
    "lost_identifier": ["j'ai perdu mon identifiant"],
    "password_reset": ["mot de passe oublié"],
}
CHATS = itertools.count()
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


class Chat:
    def __init__(self, app: App, chat_id: str) -> None:
        self.app, self.chat_id, self.last = app, chat_id, Reply()

    def send(self, line: str, *, typed: bool = False) -> str:
        """Sends `line`; in the scripted steps (not `typed`), "#label" presses a button."""
        if line.startswith("#") and not typed:
            label = line[1:]
            keys = [
                c.key for m in self.last.messages for c in m.choices if c.label.startswith(label)
            ]
            inbound = Inbound(channel="test", chat_id=self.chat_id, choice=keys[-1])
        else:
            inbound = Inbound(channel="test", chat_id=self.chat_id, text=line)
        self.last = self.app.engine.handle(inbound)
        return "\n".join(m.text for m in self.last.messages)

    def reach(self, question: str) -> str:
        said = ""
        for line in QUESTIONS[question]:
            said = self.send(line)
        return said


def _unreadable(text: str) -> bool:
    return any(
        char in BIDI
        or "\ud800" <= char <= "\udfff"
        or (unicodedata.category(char) == "Cc" and char not in "\n\t")
        for char in text
    )


def _stored_texts(app: App) -> list[str]:
    """Every text value of every table, and every conversation state as JSON."""
    found: list[str] = []
    with app.uow_factory() as uow:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for row in uow.session.execute(select(*columns)):
                    found.extend(value for value in row if isinstance(value, str))
        for state in uow.session.scalars(select(Conversation.state)):
            found.append(json.dumps(state, ensure_ascii=False))
    return found


@pytest.mark.parametrize(
    ("question", "typed", "answer"),
    [
        ("identifier", "oliviers\x00admin", REFUSED),
        ("identifier", "jean\udce9martin", REFUSED),
        ("identifier", "\u202enimda.sreivilo", REFUSED),
        ("user_name", "Du\x00puis", REFUSED),
        ("user_name", "Dupuis\x1b[31m", REFUSED),
        ("lease_end", "30/11/2026\x00", REFUSED),
        ("rent_amount", "9" * 5_000, TOO_LONG),
        ("menu", "a" * 100_000, TOO_LONG),
    ],
)
def test_unreadable_text_is_refused_at_the_edge_and_the_chat_goes_on(
    app: App, question: str, typed: str, answer: str
) -> None:
    chat = Chat(app, "c1")
    asked = chat.reach(question).splitlines()[-1]

    said = chat.send(typed, typed=True)

    assert answer in said
    assert said.rstrip().splitlines()[-1] == asked  # the same question again
    assert not any(_unreadable(text) for text in _stored_texts(app))
    assert "problème technique" not in chat.send("annuler")


ANSWERS = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.text(st.characters(codec="latin-1"), max_size=40),
    st.sampled_from(
        [
            "oui",
            "non",
            "ok c bon",
            "je sais pas",
            "0",
            "-5",
            "²",
            "١٢٣",
            "9" * 5_000,
            "1e400",
            "330€50",
            "31/02/2026",
            '/choose{"option": "valider"}',
            '/inform{"tenant_id": 1}',
            "annuler",
            "\u202eoui",
            "a\x00b",
            " ",
        ]
    ),
)


@settings(
    max_examples=25,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a failure shows as is
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(question=st.sampled_from(list(QUESTIONS)), typed=ANSWERS, follow=ANSWERS)
def test_any_text_at_any_question_gets_a_reply_and_stores_nothing_unreadable(
    app: App, question: str, typed: str, follow: str
) -> None:
    chat = Chat(app, f"p-{next(CHATS)}")  # a new chat each time, even for a repeated example
    chat.reach(question)
    apology = app.engine.domain.render("utter_internal_error").text

    for text in (typed, follow):
        said = chat.send(text, typed=True)
        assert chat.last.messages, (question, text)
        assert apology not in said, (question, text)
    assert not any(_unreadable(text) for text in _stored_texts(app))
