"""The policy is a pure decision: no database, no action, plain values in and out."""

from __future__ import annotations

from dialogs.engine.policy import Do, Rules, Situation, Understanding, decide

RULES = Rules(
    with_rule=frozenset({"declare_rent", "declare_change", "help", "greet", "list_tenants"}),
    digressions=frozenset({"help", "faq_user_number"}),
    tasks=frozenset({"declare_rent", "declare_change", "report_unpaid", "list_tenants"}),
)
IN_RENT = Situation(
    logged_in=True, active_form="rent_form", own_intents=frozenset({"declare_rent"})
)


def test_a_message_the_form_takes_continues_the_form_whatever_its_intent() -> None:
    situation = Situation(**{**IN_RENT.__dict__, "form_takes_message": True})
    message = Understanding(intent="report_unpaid", confidence=0.64)
    assert decide(situation, message, RULES).do is Do.CONTINUE_FORM


def test_another_task_inside_a_form_asks_before_dropping_it() -> None:
    message = Understanding(intent="declare_change", confidence=0.9)
    decision = decide(IN_RENT, message, RULES)
    assert decision.do is Do.CONFIRM_SWITCH
    assert decision.intent == "declare_change"


def test_the_form_own_intent_is_not_a_switch() -> None:
    message = Understanding(intent="declare_rent", confidence=0.9)
    assert decide(IN_RENT, message, RULES).do is Do.CONTINUE_FORM


def test_a_question_mid_form_is_answered_then_the_form_goes_on() -> None:
    message = Understanding(intent="faq_user_number", confidence=0.9)
    assert decide(IN_RENT, message, RULES).do is Do.DIGRESS


def test_a_sure_digression_waits_when_the_question_takes_free_text() -> None:
    situation = Situation(**{**IN_RENT.__dict__, "free_text_expected": True})
    unsure = Understanding(intent="faq_user_number", confidence=0.5)
    sure = Understanding(intent="faq_user_number", confidence=0.9)
    assert decide(situation, unsure, RULES).do is Do.CONTINUE_FORM
    assert decide(situation, sure, RULES).do is Do.DIGRESS


def test_cancel_and_quitter_at_the_recap_ask_for_confirmation() -> None:
    assert decide(IN_RENT, Understanding(intent="inform", command="cancel"), RULES).do is (
        Do.CONFIRM_CANCEL
    )
    leaving = Situation(**{**IN_RENT.__dict__, "leaving": True})
    assert decide(leaving, Understanding(intent="inform"), RULES).do is Do.CONFIRM_CANCEL


def test_at_the_password_prompt_only_commands_are_commands() -> None:
    situation = Situation(
        **{**IN_RENT.__dict__, "active_form": "login_form", "secret_expected": True}
    )
    typed = Understanding(intent="declare_rent", confidence=0.99)
    assert decide(situation, typed, RULES).do is Do.CONTINUE_FORM
    cancel = Understanding(intent="inform", command="cancel")
    assert decide(situation, cancel, RULES).do is Do.CONFIRM_CANCEL
    help_ = Understanding(intent="inform", command="help")
    assert decide(situation, help_, RULES).do is Do.DIGRESS


def test_the_engine_question_takes_yes_no_or_lets_the_message_through() -> None:
    situation = Situation(logged_in=True, active_form="rent_form", pending="cancel")
    assert decide(situation, Understanding(intent="inform", agreement=True), RULES).do is (
        Do.CONFIRMED
    )
    assert decide(situation, Understanding(intent="inform", agreement=False), RULES).do is (
        Do.DECLINED
    )
    assert decide(situation, Understanding(intent="inform"), RULES).do is Do.NOT_ANSWERED


def test_outside_a_form_a_confident_intent_runs_its_rule() -> None:
    decision = decide(Situation(logged_in=True), Understanding(intent="declare_rent"), RULES)
    assert decision == decide(
        Situation(logged_in=True), Understanding(intent="declare_rent"), RULES
    )
    assert decision.do is Do.RUN_RULE
    assert decision.intent == "declare_rent"


def test_an_unsure_message_falls_back_and_out_of_scope_says_so() -> None:
    unsure = Understanding(intent="declare_rent", confidence=0.1)
    assert decide(Situation(logged_in=True), unsure, RULES).do is Do.FALLBACK
    other = Understanding(intent="out_of_scope", confidence=0.9)
    assert decide(Situation(logged_in=True), other, RULES).do is Do.OUT_OF_SCOPE


