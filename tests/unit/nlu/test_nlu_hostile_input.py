"""Hostile input (issue 11): one huge token must not stall a parse (it took 28 to 116 s)."""

from __future__ import annotations

import time

import pytest

from dialogs.nlu import NluModel
from dialogs.nlu.entities import extract
from dialogs.nlu.evaluate import EVAL_TODAY
from dialogs.nlu.tenants import DEMO_TENANTS

SIZE = 100_000
SHAPES = {
    "letters": "a" * SIZE,
    "digits": "1" * SIZE,
    "at signs": "a@" * (SIZE // 2),
    "dots": "a." * (SIZE // 2),
    "mixed": "a1@.-+ " * (SIZE // 7),
    "spaced digits": "1 " * (SIZE // 2),
    "number words": "trois cent " * (SIZE // 11),
    "grouped thousands": "123 " * (SIZE // 4),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_huge_token_parses_quickly(nlu: NluModel, shape: str) -> None:
    text = SHAPES[shape]
    start = time.perf_counter()
    result = nlu.parse(text, tenants=DEMO_TENANTS, today=EVAL_TODAY)
    assert time.perf_counter() - start < 1.0
    assert result["text"] == text
    assert result["intent"]["name"]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_extractors_run_in_linear_time_even_without_the_parse_bound(shape: str) -> None:
    start = time.perf_counter()
    extract(SHAPES[shape][:5_000], today=EVAL_TODAY, tenants=DEMO_TENANTS)
    assert time.perf_counter() - start < 1.0


def test_only_the_beginning_of_a_long_message_is_read(nlu: NluModel) -> None:
    text = "330 € " + "x " * 5000 + "paul@exemple.fr"
    result = nlu.parse(text, today=EVAL_TODAY)
    assert result["text"] == text
    assert [e["entity"] for e in result["entities"]] == ["amount"]
