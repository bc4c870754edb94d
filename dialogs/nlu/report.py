"""Plain-text reports of `python -m dialogs.nlu evaluate`: a summary table, then the details of
each evaluation (per intent, per entity, most confused pairs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from dialogs.nlu import distance
from dialogs.nlu.evaluate import Prediction, Report


def summary(reports: Mapping[str, Report], sizes: Mapping[str, int]) -> str:
    lines = [
        f"{'evaluation':<22} {'n':>5} {'intent acc':>10} {'worst entity f1':>24} {'OOS false starts':>17}"
    ]
    for name, rep in reports.items():
        worst = min(rep.entities.items(), key=lambda kv: kv[1].f1, default=None)
        shown = f"{worst[1].f1:.3f} ({worst[0]})" if worst else "-"
        lines.append(
            f"{name:<22} {sizes[name]:>5} {rep.accuracy:>10.3f} {shown:>24} {len(rep.false_starts):>17}"
        )
    return "\n".join(lines)


def details(name: str, rep: Report, *, errors: bool = False) -> str:
    lines = [f"== {name}: intent accuracy {rep.accuracy:.3f}", ""]
    lines.append(f"{'intent':<22} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}")
    for label, s in rep.intents.items():
        lines.append(f"{label:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:4d}")
    lines += ["", "Most confused (expected -> predicted):"]
    lines += [f"  {g} -> {p}: {n}" for g, p, n in rep.confusions] or ["  none"]
    lines += ["", f"{'entity (exact match)':<22} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}"]
    for label, s in rep.entities.items():
        lines.append(f"{label:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:4d}")
    lines.append(f"Out-of-scope examples that would start a form: {len(rep.false_starts)}")
    lines += [f"  {text!r}" for text in rep.false_starts]
    if errors:
        lines += ["", "Misclassified:"]
        lines += [f"  {t!r}: expected {e}, got {g}" for t, e, g in rep.errors]
        lines += ["", "Entities missed or wrong (type, span, expected value, found):"]
        lines += [f"  {k} {s!r} {v!r} {f}" for k, s, v, f in rep.entity_errors]
    return "\n".join(lines)


def distances(runs: Mapping[str, Sequence[Prediction]], *, cross_validation: str) -> str:
    """Accuracy by similarity to the nearest training example, and the cross-validation
    reweighted to each held-out set's similarities (see `dialogs.nlu.distance`)."""
    arrays = {
        name: (
            np.asarray([p.similarity for p in run]),
            np.asarray([p.predicted == p.example.intent for p in run]),
        )
        for name, run in runs.items()
    }
    header = "".join(f"{label:>14}" for label in distance.band_labels())
    lines = [f"{'similarity to training':<22} {'median':>6}{header}"]
    for name, (similarities, correct) in arrays.items():
        cells = "".join(
            f"{'-':>14}" if accuracy is None else f"{accuracy:>8.3f} ({count:>3})"
            for count, accuracy in distance.by_band(similarities, correct)
        )
        lines.append(f"{name:<22} {float(np.median(similarities)):>6.3f}{cells}")
    cv_similarities, cv_correct = arrays[cross_validation]
    for name, (similarities, _) in arrays.items():
        if name != cross_validation:
            value = distance.reweighted_accuracy(cv_similarities, cv_correct, similarities)
            lines.append(f"{cross_validation} at the similarities of {name}: {value:.3f}")
    return "\n".join(lines)
