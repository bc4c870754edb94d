from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from dialogs.nlu import NluModel, training_data
from dialogs.nlu import evaluate as evaluation
from dialogs.nlu.normalise import fold
from dialogs.nlu.paths import nlu_data_dir
from dialogs.nlu.tenants import DEMO_TENANTS
from dialogs.nlu.training_data import Example

INTENTS = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "cancel",
    "help",
    "bot_challenge",
    "out_of_scope",
    "login",
    "logout",
    "list_tenants",
    "declare_rent",
    "declare_change",
    "report_unpaid",
    "view_payments",
    "faq_user_number",
    "faq_lost_identifier",
    "faq_forgot_password",
    "faq_first_login",
    "faq_administrator",
    "faq_rent_excluding_charges",
    "manage_users",
    "contact_caf",
    "inform",
    "menu",
    "manage_reminders",
}
FORM_INTENTS = evaluation.FORM_INTENTS
# Measured 0.95+ (README, NLU); the floor leaves room for the noise of retraining.
SECOND_HELDOUT_FLOOR = 0.93


def accuracy(model: NluModel, examples: list[Example]) -> float:
    right = sum(
        model.parse(e.text, tenants=DEMO_TENANTS, today=evaluation.EVAL_TODAY)["intent"]["name"]
        == e.intent
        for e in examples
    )
    return right / len(examples)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def one_typo_per_long_word(text: str, rng: random.Random) -> str:
    words = []
    for word in text.split(" "):
        if len(word) >= 6 and word.isalpha():
            i = rng.randrange(1, len(word) - 1)
            kind = rng.choice(("drop", "swap", "double", "replace"))
            if kind == "drop":
                word = word[:i] + word[i + 1 :]
            elif kind == "swap":
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            elif kind == "double":
                word = word[:i] + word[i] + word[i:]
            else:
                word = word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]
        words.append(word)
    return " ".join(words)


def test_training_data_has_every_intent_with_enough_examples() -> None:
    data = training_data.load(nlu_data_dir())
    counts = {i: sum(e.intent == i for e in data.examples) for i in data.intents}
    assert set(counts) == INTENTS
    assert min(counts.values()) >= 20, counts
    assert sorted(counts, key=counts.__getitem__)[:1] == ["menu"]  # the newest, smallest intent


def test_heldout_covers_every_intent_and_is_not_in_training(heldout: list[Example]) -> None:
    assert {e.intent for e in heldout} == INTENTS
    assert len(heldout) >= 200
    trained = {fold(e.text).strip(" ?!.") for e in training_data.load(nlu_data_dir()).examples}
    assert [e.text for e in heldout if fold(e.text).strip(" ?!.") in trained] == []


def test_second_heldout_covers_every_intent_with_entities_and_is_not_in_training(
    heldout2: list[Example], heldout: list[Example]
) -> None:
    assert {e.intent for e in heldout2} == INTENTS
    assert len(heldout2) >= 400
    assert sum(len(e.entities) for e in heldout2) >= 150
    assert all(a.value is not None for e in heldout2 for a in e.entities)
    seen = {fold(e.text).strip(" ?!.") for e in training_data.load(nlu_data_dir()).examples}
    seen |= {fold(e.text).strip(" ?!.") for e in heldout}
    assert [e.text for e in heldout2 if fold(e.text).strip(" ?!.") in seen] == []


def test_heldout_intent_accuracy(nlu: NluModel, heldout: list[Example]) -> None:
    assert accuracy(nlu, heldout) >= 0.95


def test_second_heldout_intent_accuracy(nlu: NluModel, heldout2: list[Example]) -> None:
    assert accuracy(nlu, heldout2) >= SECOND_HELDOUT_FLOOR


@pytest.mark.parametrize("which", ["heldout", "heldout2"])
def test_every_entity_is_found_with_its_value(
    nlu: NluModel, which: str, request: pytest.FixtureRequest
) -> None:
    examples = request.getfixturevalue(which)
    rep = evaluation.report(
        evaluation.predict(nlu, examples), fallback_threshold=nlu.fallback_threshold
    )
    assert {k: round(s.f1, 3) for k, s in rep.entities.items() if s.f1 < 0.95} == {}


def test_robust_to_accents_case_and_typos(nlu: NluModel, heldout: list[Example]) -> None:
    clean = accuracy(nlu, heldout)
    rng = random.Random(20260716)
    for transform in (strip_accents, str.upper, lambda t: one_typo_per_long_word(t, rng)):
        noisy = [Example(transform(e.text), e.intent) for e in heldout]
        assert accuracy(nlu, noisy) >= clean - 0.06


