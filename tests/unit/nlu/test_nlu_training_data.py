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
