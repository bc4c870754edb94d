"""The NLU model the engine calls: intent ranking plus entities, in Rasa's parse format.

Loading and parsing use numpy only (no scikit-learn, no spaCy: see `dialogs.nlu.training`). Two
keys beyond Rasa's format tell the dialog policy when not to act on the top intent:
- the intent is `out_of_scope` when the classifier says so, or when it is unsure, no word of
  the message belongs to the domain's vocabulary and no entity was found (an explicit model of
  what we do);
- `ambiguous: [first, second]` when the two best intents are both tasks and closer than
  `AMBIGUITY_MARGIN`: a clarifying question costs less than starting the wrong procedure.
Both numbers were chosen on held-out predictions (`python -m dialogs.nlu calibrate`).
"""

from __future__ import annotations

import functools
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dialogs.nlu import training_data
from dialogs.nlu.belongings import names_foreign_belonging
from dialogs.nlu.entities import ChangeTypes, extract
from dialogs.nlu.normalise import expand, fold, tokens
from dialogs.nlu.paths import nlu_data_dir
from dialogs.nlu.tenants import TenantCandidate
from dialogs.nlu.typos import TypoCorrector, among

if TYPE_CHECKING:  # numpy is imported by unpickling a model (`dialogs.nlu.lazy`), not here
    from dialogs.nlu.classifier import IntentClassifier

FORMAT_VERSION = 6
# Calibrated with `python -m dialogs.nlu calibrate` on out-of-fold predictions (README, NLU).
DEFAULT_FALLBACK_THRESHOLD = 0.55
AMBIGUITY_MARGIN = 0.35
RANKING_SIZE = 5
# Above this confidence the classifier's own evidence (character n-grams) beats the vocabulary.
DOMAIN_OVERRIDE = 0.6
# Only this much of a message is read: a parse stays in milliseconds whatever is pasted.
MAX_TEXT_CHARS = 2000
OUT_OF_SCOPE = "out_of_scope"
# Intents that start or switch a procedure: two of them close together make a question.
TASK_INTENTS = frozenset(
    {
        "login",
        "logout",
        "list_tenants",
        "declare_rent",
        "declare_change",
        "report_unpaid",
        "view_payments",
        "manage_users",
    }
)
# Intents that start a form: a word foreign to the domain is enough to not start one. The two
# account questions start one too (« Mot de passe oublié », « Identifiant perdu » ask for an
# email or a N° utilisateur): « mot de passe de ma box » must not open them.
FORM_INTENTS = frozenset(
    {
        "login",
        "declare_rent",
        "declare_change",
        "report_unpaid",
        "manage_users",
        "faq_forgot_password",
        "faq_lost_identifier",
    }
)
# Entities only our requests carry: with one of them a foreign word ("virement bancaire") is a detail.
OWN_ENTITIES = frozenset({"tenant_name", "amount", "allocataire_number", "user_number"})
# Intents where a change-type phrase names a change (elsewhere "parti" is just a word).
CHANGE_TYPE_INTENTS = frozenset({"declare_change", "inform"})
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
    "month": " zzmois ",
}
_TRAINING_TODAY = date(2026, 1, 1)
_SPACES = re.compile(r"\s+")
_CONTENT_WORD = re.compile(r"[a-z]{3,20}")


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


# "pas d'impayé", "sans impayés", "aucun retard de paiement": the absence of an unpaid rent is a
# fact of a rent declaration, not a report; one placeholder word that shares no character n-gram
# with "impayé" (which weighs heavily towards the report), so the classifier learns it apart.
NO_UNPAID_WORD = "zzajour"
_NO_UNPAID = re.compile(
    r"\b(?:pas|sans|aucune?|ni|rien)(?: (?:d|de|des|du)(?: ')?)? (?:impayes?|retards?(?: de paiement)?)\b"
)


# The bot serves landlords: a message whose writer speaks as a tenant or a beneficiary about
# their own file (« je suis allocataire et je déménage », « mon espace allocataire », « mon APL
# perso », « un colocataire pour ma propre maison ») is about their own benefits, never one of our
# procedures, whatever words it shares with them. Checked on the training data and both held-out
# sets: every message it matches is out of scope.
_SELF_AS_BENEFICIARY = re.compile(
    r"\b(?:je suis (?:moi[- ]meme )?(?:un |une )?(?:locataire|allocataire|beneficiaire)"
    r"|en tant qu(?:e |')(?:locataire|allocataire|beneficiaire)"
    r"|(?:mon|ma) (?:espace|compte|dossier) (?:caf )?(?:allocataire|perso|personnel)"
    r"|(?:ma|mon) propre"
    r"|(?:apl|aide|allocation|dossier|compte caf|caf) (?:perso|personnel(?:le)?)\b"
    r"|(?:logement|maison|appartement|appart) a moi)"
)


