"""Measuring the NLU: held-out intent and entity scores, and k-fold cross-validation.

The held-out file is written apart from the training data and never read by training; the
cross-validation only ever sees the training data.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sklearn.model_selection import StratifiedKFold

from dialogs.nlu import training_data
from dialogs.nlu.model import NluModel
from dialogs.nlu.tenants import DEMO_TENANTS, TenantCandidate
from dialogs.nlu.training_data import Example

# The date the held-out file's relative dates ("depuis septembre") are written against.
EVAL_TODAY = date(2026, 11, 16)


def default_test_file() -> Path:
    return Path(__file__).resolve().parents[2] / "tests" / "nlu" / "test_data.yml"


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def _scores(true_positive: int, predicted: int, actual: int) -> Scores:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, actual)


@dataclass
class Report:
    accuracy: float
    intents: dict[str, Scores]
    confusions: list[tuple[str, str, int]]
    entities: dict[str, Scores]
    value_accuracy: float
    errors: list[tuple[str, str, str]] = field(default_factory=list)


def intent_report(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, dict[str, Scores]]:
    labels = sorted(set(gold) | set(predicted))
    per_label = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        per_label[label] = _scores(tp, predicted.count(label), gold.count(label))
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return correct / len(gold), per_label


def _same_value(expected: Any, got: Any) -> bool:
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(expected) - float(got)) < 0.005
    return str(expected) == str(got)


def evaluate(
    model: NluModel,
    examples: Sequence[Example],
    *,
    tenants: Sequence[TenantCandidate] = DEMO_TENANTS,
    today: date = EVAL_TODAY,
) -> Report:
    gold: list[str] = []
    predicted: list[str] = []
    errors: list[tuple[str, str, str]] = []
    entity_counts: dict[str, Counter[str]] = {}
    values_checked = values_right = 0
    for example in examples:
        result = model.parse(example.text, tenants=tenants, today=today)
        gold.append(example.intent)
        predicted.append(result["intent"]["name"])
        if example.intent != result["intent"]["name"]:
            errors.append((example.text, example.intent, result["intent"]["name"]))
        found = result["entities"]
        for annotation in example.entities:
            counts = entity_counts.setdefault(annotation.entity, Counter())
            counts["actual"] += 1
            match = next(
                (
                    e
                    for e in found
                    if e["entity"] == annotation.entity
                    and e["start"] < annotation.end
                    and annotation.start < e["end"]
                ),
                None,
            )
            if match is not None:
                counts["tp"] += 1
                if annotation.value is not None:
                    values_checked += 1
                    values_right += _same_value(annotation.value, match["value"])
        for entity in found:
            entity_counts.setdefault(entity["entity"], Counter())["predicted"] += 1
    accuracy, intents = intent_report(gold, predicted)
    pairs = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return Report(
        accuracy=accuracy,
        intents=intents,
        confusions=[(g, p, n) for (g, p), n in pairs.most_common(10)],
        entities={
            name: _scores(c["tp"], c["predicted"], c["actual"])
            for name, c in sorted(entity_counts.items())
        },
        value_accuracy=values_right / values_checked if values_checked else 1.0,
        errors=errors,
    )


def cross_validate(data: training_data.TrainingData, folds: int = 5, seed: int = 13) -> list[float]:
    """Intent accuracy of each fold, training on the others."""
    intents = [e.intent for e in data.examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    accuracies = []
    for train_index, test_index in splitter.split(data.examples, intents):
        subset = dataclasses.replace(data, examples=[data.examples[i] for i in train_index])
        model = NluModel.from_data(subset)
        held = [data.examples[i] for i in test_index]
        right = sum(
            model.parse(e.text, today=EVAL_TODAY)["intent"]["name"] == e.intent for e in held
        )
        accuracies.append(right / len(held))
    return accuracies


def format_report(report: Report, folds: Sequence[float] = ()) -> str:
    lines = [
        f"Held-out intent accuracy: {report.accuracy:.3f}",
        "",
        f"{'intent':<22} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}",
    ]
    for name, s in report.intents.items():
        lines.append(f"{name:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:4d}")
    lines += ["", "Most confused (expected -> predicted):"]
    lines += [f"  {g} -> {p}: {n}" for g, p, n in report.confusions] or ["  none"]
    lines += ["", f"{'entity':<22} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}"]
    for name, s in report.entities.items():
        lines.append(f"{name:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:4d}")
    lines.append(f"Normalised values right (where annotated): {report.value_accuracy:.3f}")
    if folds:
        mean = sum(folds) / len(folds)
        shown = ", ".join(f"{a:.3f}" for a in folds)
        lines += ["", f"{len(folds)}-fold cross-validation accuracy: {mean:.3f} ({shown})"]
    return "\n".join(lines)
