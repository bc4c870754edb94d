"""The NLU model the engine calls: intent ranking plus entities, in Rasa's parse format."""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dialogs.nlu import training_data
from dialogs.nlu.classifier import IntentClassifier
from dialogs.nlu.entities import extract
from dialogs.nlu.normalise import expand
from dialogs.nlu.paths import nlu_data_dir
from dialogs.nlu.tenants import TenantCandidate

FORMAT_VERSION = 1
DEFAULT_FALLBACK_THRESHOLD = 0.35
RANKING_SIZE = 5
# Entities replaced by a placeholder word before classification: the classifier should learn
# "an amount is here", not that 412 is more "inform" than 413.
_PLACEHOLDERS = {
    "amount": " zzmontant ",
    "date": " zzdate ",
    "email": " zzemail ",
    "phone": " zztelephone ",
    "user_number": " zznumutilisateur ",
    "allocataire_number": " zznumero ",
    "tenant_name": " zznom ",
}
_TRAINING_TODAY = date(2026, 1, 1)


def _mask(text: str, entities: Sequence[dict[str, Any]]) -> str:
    pieces: list[str] = []
    cursor = 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        placeholder = _PLACEHOLDERS.get(entity["entity"])
        if placeholder is None or entity["start"] < cursor:
            continue
        pieces += [text[cursor : entity["start"]], placeholder]
        cursor = entity["end"]
    pieces.append(text[cursor:])
    return "".join(pieces)


@dataclass
class NluModel:
    """Trained intent classifier plus the data the rule-based extractors need.

    `fallback_threshold`: below this top-intent confidence the engine should treat the message as
    not understood and ask again rather than act.
    """

    classifier: IntentClassifier
    expansions: dict[str, str]
    change_type_phrases: dict[str, str]
    known_names: frozenset[str]
    data_hash: str = ""
    fallback_threshold: float = DEFAULT_FALLBACK_THRESHOLD
    format_version: int = field(default=FORMAT_VERSION)

    @classmethod
    def from_data(
        cls, data: training_data.TrainingData, data_hash: str = "", **options: Any
    ) -> NluModel:
        """Train on `data`; `options` go to `dialogs.nlu.training.fit` (experiments)."""
        from dialogs.nlu.training import fit  # training libraries load only here

        expansions = data.expansions
        names = frozenset(data.lookups.get("tenant_name", []))
        texts = []
        for example in data.examples:
            found = extract(example.text, today=_TRAINING_TODAY)
            texts.append(_classifier_text(_mask(example.text, found), expansions, names))
        classifier = fit(texts, [e.intent for e in data.examples], **options)
        return cls(classifier, expansions, data.change_type_phrases, names, data_hash)

    @classmethod
    def train(cls, data_dir: Path | None = None) -> NluModel:
        directory = data_dir or nlu_data_dir()
        return cls.from_data(training_data.load(directory), training_data.fingerprint(directory))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)  # atomic: a concurrent reader never sees half a model

    @classmethod
    def load(cls, path: Path) -> NluModel:
        # The file is one this program wrote in its own data directory (pickle trusts its input).
        model = pickle.loads(path.read_bytes())
        if not isinstance(model, cls) or model.format_version != FORMAT_VERSION:
            raise ValueError(f"{path} is not an NLU model of this version")
        return model

    @classmethod
    def load_or_train(cls, path: Path, data_dir: Path | None = None) -> NluModel:
        directory = data_dir or nlu_data_dir()
        current = training_data.fingerprint(directory)
        if path.exists():
            try:
                model = cls.load(path)
            except (ValueError, pickle.UnpicklingError, EOFError, AttributeError):
                model = None
            if model is not None and model.data_hash == current:
                return model
        model = cls.train(directory)
        model.save(path)
        return model

    def classify(self, text: str, entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Intent ranking, best first, every label included."""
        prepared = _classifier_text(_mask(text, entities), self.expansions, self.known_names)
        probabilities = self.classifier.probabilities(prepared)
        order = probabilities.argsort()[::-1]
        return [
            {"name": self.classifier.labels[i], "confidence": float(probabilities[i])}
            for i in order
        ]

    def parse(
        self,
        text: str,
        *,
        tenants: Sequence[TenantCandidate] = (),
        today: date | None = None,
    ) -> dict[str, Any]:
        """Rasa parse result: text, intent, intent_ranking (top 5) and entities."""
        entities = extract(
            text,
            today=today or date.today(),
            tenants=tenants,
            change_type_phrases=self.change_type_phrases,
        )
        ranking = self.classify(text, entities)
        return {
            "text": text,
            "intent": ranking[0],
            "intent_ranking": ranking[:RANKING_SIZE],
            "entities": entities,
        }


_SPACES = re.compile(r"\s+")


def _classifier_text(text: str, expansions: dict[str, str], names: frozenset[str]) -> str:
    words = expand(text, expansions).split(" ")
    return _SPACES.sub(" ", " ".join("zznom" if w in names else w for w in words)).strip()