def speaks_as_beneficiary(text: str) -> bool:
    """True when the writer presents the request as their own benefit file (see above)."""
    return _SELF_AS_BENEFICIARY.search(fold(text)) is not None


# Counts and ranks said on their own ("trois", "la deuxième", "4 locataires"): the classifier
# should learn "a number is here", as for amounts, not each number word.
NUMBER_WORDS = frozenset(
    [
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
        "quinze",
        "vingt",
        "trente",
        "cent",
    ]
)
ORDINAL_WORDS = frozenset(
    [
        "premier",
        "premiere",
        "deuxieme",
        "second",
        "seconde",
        "troisieme",
        "quatrieme",
        "cinquieme",
        "sixieme",
        "dernier",
        "derniere",
        "1er",
        "1ere",
        "2e",
        "2eme",
        "3e",
        "3eme",
        "4e",
        "4eme",
        "5e",
        "5eme",
    ]
)
_DIGITS_ONLY = re.compile(r"\d{1,4}")


def _placeholder(word: str, names: frozenset[str]) -> str:
    if word in names:
        return "zznom"
    if word in NUMBER_WORDS or _DIGITS_ONLY.fullmatch(word):
        return "zznombre"
    if word in ORDINAL_WORDS:
        return "zzrang"
    return word


def _classifier_text(text: str, expansions: dict[str, str], names: frozenset[str]) -> str:
    words = _NO_UNPAID.sub(NO_UNPAID_WORD, expand(text, expansions)).split(" ")
    return _SPACES.sub(" ", " ".join(_placeholder(w, names) for w in words)).strip()


def _content_words(prepared: str) -> list[str]:
    return [w for w in tokens(prepared) if _CONTENT_WORD.fullmatch(w) and not w.startswith("zz")]