def test_out_of_scope_never_starts_a_form(
    nlu: NluModel, heldout: list[Example], heldout2: list[Example]
) -> None:
    outside = [e.text for e in heldout + heldout2 if e.intent == "out_of_scope"]
    outside += [
        "quel temps fait-il à Caen",
        "combien je touche d'APL",
        "je cherche un appart",
        "dis moi une blague",
        "ma déclaration d'impôts",
    ]
    started = {}
    for text in outside:
        result = nlu.parse(text)
        intent = result["intent"]
        acted = intent["confidence"] >= nlu.fallback_threshold and "ambiguous" not in result
        if acted and intent["name"] in FORM_INTENTS:
            started[text] = intent["name"]
    assert started == {}


@pytest.mark.parametrize(
    "text",
    [
        # No training example names amazon, edf or the sncf: their word vectors are close to
        # words only out-of-scope examples use.
        "connexion à mon compte amazon",
        "connexion à mon espace client edf",
        "déclarer mon déménagement à la sncf",
    ],
)
def test_a_word_foreign_to_the_domain_starts_no_form(nlu: NluModel, text: str) -> None:
    result = nlu.parse(text)
    assert result["intent"]["name"] not in FORM_INTENTS, result["intent_ranking"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("milome tjrs la pas de coloc 352e", "declare_rent"),
        ("connexion à mon compte partenaire", "login"),
        ("ajouter un utilisateur pour ma comptable", "manage_users"),
        ("brisson paye 330 € par virement bancaire", "declare_rent"),
    ],
)
def test_in_domain_requests_still_start_their_form(nlu: NluModel, text: str, intent: str) -> None:
    result = nlu.parse(text, tenants=DEMO_TENANTS)
    assert result["intent"]["name"] == intent, result["intent_ranking"]
    assert "change_type" not in {e["entity"] for e in result["entities"]}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("couture tjrs la pas de coloc 392 e pas d impaye", "declare_rent"),
        ("couture 392 pas d'impayé", "declare_rent"),
        ("Couture 392 pas d impaye", "declare_rent"),
        ("loyer couture 392 € sans impayé", "declare_rent"),
        ("j'ai un impayé pour murot", "report_unpaid"),
        ("murot paye plus depuis aout", "report_unpaid"),
    ],
)
def test_no_unpaid_said_with_a_rent_is_a_rent_not_a_report(
    nlu: NluModel, text: str, intent: str
) -> None:
    result = nlu.parse(text, tenants=DEMO_TENANTS)
    assert result["intent"]["name"] == intent, result["intent_ranking"]


def test_two_close_tasks_are_reported_as_ambiguous(nlu: NluModel) -> None:
    ranking = [
        {"name": "declare_change", "confidence": 0.41},
        {"name": "report_unpaid", "confidence": 0.39},
        {"name": "inform", "confidence": 0.1},
    ]
    assert nlu.ambiguous(ranking) == ["declare_change", "report_unpaid"]
    clear = [{"name": "declare_change", "confidence": 0.9}, ranking[1]]
    assert nlu.ambiguous(clear) is None
    chitchat = [{"name": "thank", "confidence": 0.41}, ranking[1]]
    assert nlu.ambiguous(chitchat) is None


def test_parse_says_ambiguous_only_for_close_task_intents(
    nlu: NluModel, heldout2: list[Example]
) -> None:
    for example in heldout2:
        result = nlu.parse(example.text, tenants=DEMO_TENANTS, today=evaluation.EVAL_TODAY)
        if "ambiguous" in result:
            first, second = result["intent_ranking"][:2]
            assert result["ambiguous"] == [first["name"], second["name"]]
            assert first["confidence"] - second["confidence"] < nlu.ambiguity_margin


def test_parse_format(nlu: NluModel) -> None:
    result = nlu.parse(
        "bjr mme brisson paye plus depuis septembre",
        tenants=DEMO_TENANTS,
        today=evaluation.EVAL_TODAY,
    )
    assert result["text"] == "bjr mme brisson paye plus depuis septembre"
    assert result["intent"]["name"] == "report_unpaid"
    ranking = result["intent_ranking"]
    assert len(ranking) == 5
    assert ranking[0] == result["intent"]
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0 + 1e-9
    assert {(e["entity"], e["value"]) for e in result["entities"]} == {
        ("tenant_name", "BRISSON Isabelle"),
        ("month", "2026-09"),
    }


@pytest.mark.parametrize("text", ["xkcd qwpoeiru zzz", "bzzz", "hjkl mlkj"])
def test_gibberish_is_out_of_scope_or_unsure(nlu: NluModel, text: str) -> None:
    assert 0 < nlu.fallback_threshold < 1
    intent = nlu.parse(text)["intent"]
    assert intent["name"] == "out_of_scope" or intent["confidence"] < nlu.fallback_threshold