def test_two_close_tasks_are_asked_about_instead_of_guessed() -> None:
    close = Understanding(
        intent="declare_change", confidence=0.5, close=("declare_change", "report_unpaid")
    )
    decision = decide(Situation(logged_in=True), close, RULES)
    assert decision.do is Do.CLARIFY
    assert decision.options == ("declare_change", "report_unpaid")


def test_an_identifier_typed_while_logged_out_starts_the_login() -> None:
    message = Understanding(intent="faq_administrator", confidence=0.8, identifier="oliviers.admin")
    assert decide(Situation(logged_in=False), message, RULES).do is Do.LOGIN_WITH_IDENTIFIER
    assert decide(Situation(logged_in=True), message, RULES).do is not Do.LOGIN_WITH_IDENTIFIER


def test_a_bare_value_outside_a_form_is_looked_up() -> None:
    message = Understanding(intent="inform", confidence=0.9, lookup_task="list_tenants")
    decision = decide(Situation(logged_in=True), message, RULES)
    assert decision.do is Do.LOOK_UP
    assert decision.intent == "list_tenants"


IN_CHANGE = Situation(
    logged_in=True,
    active_form="change_form",
    own_intents=frozenset({"declare_change"}),
    form_takes_message=True,  # « tous mes loyers sont inchangés » read as « même jour »
)
BULK = ("declare_rent", "bulk_rent_form")


def test_a_request_claimed_mid_form_is_a_switch_even_when_the_form_reads_an_answer() -> None:
    message = Understanding(intent="inform", confidence=0.5, request=BULK)
    decision = decide(IN_CHANGE, message, RULES)
    assert decision.do is Do.CONFIRM_SWITCH
    assert decision.intent == "declare_rent"


def test_a_request_for_the_active_form_or_its_own_task_is_the_form_s() -> None:
    message = Understanding(intent="inform", confidence=0.5, request=BULK)
    in_bulk = Situation(**{**IN_CHANGE.__dict__, "active_form": "bulk_rent_form"})
    assert decide(in_bulk, message, RULES).do is Do.CONTINUE_FORM
    assert decide(IN_RENT, message, RULES).do is Do.CONTINUE_FORM  # the rent form routes it


def test_the_own_task_s_request_read_as_an_answer_is_a_switch() -> None:
    """« tous mes loyers sont inchangés » at one rent's amount question is no « same amount »."""
    message = Understanding(intent="inform", confidence=0.5, request=BULK)
    reading = Situation(**{**IN_RENT.__dict__, "form_takes_message": True})
    assert decide(reading, message, RULES).do is Do.CONFIRM_SWITCH


def test_thanks_or_goodbye_mid_form_get_a_word_and_the_form_goes_on() -> None:
    for intent in ("thank", "goodbye"):
        said = Understanding(intent=intent, confidence=0.9, small_talk=intent)
        decision = decide(IN_RENT, said, RULES)
        assert (decision.do, decision.intent) == (Do.SMALL_TALK, intent)
    taken = Situation(**{**IN_RENT.__dict__, "form_takes_message": True})
    thanks = Understanding(intent="thank", confidence=0.9, small_talk="thank")
    assert decide(taken, thanks, RULES).do is Do.CONTINUE_FORM
    unsaid = Understanding(intent="goodbye", confidence=0.9)  # « bientôt »: no farewell word
    assert decide(IN_RENT, unsaid, RULES).do is Do.CONTINUE_FORM
    off_topic = Understanding(intent="out_of_scope", confidence=0.9)
    assert decide(IN_RENT, off_topic, RULES).do is Do.CONTINUE_FORM  # the form's own hint


def test_a_one_word_command_is_read_through_one_typo() -> None:
    from dialogs.engine.understanding import command_with_typo
    from dialogs.forms.lexicon import lexicon

    commands = lexicon().commands
    assert command_with_typo("quiter", commands) == "cancel"
    assert command_with_typo("anuler", commands) == "cancel"
    assert command_with_typo("deconexion", commands) == "logout"
    assert command_with_typo("menus", commands) == "menu"
    for word in ("stp", "merci", "brisson", "quitte le logement", "rien"):
        assert command_with_typo(word, commands) is None, word