@dataclass
class NluModel:
    """Trained intent classifier plus the data the rule-based extractors need.

    `fallback_threshold`: below this top-intent confidence the engine should treat the message as
    not understood and say what it can do rather than act. `domain_words`: every word of the
    in-domain training examples (after folding and SMS expansion).
    """

    classifier: IntentClassifier
    expansions: dict[str, str]
    change_type_phrases: dict[str, str]
    known_names: frozenset[str]
    data_hash: str = ""
    fallback_threshold: float = DEFAULT_FALLBACK_THRESHOLD
    domain_words: frozenset[str] = frozenset()
    ambiguity_margin: float = AMBIGUITY_MARGIN
    foreign_words: frozenset[str] = frozenset()
    corrector: TypoCorrector = field(default_factory=TypoCorrector)
    format_version: int = field(default=FORMAT_VERSION)

    @classmethod
    def from_data(
        cls, data: training_data.TrainingData, data_hash: str = "", **options: Any
    ) -> NluModel:
        """Train on `data`; `options` go to `dialogs.nlu.training.fit` (experiments)."""
        from dialogs.nlu.foreign import foreign_words
        from dialogs.nlu.training import fit  # training libraries load only here
        from dialogs.nlu.word_vectors_source import french_lexicon

        expansions = data.expansions
        names = frozenset(data.lookups.get("tenant_name", []))
        texts = []
        for example in data.examples:
            found = extract(
                example.text, today=_TRAINING_TODAY, change_type_phrases=data.change_type_phrases
            )
            texts.append(_classifier_text(_mask(example.text, found), expansions, names))
        labels = [e.intent for e in data.examples]
        foreign_options = {
            k: options.pop(k) for k in ("min_similarity", "margin", "common_words") if k in options
        }
        classifier = fit(texts, labels, **options)
        domain = frozenset(
            w
            for t, label in zip(texts, labels, strict=True)
            if label != OUT_OF_SCOPE
            for w in _content_words(t)
        )
        outside = frozenset(
            w
            for t, label in zip(texts, labels, strict=True)
            if label == OUT_OF_SCOPE
            for w in _content_words(t)
        )
        return cls(
            classifier,
            expansions,
            data.change_type_phrases,
            names,
            data_hash,
            domain_words=domain,
            foreign_words=foreign_words(domain, outside, **foreign_options),
            corrector=TypoCorrector.from_texts(texts, french_lexicon()),
        )

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
            except Exception:  # any unreadable or older model is trained again
                model = None
            if model is not None and model.data_hash == current:
                return model
        model = cls.train(directory)
        model.save(path)
        return model

    @functools.cached_property
    def change_types(self) -> ChangeTypes:
        """The change-type phrases with their pattern, built by the first parse."""
        return ChangeTypes.of(self.change_type_phrases)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("change_types", None)  # derived: never saved with the model
        return state

    def in_domain(self, prepared: str, entities: Sequence[dict[str, Any]]) -> bool:
        """False when the message has content words and none of them is one of ours, even a
        typo away ("conexion" is ours, "netflix" is not)."""
        if entities:
            return True
        words = _content_words(prepared)
        return not words or any(self._known(w) for w in words)

    def names_foreign(self, prepared: str) -> bool:
        """A word that only out-of-scope requests use ("bancaire", "cpam"): no task of ours."""
        return any(w in self.foreign_words for w in _content_words(prepared))

    def _known(self, word: str) -> bool:
        return among(word, self.domain_words)

    def classify(self, text: str, entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Intent ranking, best first, every label included; out of the domain's vocabulary,
        when a form would start on a message naming something foreign to the domain
        ("connexion à mon compte amazon") and none of our entities, when the writer speaks as a
        beneficiary about their own file, or when the password or identifier named is another
        thing's or the lost thing is not ours (`dialogs.nlu.belongings`), `out_of_scope` comes first with at least half of the
        probability mass."""
        prepared = _classifier_text(_mask(text, entities), self.expansions, self.known_names)
        probabilities = self.classifier.probabilities(self.corrector.correct(prepared))
        labels = self.classifier.labels
        unsure = float(probabilities.max()) < DOMAIN_OVERRIDE
        top = labels[int(probabilities.argmax())]
        ours = any(e["entity"] in OWN_ENTITIES for e in entities)
        foreign = top in FORM_INTENTS and not ours and self.names_foreign(prepared)
        foreign = foreign or (
            not ours and (speaks_as_beneficiary(text) or names_foreign_belonging(text))
        )
        if OUT_OF_SCOPE in labels and (
            foreign or (unsure and not self.in_domain(prepared, entities))
        ):
            outside = labels.index(OUT_OF_SCOPE)
            forced = max(float(probabilities[outside]), 0.5)
            rest = 1.0 - float(probabilities[outside])
            probabilities = probabilities * ((1.0 - forced) / rest if rest > 0 else 0.0)
            probabilities[outside] = forced
        order = probabilities.argsort()[::-1]
        return [{"name": labels[i], "confidence": float(probabilities[i])} for i in order]

    def ambiguous(self, ranking: Sequence[dict[str, Any]]) -> list[str] | None:
        """The two best intents when both are tasks and too close to choose between."""
        if len(ranking) < 2:
            return None
        first, second = ranking[0], ranking[1]
        if first["name"] not in TASK_INTENTS or second["name"] not in TASK_INTENTS:
            return None
        if first["confidence"] - second["confidence"] >= self.ambiguity_margin:
            return None
        return [first["name"], second["name"]]

    def parse(
        self,
        text: str,
        *,
        tenants: Sequence[TenantCandidate] = (),
        today: date | None = None,
    ) -> dict[str, Any]:
        """Rasa parse result: text, intent, intent_ranking (top 5), entities, and `ambiguous`
        (the two close task intents) when the policy should ask which one was meant."""
        read = text[:MAX_TEXT_CHARS]
        entities = extract(
            read,
            today=today or date.today(),
            tenants=tenants,
            change_type_phrases=self.change_types,
            real_words=self.corrector.lexicon,
        )
        ranking = self.classify(read, entities)
        if (offset := _greeting_end(read)) is not None:
            # "bjr mme brisson paye plus depuis septembre": the greeting is politeness, the rest
            # says what is wanted; read alone, the rest is not diluted by it either
            # (« Bonjour, pourriez-vous me dire si … charges comprises ? »).
            shifted = [
                {**e, "start": e["start"] - offset, "end": e["end"] - offset}
                for e in entities
                if e["start"] >= offset
            ]
            after = self.classify(read[offset:], shifted)
            if ranking[0]["name"] == "greet":
                if (after[0]["name"] in TASK_INTENTS | FORM_INTENTS) and after[0][
                    "confidence"
                ] >= self.fallback_threshold:
                    ranking = after  # « bjr jai paumé mon id »: the request after the greeting
            elif after[0]["name"] != "greet" and after[0]["confidence"] > ranking[0]["confidence"]:
                ranking = after
        if ranking[0]["name"] not in CHANGE_TYPE_INTENTS:
            # "l'admin est parti", "le menu de départ": a change type only means one in a change.
            entities = [e for e in entities if e["entity"] != "change_type"]
        result: dict[str, Any] = {
            "text": text,
            "intent": ranking[0],
            "intent_ranking": ranking[:RANKING_SIZE],
            "entities": entities,
        }
        if (pair := self.ambiguous(ranking)) is not None:
            result["ambiguous"] = pair
        return result


GREETINGS = frozenset(
    {"bonjour", "bjr", "bsr", "bonsoir", "salut", "slt", "hello", "coucou", "re", "allo", "allô"}
)


_WORD_SPAN = re.compile(r"\S+")


def _greeting_end(text: str) -> int | None:
    """Where the request starts after a greeting that opens a longer message (None when the
    message does not open with a greeting or holds little more than it)."""
    spans = list(_WORD_SPAN.finditer(text))
    start = 0
    while start < len(spans) and spans[start].group().strip(",.!;:").casefold() in GREETINGS:
        start += 1
    if not start or len(spans) - start < 3:
        return None
    return spans[start].start()
