"""Layout rules of the Telegram rendering (pure functions, no bot needed)."""

from __future__ import annotations

from bot.telegram.render import MAX_TEXT, plan, split_text, tg_len, with_choice_made
from dialogs.io import Choice, Document, OutMessage

PDF = Document("recu.pdf", b"%PDF-1.4")


def test_consecutive_texts_and_the_question_make_one_message() -> None:
    out = plan(
        [
            OutMessage("Vous êtes connecté."),
            OutMessage("Bienvenue."),
            OutMessage("Que souhaitez-vous faire ?", (Choice("Déclarer", "k1"),)),
        ]
    )
    assert len(out) == 1
    assert out[0].html_text == "Vous êtes connecté.\n\nBienvenue.\n\nQue souhaitez-vous faire ?"
    assert out[0].keyboard is not None


def test_texts_are_escaped_for_html() -> None:
    (out,) = plan([OutMessage("Loyer < 1 000 € & charges > 0 <b>")])
    assert out.html_text == "Loyer &lt; 1 000 € &amp; charges &gt; 0 &lt;b&gt;"


def test_short_labels_go_two_per_row_long_ones_alone() -> None:
    (short,) = plan([OutMessage("?", (Choice("Oui", "a"), Choice("Non", "b")))])
    assert short.keyboard is not None
    assert [len(row) for row in short.keyboard.inline_keyboard] == [2]
    long_labels = (Choice("BRISSON Isabelle — n° 171842 — 14000 CAEN", "c"), Choice("Non", "d"))
    (long,) = plan([OutMessage("?", long_labels)])
    assert long.keyboard is not None
    assert [len(row) for row in long.keyboard.inline_keyboard] == [1, 1]
    assert long.keyboard.inline_keyboard[0][0].callback_data == "c"


def test_document_takes_its_text_as_caption_and_splits_the_flow() -> None:
    out = plan(
        [
            OutMessage("Avant."),
            OutMessage("Votre reçu.", document=PDF),
            OutMessage("Après.", (Choice("Encore", "x"),)),
        ]
    )
    assert [(o.html_text, o.document is not None) for o in out] == [
        ("Avant.", False),
        ("Votre reçu.", True),
        ("Après.", False),
    ]


def test_long_caption_is_sent_as_text_before_the_document() -> None:
    out = plan([OutMessage("x" * 2000, document=PDF)])
    assert [o.document is not None for o in out] == [False, True]
    assert out[1].html_text == ""


def test_long_texts_are_split_at_line_breaks_within_the_limit() -> None:
    lines = [f"Ligne {i} " + "é" * 60 for i in range(200)]
    out = plan([OutMessage("\n".join(lines))])
    assert len(out) > 1
    assert all(tg_len(o.html_text) <= MAX_TEXT for o in out)
    assert "\n".join(o.html_text for o in out).split("\n") == lines


def test_texts_too_long_together_are_not_joined() -> None:
    out = plan([OutMessage("a" * 3000), OutMessage("b" * 3000)])
    assert [o.html_text[0] for o in out] == ["a", "b"]


def test_emoji_count_double_for_the_limit() -> None:
    assert tg_len("➡️") == 2
    assert tg_len("😀") == 2
    chunks = split_text("😀" * 3000)
    assert all(tg_len(chunk) <= MAX_TEXT for chunk in chunks)
    assert "".join(chunks) == "😀" * 3000


def test_choice_made_is_appended_escaped() -> None:
    assert with_choice_made("Êtes-vous <sûr> ?", "Oui & non") == (
        "Êtes-vous &lt;sûr&gt; ?\n\n➡️ Oui &amp; non"
    )
