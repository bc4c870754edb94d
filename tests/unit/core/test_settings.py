"""Settings come from the environment by the README's names, the values given first, and a bad
value stops the start with the variable named."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from services.core.settings import Settings


def test_the_environment_is_read_by_the_readme_names_whatever_their_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BAILLEUR_DATA_DIR", "/srv/bailleur")
    monkeypatch.setenv("bailleur_session_minutes", "45")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    settings = Settings()
    assert (settings.data_dir, settings.session_minutes) == (Path("/srv/bailleur"), 45)
    assert settings.telegram_bot_token == "123:abc"
    assert settings.nlu_model_path == Path("/srv/bailleur/nlu-model.pkl")


def test_values_given_win_over_the_environment_by_alias_or_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BAILLEUR_DATA_DIR", "/srv/bailleur")
    monkeypatch.setenv("BAILLEUR_TODAY", "2026-11-23")
    assert Settings(BAILLEUR_DATA_DIR=Path("/tmp/a")).data_dir == Path("/tmp/a")
    assert Settings.model_validate({"data_dir": "/tmp/b"}).data_dir == Path("/tmp/b")
    assert Settings.model_validate({"DATABASE_URL": "sqlite://"}).today == "2026-11-23"


def test_a_session_length_out_of_bounds_names_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BAILLEUR_SESSION_MINUTES", "0")
    with pytest.raises(ValidationError, match="BAILLEUR_SESSION_MINUTES"):
        Settings()
