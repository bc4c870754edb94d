"""The run's one trained model (the root `nlu_model_file` fixture), loaded from its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.nlu import NluModel, training_data
from dialogs.nlu import evaluate as evaluation
from dialogs.nlu.training_data import Example


@pytest.fixture(scope="session")
def model_path(nlu_model_file: Path) -> Path:
    return nlu_model_file


@pytest.fixture(scope="session")
def nlu(model_path: Path) -> NluModel:
    return NluModel.load(model_path)


@pytest.fixture(scope="session")
def heldout() -> list[Example]:
    return training_data.load_examples([evaluation.default_test_file()])


@pytest.fixture(scope="session")
def heldout2() -> list[Example]:
    return training_data.load_examples([evaluation.test_files()["held-out 2"]])
