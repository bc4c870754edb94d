"""A person's name given in the message that opens a form (« ajoute ma secrétaire Sophie Martin
sophie.martin@mail.fr »), for the form's two name questions.

A name has no entity of its own: in an answer to « Quel est son nom ? » the whole message is the
name, but the opening message is mostly the request. What is left once the request's own words
(the lexicon's `opening_words.<form>`: verbs, roles, determiners, politeness), the entities
(e-mail, phone, dates) and the words of the form's options (« sédentaire ») are cut is the name,
when it is two to four words of letters: one word alone may be anything, and is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from dialogs.forms.free import split_name
from dialogs.forms.lexicon import Lexicon
from dialogs.forms.message import Message
from dialogs.forms.spec import FormSpec, Kind, Question
from dialogs.nlu.normalise import fold

_NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MIN_WORDS = 2
MAX_WORDS = 4


def opening_name(
    spec: FormSpec,
    message: Message,
    lexicon: Lexicon,
    open_question: Callable[[Question], bool],
    take: Callable[[Question, Any], None],
) -> None:
    """Fills the form's first and family name questions from the opening message, if it says
    a name beside the request."""
    if message.pressed or message.text.startswith("/"):
        return  # a button says which form, never a name
    names = [q for q in spec.questions if q.kind is Kind.NAME and q.pick_name and open_question(q)]
    group = f"opening_words.{spec.name}"
    if len(names) != 2 or not lexicon.phrases(group):
        return
    text = _without_entities(message.text, message.entities)
    found = list(_NAME_WORD.finditer(text))
    said = [fold(m.group()) for m in found]
    cut: set[int] = set()
    for hit in lexicon.find(group, said):
        cut.update(range(hit.start, hit.end))
    for question in spec.questions:
        if question.kind is Kind.CHOICE:
            for option in question.options:
                for hit in lexicon.find(f"options.{question.slot}.{option}", said):
                    cut.update(range(hit.start, hit.end))
    rest = [m.group() for i, m in enumerate(found) if i not in cut]
    if not MIN_WORDS <= len(rest) <= MAX_WORDS:
        return
    given, family = split_name(" ".join(rest))
    for question in names:
        take(question, given if question.pick_name == "first" else family)


def _without_entities(text: str, entities: Sequence[dict[str, Any]]) -> str:
    spans = sorted(
        (e["start"], e["end"])
        for e in entities
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    )
    for start, end in reversed(spans):
        text = f"{text[:start]} {text[end:]}"
    return text
