"""What the composition root gives production when nothing is replaced."""

from __future__ import annotations

from pathlib import Path

from bot.bootstrap import build_app
from services.accounts.passwords import STRONG_PARAMETERS, PasswordHasher
from services.core.settings import Settings


def test_the_application_hashes_passwords_with_the_strong_parameters(
    tmp_path: Path, nlu_model_file: Path
) -> None:
    settings = Settings(BAILLEUR_DATA_DIR=tmp_path, BAILLEUR_NLU_MODEL=nlu_model_file)
    app = build_app(settings)
    try:
        hasher = app.uow_factory().passwords
        assert isinstance(hasher, PasswordHasher)
        assert hasher.parameters == STRONG_PARAMETERS
    finally:
        app.dispose()