def test_load_or_train_retrains_when_data_changes(tmp_path: Path) -> None:
    """The mechanism, on a small data set: the full one is trained once per run elsewhere."""
    data = tmp_path / "data"
    data.mkdir()
    greet = "- intent: greet\n  examples: |\n    - bonjour\n    - salut\n    - bonsoir\n"
    bye = "- intent: goodbye\n  examples: |\n    - au revoir\n    - a bientot\n    - a plus\n"
    (data / "small.yml").write_text(f'version: "3.1"\nnlu:\n{greet}{bye}', encoding="utf-8")
    path = tmp_path / "model.pkl"
    first = NluModel.load_or_train(path, data)
    assert path.exists()
    again = NluModel.load_or_train(path, data)
    assert again.data_hash == first.data_hash
    extra = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - bonjour bonjour le bot\n'
    (data / "extra.yml").write_text(extra, encoding="utf-8")
    changed = NluModel.load_or_train(path, data)
    assert changed.data_hash != first.data_hash
    assert NluModel.load(path).data_hash == changed.data_hash


def test_load_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "not-a-model.pkl"
    import pickle

    path.write_bytes(pickle.dumps({"hello": 1}))
    with pytest.raises(ValueError):
        NluModel.load(path)


def test_a_bare_number_before_no_unpaid_rent_is_the_rent(nlu: NluModel) -> None:
    result = nlu.parse("couture 392 pas d'impayé", tenants=DEMO_TENANTS)
    assert ("amount", "392.00") in {(e["entity"], e["value"]) for e in result["entities"]}


@pytest.mark.parametrize(
    "text",
    [
        "c koi le loyer hors charges",
        "c'est quoi le loyer hors charges ?",
        "je declare le loyer hc ou cc ?",
    ],
)
def test_a_question_about_the_rent_excluding_charges_is_answered(nlu: NluModel, text: str) -> None:
    assert nlu.parse(text, tenants=DEMO_TENANTS)["intent"]["name"] == "faq_rent_excluding_charges"


@pytest.mark.parametrize(
    "text",
    [
        "je suis allocataire et je change d'appartement",
        "je suis locataire, je déménage en août",
        "connexion à mon espace allocataire perso",
        "trouver une coloc pour mon propre appart",
    ],
)
def test_a_writer_speaking_as_a_beneficiary_starts_no_form(nlu: NluModel, text: str) -> None:
    assert nlu.parse(text, tenants=DEMO_TENANTS)["intent"]["name"] == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("trois", "inform"), ("la deuxième", "inform"), ("en février", "inform")],
)
def test_numbers_ranks_and_months_alone_are_answers(nlu: NluModel, text: str, intent: str) -> None:
    assert nlu.parse(text, tenants=DEMO_TENANTS)["intent"]["name"] == intent


def test_a_greeting_does_not_dilute_the_request_that_follows(nlu: NluModel) -> None:
    text = "Bonjour, pourriez-vous me dire si je dois déclarer le loyer charges comprises ?"
    result = nlu.parse(text, tenants=DEMO_TENANTS)
    assert result["intent"]["name"] == "faq_rent_excluding_charges"
    assert result["intent"]["confidence"] >= nlu.fallback_threshold
    # the entities found after the greeting are masked at their own place
    rent = nlu.parse("bonjour, couture 392 pas d'impayé", tenants=DEMO_TENANTS)
    assert rent["intent"]["name"] == "declare_rent"


@pytest.mark.parametrize(
    "text",
    [
        "j'ai perdu le mot de passe de mon ordi",
        "identifiant de la poste perdu",
        "j'ai perdu mon badge",
        "jai paumé mes clés",
    ],
)
def test_another_things_password_or_a_lost_object_starts_no_form(nlu: NluModel, text: str) -> None:
    assert nlu.parse(text, tenants=DEMO_TENANTS)["intent"]["name"] == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mot de passe de mon conpte oublie", "faq_forgot_password"),
        ("j'ai oublié le mot de passe du mail", "faq_forgot_password"),
        ("j'ai perdu mon identifian", "faq_lost_identifier"),
        ("j'ai perdu la lettre avec mon identifiant", "faq_lost_identifier"),
    ],
)
def test_our_own_passwords_and_letters_still_open_their_form(
    nlu: NluModel, text: str, intent: str
) -> None:
    assert nlu.parse(text, tenants=DEMO_TENANTS)["intent"]["name"] == intent


def test_every_message_read_as_a_foreign_belonging_is_out_of_scope(
    heldout: list[Example], heldout2: list[Example]
) -> None:
    """The check overrides the classifier: it may only match what is labelled out of scope."""
    from dialogs.nlu.belongings import names_foreign_belonging

    examples = training_data.load(nlu_data_dir()).examples + heldout + heldout2
    matched = [e for e in examples if names_foreign_belonging(e.text)]
    assert len(matched) >= 30
    assert [e.text for e in matched if e.intent != "out_of_scope"] == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [("murot a 2 mois de retard", "report_unpaid"), ("2 mois de retard", "inform")],
)
def test_a_named_tenant_behind_on_rent_is_a_report_a_bare_delay_an_answer(
    nlu: NluModel, text: str, intent: str
) -> None:
    assert nlu.parse(text, tenants=DEMO_TENANTS)["intent"]["name"] == intent
