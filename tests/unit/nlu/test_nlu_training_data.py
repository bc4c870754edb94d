from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.nlu import default_model_path, nlu_data_dir
from dialogs.nlu.normalise import expand, fold
from dialogs.nlu.training_data import Annotation, load, parse_example


def test_parse_example_plain_and_json_annotations() -> None:
    example = parse_example(
        '[mme brisson](tenant_name) doit [330 €]{"entity": "amount", "value": 330}', "x"
    )
    assert example.text == "mme brisson doit 330 €"
    assert example.entities == (
        Annotation("tenant_name", 0, 11, None),
        Annotation("amount", 17, 22, 330),
    )


def test_unknown_entry_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text("nlu:\n- intnet: greet\n  examples: |\n    - hi\n")
    with pytest.raises(ValueError):
        load(tmp_path)


def test_fold_keeps_offsets() -> None:
    text = "Déménagé à Noël, l’œuvre"
    assert len(fold(text)) == len(text)
    assert fold(text) == "demenage a noel, l'ouvre"


def test_sms_expansions_come_from_the_data() -> None:
    data = load(nlu_data_dir())
    assert expand("Bjr, G oublié mon MDP stp", data.expansions) == (
        "bonjour , j'ai oublie mon mot de passe s'il te plait"
    )


def test_nlu_data_dir_found_from_any_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (nlu_data_dir() / "chitchat.yml").is_file()


def test_default_model_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BAILLEUR_DATA_DIR", str(tmp_path))
    assert default_model_path() == tmp_path / "nlu-model.pkl"
    monkeypatch.delenv("BAILLEUR_DATA_DIR")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_model_path() == Path.home() / ".local/share/bailleur-bot/nlu-model.pkl"


def test_no_example_is_given_to_two_intents() -> None:
    data = load(nlu_data_dir())
    intents: dict[str, set[str]] = {}
    for example in data.examples:
        intents.setdefault(example.text.strip().lower(), set()).add(example.intent)
    assert {text: i for text, i in intents.items() if len(i) > 1} == {}


def test_annotations_agree_with_the_extractors() -> None:
    """Rasa learns from the annotations, our NLU from its rules: both must say the same."""
    from datetime import date

    from dialogs.nlu.entities import extract
    from dialogs.nlu.evaluate import lookup_tenants

    data = load(nlu_data_dir())
    tenants = lookup_tenants(data)
    disagreements = []
    for example in data.examples:
        found = extract(
            example.text,
            today=date(2026, 1, 1),
            tenants=tenants,
            change_type_phrases=data.change_type_phrases,
        )
        for annotation in example.entities:
            same = [
                e
                for e in found
                if e["entity"] == annotation.entity
                and e["start"] < annotation.end
                and annotation.start < e["end"]
            ]
            value_ok = annotation.value is None or any(
                str(e["value"]) == str(annotation.value) for e in same
            )
            if not same or not value_ok:
                disagreements.append((example.text, annotation.entity, annotation.value))
        for entity in found:
            if entity["entity"] == "tenant_name":
                continue  # names of people who are not tenants (users, the landlord) stay plain
            if not any(
                a.entity == entity["entity"] and a.start < entity["end"] and entity["start"] < a.end
                for a in example.entities
            ):
                disagreements.append((example.text, entity["entity"], "not annotated"))
    assert disagreements == []


def test_annotations_sit_on_whole_words() -> None:
    """Rasa warns (and `--fail-on-warnings` fails) when an entity cuts a token in two."""
    data = load(nlu_data_dir())
    cut = []
    for example in data.examples:
        text = example.text
        for a in example.entities:
            starts_word = a.start == 0 or not text[a.start - 1].isalnum()
            ends_word = a.end == len(text) or not text[a.end].isalnum()
            if not (
                starts_word and ends_word and text[a.start].isalnum() and text[a.end - 1].isalnum()
            ):
                cut.append((text, text[a.start : a.end]))
    assert cut == []


# The batches written after the held-out sets: each draft was checked against both of them.
CHECKED_BATCHES = (
    "families.yml",
    "out_of_scope_families.yml",
    "siblings.yml",
    "phrasing_families.yml",
)


def test_later_batches_hold_no_near_copy_of_a_heldout_sentence() -> None:
    """A training sentence at a character n-gram similarity of 0.85 or more from a held-out one
    would make the held-out figure a memory test (`dialogs.nlu.distance`)."""
    from dialogs.nlu.distance import nearest_similarity
    from dialogs.nlu.evaluate import test_files
    from dialogs.nlu.training_data import load_examples

    heldout = [e.text for path in test_files().values() for e in load_examples([path])]
    batches = [nlu_data_dir() / name for name in CHECKED_BATCHES]
    texts = [e.text for e in load_examples(batches)]
    assert len(texts) > 500
    similarity = nearest_similarity(heldout, texts)
    assert [t for t, s in zip(texts, similarity, strict=True) if s >= 0.85] == []
