"""Choosing the fallback threshold and the ambiguity margin on held-out predictions.

Both numbers trade a question against a mistake, so they are chosen by cost on predictions the
model did not train on (the out-of-fold predictions of cross-validation): acting on a wrong task
intent starts a procedure nobody asked for (`FALSE_START_COST`), acting on another wrong intent
gives a wrong answer (`WRONG_ANSWER_COST`), and a needless question or "I did not understand"
costs one turn (`QUESTION_COST`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dialogs.nlu.evaluate import Prediction
from dialogs.nlu.model import TASK_INTENTS

FALSE_START_COST = 3.0
WRONG_ANSWER_COST = 1.5
QUESTION_COST = 1.0
THRESHOLDS = tuple(round(0.20 + 0.05 * i, 2) for i in range(11))  # 0.20 .. 0.70
MARGINS = tuple(round(0.05 * i, 2) for i in range(8))  # 0.00 .. 0.35


@dataclass(frozen=True)
class Choice:
    value: float
    cost: float


def _second(prediction: Prediction) -> tuple[str, float]:
    ranking = prediction.result["intent_ranking"]
    return (ranking[1]["name"], float(ranking[1]["confidence"])) if len(ranking) > 1 else ("", 0.0)


def _cost(prediction: Prediction, threshold: float, margin: float) -> float:
    right = prediction.predicted == prediction.example.intent
    if prediction.confidence < threshold:
        return 0.0 if prediction.example.intent == "out_of_scope" else QUESTION_COST
    second, confidence = _second(prediction)
    close = prediction.confidence - confidence < margin
    if close and prediction.predicted in TASK_INTENTS and second in TASK_INTENTS:
        # "Which one?": cheap when one of the two is right, a wasted turn otherwise.
        return QUESTION_COST * (
            0.5 if prediction.example.intent in {prediction.predicted, second} else 1.0
        )
    if right:
        return 0.0
    return FALSE_START_COST if prediction.predicted in TASK_INTENTS else WRONG_ANSWER_COST


def best_threshold(predictions: Sequence[Prediction], margin: float) -> Choice:
    costs = [Choice(t, sum(_cost(p, t, margin) for p in predictions)) for t in THRESHOLDS]
    return min(costs, key=lambda c: (c.cost, c.value))


def best_margin(predictions: Sequence[Prediction], threshold: float) -> Choice:
    costs = [Choice(m, sum(_cost(p, threshold, m) for p in predictions)) for m in MARGINS]
    return min(costs, key=lambda c: (c.cost, c.value))


def calibrate(predictions: Sequence[Prediction], start_threshold: float) -> tuple[Choice, Choice]:
    """Alternate the two choices until neither moves (two rounds are enough in practice)."""
    threshold = Choice(start_threshold, 0.0)
    margin = Choice(0.0, 0.0)
    for _ in range(3):
        margin = best_margin(predictions, threshold.value)
        threshold = best_threshold(predictions, margin.value)
    return threshold, margin
