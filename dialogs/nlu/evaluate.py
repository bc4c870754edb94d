"""Measuring the NLU: two held-out sets and k-fold cross-validation, per intent and per entity.

The held-out files are written apart from the training data and never read by training; the
cross-validation only ever sees the training data. An entity counts as found when an extracted
entity of the same type overlaps the annotated span and, where the file gives a normalised value,
has exactly that value ("exact match"). Training-time module: it imports scikit-learn.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dialogs.nlu import training_data
from dialogs.nlu.model import FORM_INTENTS, NluModel
from dialogs.nlu.tenants import DEMO_TENANTS, TenantCandidate
from dialogs.nlu.training_data import Example

# The date the held-out files' relative dates ("depuis septembre") are written against.
EVAL_TODAY = date(2026, 11, 16)


def test_files() -> dict[str, Path]:
    folder = Path(__file__).resolve().parents[2] / "tests" / "nlu"
    return {
        "held-out 1": folder / "test_data.yml",
        "held-out 2": folder / "test_data_registers.yml",
    }


def default_test_file() -> Path:
    return test_files()["held-out 1"]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def _scores(true_positive: int, predicted: int, actual: int) -> Scores:
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, actual)


@dataclass(frozen=True)
class Prediction:
    """One parsed example: what was expected and what the model said."""

    example: Example
    result: dict[str, Any]
    # Cosine similarity to the nearest training example (`dialogs.nlu.distance`).
    similarity: float = float("nan")

    @property
    def predicted(self) -> str:
        return str(self.result["intent"]["name"])

    @property
    def confidence(self) -> float:
        return float(self.result["intent"]["confidence"])


@dataclass
class Report:
    accuracy: float
    intents: dict[str, Scores]
    confusions: list[tuple[str, str, int]]
    entities: dict[str, Scores]
    false_starts: list[str] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    entity_errors: list[tuple[str, str, Any, list[Any]]] = field(default_factory=list)


def _same_value(expected: Any, got: Any) -> bool:
    try:
        return abs(float(expected) - float(got)) < 0.005
    except (TypeError, ValueError):
        return str(expected) == str(got)


def _matches(annotation: training_data.Annotation, entity: dict[str, Any]) -> bool:
    return (
        entity["entity"] == annotation.entity
        and entity["start"] < annotation.end
        and annotation.start < entity["end"]
        and (annotation.value is None or _same_value(annotation.value, entity["value"]))
    )


def predict(
    model: NluModel,
    examples: Sequence[Example],
    *,
    tenants: Sequence[TenantCandidate] = DEMO_TENANTS,
    today: date = EVAL_TODAY,
    trained_on: Sequence[Example] = (),
) -> list[Prediction]:
    """Parse every example; with `trained_on`, note each one's similarity to those examples."""
    similarities = [float("nan")] * len(examples)
    if trained_on:
        from dialogs.nlu.distance import nearest_similarity

        similarities = list(
            nearest_similarity([e.text for e in trained_on], [e.text for e in examples])
        )
    return [
        Prediction(e, model.parse(e.text, tenants=tenants, today=today), similarity)
        for e, similarity in zip(examples, similarities, strict=True)
    ]


def report(
    predictions: Sequence[Prediction],
    *,
    fallback_threshold: float,
    skip_entities: frozenset[str] = frozenset(),
) -> Report:
    gold = [p.example.intent for p in predictions]
    guessed = [p.predicted for p in predictions]
    per_intent = {
        label: _scores(
            sum(g == q == label for g, q in zip(gold, guessed, strict=True)),
            guessed.count(label),
            gold.count(label),
        )
        for label in sorted(set(gold) | set(guessed))
    }
    counts: dict[str, Counter[str]] = {}
    entity_errors = []
    for p in predictions:
        found = p.result["entities"]
        found = [e for e in found if e["entity"] not in skip_entities]
        for annotation in p.example.entities:
            if annotation.entity in skip_entities:
                continue
            counts.setdefault(annotation.entity, Counter())["actual"] += 1
            if any(_matches(annotation, e) for e in found):
                counts[annotation.entity]["tp"] += 1
            else:
                span = p.example.text[annotation.start : annotation.end]
                got = [(e["entity"], e["value"]) for e in found]
                entity_errors.append((annotation.entity, span, annotation.value, got))
        for entity in found:
            counts.setdefault(entity["entity"], Counter())["predicted"] += 1
    pairs = Counter((g, q) for g, q in zip(gold, guessed, strict=True) if g != q)
    false_starts = [
        p.example.text
        for p in predictions
        if p.example.intent == "out_of_scope"
        and p.predicted in FORM_INTENTS
        and p.confidence >= fallback_threshold
        and "ambiguous" not in p.result
    ]
    return Report(
        accuracy=sum(g == q for g, q in zip(gold, guessed, strict=True)) / len(gold),
        intents=per_intent,
        confusions=[(g, q, n) for (g, q), n in pairs.most_common(12)],
        entities={
            name: _scores(c["tp"], c["predicted"], c["actual"])
            for name, c in sorted(counts.items())
            if c["actual"]
        },
        false_starts=false_starts,
        errors=[
            (p.example.text, p.example.intent, p.predicted)
            for p in predictions
            if p.predicted != p.example.intent
        ],
        entity_errors=entity_errors,
    )


def lookup_tenants(data: training_data.TrainingData) -> list[TenantCandidate]:
    """The training sentences' names (the `tenant_name` lookup) as tenants, for their entities."""
    names = data.lookups.get("tenant_name", [])
    return [TenantCandidate(i, "", name.upper()) for i, name in enumerate(names, start=1)]


def cross_validate(
    data: training_data.TrainingData, folds: int = 5, seed: int = 13
) -> tuple[list[float], list[Prediction]]:
    """Intent accuracy of each fold, and every out-of-fold prediction (training on the others)."""
    from sklearn.model_selection import StratifiedKFold  # training-time only

    intents = [e.intent for e in data.examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    accuracies: list[float] = []
    predictions: list[Prediction] = []
    for train_index, test_index in splitter.split(data.examples, intents):
        subset = dataclasses.replace(data, examples=[data.examples[i] for i in train_index])
        model = NluModel.from_data(subset)
        held = [data.examples[i] for i in test_index]
        fold = predict(model, held, tenants=lookup_tenants(data), trained_on=subset.examples)
        accuracies.append(sum(p.predicted == p.example.intent for p in fold) / len(fold))
        predictions += fold
    return accuracies, predictions
