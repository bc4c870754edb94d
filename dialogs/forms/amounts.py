"""Several amounts in one message, each given to the question it answers.

People give a month's amounts together: "dû 450, payé 200", "450 et 200", "dû 450 payé 200".
Clauses already keep "dû 450" apart from "payé 200" when a comma or "et" separates them; this
module cuts a clause that holds several amounts each next to the words of its own question, and
gives bare amounts in separate clauses, in order, to the amount questions still open. Dates are
cut the same way (« à partir de lundi jusqu'à fin décembre »: an opening and a closing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from dialogs.forms.lexicon import words
from dialogs.forms.message import Clause
from dialogs.forms.spec import Kind, Question

Cued = Callable[[Clause, tuple[Kind, ...]], list[Question]]
NUMERIC = (Kind.AMOUNT, Kind.COUNT)
DATED = (Kind.DATE, Kind.MONTH)


def pieces(clause: Clause, text: str, cued: Cued) -> list[Clause]:
    """The clause cut into one clause per amount when each piece names its own question
    (words before the amount: "dû 450 payé 200", or after it: "450 dû 200 payé"), then the same
    for dates (« à partir de lundi jusqu'à fin décembre »); else the clause itself. `text` is
    the whole message, whose offsets the clause keeps."""
    amounts = [(n.start, n.end) for n in clause.numbers if not n.negated] + _spans(clause, "amount")
    return [
        piece
        for cut in _cut(clause, text, cued, amounts, NUMERIC)
        for piece in _cut(cut, text, cued, _spans(cut, "date"), DATED)
    ]


def _spans(clause: Clause, entity: str) -> list[tuple[int, int]]:
    return [
        (int(e["start"]), int(e["end"]))
        for e in clause.entity(entity)
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]


def _cut(
    clause: Clause,
    text: str,
    cued: Cued,
    found: list[tuple[int, int]],
    kinds: tuple[Kind, ...],
) -> list[Clause]:
    spans = sorted(found)
    if len(spans) < 2:
        return [clause]
    after = [clause.start, *(end for _, end in spans[:-1]), clause.end]
    before = [clause.start, *(start for start, _ in spans[1:]), clause.end]
    for cuts in (after, before):
        cut = [_piece(clause, text, s, e) for s, e in pairwise(cuts)]
        if all(cued(piece, kinds) for piece in cut):
            return cut
    return [clause]


def _piece(clause: Clause, text: str, start: int, end: int) -> Clause:
    part = text[start:end]
    return Clause(
        start=start,
        end=end,
        text=part,
        words=words(part),
        entities=[
            e
            for e in clause.entities
            if isinstance(e.get("start"), int) and start <= e["start"] < end
        ],
        numbers=[n for n in clause.numbers if start <= n.start < end],
    )


def in_order(
    clauses: Sequence[Clause], open_questions: Sequence[Question], cued: Cued
) -> dict[int, Question]:
    """Bare amounts, one per clause ("450 et 200"), answer in order the amount questions still
    open (`open_questions`, in the form's order): clause id -> question. Nothing when their
    numbers differ, or for a single amount (the pending question takes it)."""
    bare = [c for c in clauses if _bare_amount(c, cued)]
    if len(bare) < 2 or len(bare) != len(open_questions):
        return {}
    return {id(c): q for c, q in zip(bare, open_questions, strict=True)}


def _bare_amount(clause: Clause, cued: Cued) -> bool:
    amounts = len(clause.entity("amount")) + sum(not n.negated for n in clause.numbers)
    others = [e for e in clause.entities if e.get("entity") != "amount"]
    return amounts == 1 and not others and not cued(clause, NUMERIC)
