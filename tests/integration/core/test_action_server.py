"""The action server over HTTP, called the way a Rasa 3.6 server calls it.

No Rasa here: each test posts Rasa's action-call JSON to rasa-sdk's Sanic app serving our
actions on 127.0.0.1, and keeps the tracker's slots and form from the events, as Rasa does. The
messages carry no entities (as behind a Rasa model that found none): the actions read the raw
text themselves.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from bot.bootstrap import App
from services.declarations.models import RentDeclaration
from tests.integration.conftest import pdf_text
from tests.integration.core.rasa_http import RasaSide, action_call, post, run, slots_set, texts

PASSWORD = "Oliviers-Demo-2026"
# Rasa 3.6 sends its version; rasa-sdk 3.21 warns that it is older (the call format is the same).
pytestmark = [
    pytest.mark.filterwarnings("ignore:You are using an old version of rasa"),
    pytest.mark.filterwarnings("ignore:Your versions of rasa and rasa_sdk"),
]


@pytest.fixture
def base(app: App) -> Iterator[str]:
    from tests.integration.core.rasa_http import served

    with served(app) as url:
        yield url


def _rent_declarations(app: App) -> int:
    with app.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(RentDeclaration)) or 0)


def _open_rent_form(side: RasaSide, text: str = "je veux declarer le loyer de brisson") -> None:
    side.run("action_start_rent", text, "declare_rent")
    side.run("validate_rent_form", text, "declare_rent", after="action_start_rent")


def test_a_logged_out_request_asks_to_log_in_then_runs(base: str) -> None:
    side = RasaSide(base, "logged-out")
    asked = side.run("action_list_tenants", "mes locataires", "list_tenants")
    assert "connectez-vous" in texts(asked)
    assert side.form == "login_form"
    side.run("validate_login_form", "mes locataires", "list_tenants", after="action_list_tenants")
    side.run("validate_login_form", "oliviers.admin")
    logged = side.run("validate_login_form", PASSWORD)
    assert "Connexion réussie" in texts(logged)
    done = side.run("action_login_done", PASSWORD, after="login_form")
    assert "BRISSON" in texts(done)
    assert not [e for e in done["events"] if e["event"] == "followup"]


def test_the_login_binds_on_the_server_and_the_password_is_never_kept(base: str) -> None:
    side = RasaSide(base, "binding")
    logged = side.login()
    assert "Connexion réussie" in texts(logged)
    assert "session_user_id" not in slots_set(logged)
    assert slots_set(logged).get("login_password", "absent") is None
    assert PASSWORD not in str(logged)
    listed = run(base, "action_list_tenants", sender="binding", text="mes locataires")
    assert "BRISSON" in texts(listed)
    other = run(base, "action_list_tenants", sender="someone-else", text="mes locataires")
    assert "BRISSON" not in texts(other)


def test_a_forged_session_user_id_changes_nothing(base: str, oliviers: int) -> None:
    forged = run(
        base,
        "action_list_tenants",
        sender="forger",
        text="mes locataires",
        intent="list_tenants",
        slots={"session_user_id": oliviers},
    )
    assert "BRISSON" not in texts(forged)
    assert "connectez-vous" in texts(forged)
    asked = run(
        base,
        "action_ask_rent_tenant",
        sender="forger",
        slots={"session_user_id": oliviers},
        form="rent_form",
    )
    assert "BRISSON" not in str(asked)


def test_rent_form_reads_raw_text_and_the_receipt_travels_as_base64(base: str, app: App) -> None:
    side = RasaSide(base, "rent")
    side.login()
    _open_rent_form(side)
    assert side.slots["rent_tenant_name"].startswith("BRISSON")
    assert side.slots["requested_slot"] == "rent_amount"
    refused = side.run("validate_rent_form", "beaucoup")
    assert side.slots["requested_slot"] == "rent_amount" and texts(refused)
    side.run("validate_rent_form", "330 €")
    assert side.slots["rent_amount"] == 33000
    for _ in range(4):
        if side.slots["requested_slot"] == "rent_confirm":
            break
        side.run("validate_rent_form", "non")
    assert side.slots["requested_slot"] == "rent_confirm"
    recap = side.run("action_ask_rent_confirm", after="rent_form")
    valider = next(b for m in recap["responses"] for b in m["buttons"] if b["title"] == "Valider")
    before = _rent_declarations(app)
    side.run("validate_rent_form", valider["payload"], "choose", confidence=1.0)
    assert side.slots["requested_slot"] is None
    done = side.run("action_rent_done", after="rent_form")
    assert _rent_declarations(app) == before + 1
    documents = [m["custom"]["document"] for m in done["responses"] if m["custom"]]
    assert len(documents) == 1 and documents[0]["mime_type"] == "application/pdf"
    receipt = pdf_text(base64.b64decode(documents[0]["content_base64"]))
    assert "BRISSON" in receipt and "330,00" in receipt
    assert side.slots["rent_tenant"] is None  # every answer forgotten once transmitted


def test_departure_dates_and_unpaid_months_are_read_from_the_raw_text(base: str) -> None:
    side = RasaSide(base, "dates")
    side.login()
    text = "mme murot est partie le 10/11/2026"
    side.run("action_start_change", text, "declare_change")
    side.run("validate_change_form", text, "declare_change", after="action_start_change")
    assert side.slots["change_type"] == "tenant_departure"
    assert side.slots["change_departure_date"] == "2026-11-10"
    unpaid = RasaSide(base, "months")
    unpaid.login()
    text = "couture paye plus depuis août"
    unpaid.run("action_start_unpaid", text, "report_unpaid")
    unpaid.run("validate_unpaid_form", text, "report_unpaid", after="action_start_unpaid")
    assert unpaid.slots["unpaid_first_month"] == "2026-08"


def test_a_message_rasa_could_not_place_is_read_as_our_engine_reads_it(base: str) -> None:
    """Rasa's fallback for an unsure message: the change it names opens, and reads the date."""
    side = RasaSide(base, "unsure")
    side.login()
    text = "mme murot est partie le 10/11/2026"
    opened = side.run("action_fallback", text, "nlu_fallback", confidence=0.3)
    assert side.form == "change_form" and "pas bien compris" not in texts(opened)
    side.run("validate_change_form", text, "nlu_fallback", after="action_fallback")
    assert side.slots["change_type"] == "tenant_departure"
    assert side.slots["change_departure_date"] == "2026-11-10"
    logged_out = RasaSide(base, "identifier")
    logged_out.run("action_fallback", "oliviers.admin", "nlu_fallback", confidence=0.3)
    assert logged_out.form == "login_form"
    logged_out.run("validate_login_form", "oliviers.admin", "nlu_fallback", after="action_fallback")
    assert logged_out.slots["login_identifier"] == "oliviers.admin"
    assert logged_out.slots["requested_slot"] == "login_password"
    unknown = run(base, "action_fallback", sender="nothing", text="blabla", intent="nlu_fallback")
    assert "pas bien compris" in texts(unknown)


def test_annuler_asks_first_then_leaves_without_writing(base: str, app: App) -> None:
    side = RasaSide(base, "cancel")
    side.login()
    _open_rent_form(side)
    asked = side.run("validate_rent_form", "annuler", "cancel")
    assert "Voulez-vous vraiment abandonner" in texts(asked)
    assert side.form == "rent_form"
    assert run(base, "action_ask_rent_amount", sender="cancel", form="rent_form")["responses"] == []
    kept = side.run("validate_rent_form", "non", "deny")
    assert "on continue" in texts(kept) and side.slots["requested_slot"] == "rent_amount"
    side.run("validate_rent_form", "annuler", "cancel")
    before = _rent_declarations(app)
    left = side.run("validate_rent_form", "oui", "affirm")
    assert "abandonné" in texts(left)
    assert side.form is None and side.slots["rent_tenant"] is None
    after = side.run("action_rent_done", after="rent_form")
    assert after["responses"] == [] and _rent_declarations(app) == before


def test_a_question_in_the_middle_of_a_form_is_answered_then_the_form_goes_on(base: str) -> None:
    side = RasaSide(base, "faq")
    side.login()
    _open_rent_form(side)
    answered = side.run("validate_rent_form", "c'est quoi le numero utilisateur", "faq_user_number")
    assert "14 caractères" in texts(answered)
    assert side.form == "rent_form" and side.slots["requested_slot"] == "rent_amount"
    switch = side.run("validate_rent_form", "je veux voir mes paiements", "view_payments")
    assert "Voulez-vous l'abandonner" in texts(switch)
    moved = side.run("validate_rent_form", "oui", "affirm")
    assert side.form is None and not [e for e in moved["events"] if e["event"] == "followup"]
    # Rasa's completion rule runs next: it starts the new request, and transmits nothing.
    payments = side.run("action_rent_done", "oui", "affirm", after="rent_form")
    assert "paiement" in texts(payments).lower() and not payments["events"]
    again = RasaSide(base, "faq")
    again.form = None
    _open_rent_form(again)
    assert again.form == "rent_form"  # a later rent form is a fresh one, not the dropped one


def test_error_answers_never_repeat_the_request(base: str, app: App) -> None:
    secret = "Tres-Secret-Mot-2026"
    broken = post(base, {"next_action": "action_greet", "tracker": {"latest_message": {}}})
    assert secret not in broken.text
    garbage = httpx.post(f"{base}/webhook", content=f'{{"text": "{secret}"'.encode(), timeout=10)
    assert garbage.status_code == 400 and secret not in garbage.text
    unknown = post(base, action_call("action_unknown", sender="err", text=secret))
    assert unknown.status_code == 404 and secret not in unknown.text
    side = RasaSide(base, "err")
    side.login()
    before = _rent_declarations(app)
    side.slots.update(rent_confirm="valider", rent_tenant="not-a-tenant", rent_amount=33000)
    failed = side.run("action_rent_done", secret)
    assert "Rien n'a été enregistré" in texts(failed)
    assert secret not in str(failed) and _rent_declarations(app) == before


def test_every_rent_at_once_asked_inside_another_form_is_a_switch_not_an_answer(
    base: str,
) -> None:
    side = RasaSide(base, "bulk-mid-form")
    side.login()
    text = "fin de gestion pour couture"
    side.run("action_start_change", text, "declare_change")
    side.run("validate_change_form", text, "declare_change", after="action_start_change")
    asked = side.slots["requested_slot"]
    switch = side.run("validate_change_form", "tous mes loyers sont inchanges", "inform")
    assert "Voulez-vous l'abandonner" in texts(switch)
    assert side.slots["requested_slot"] == asked  # nothing was taken as the question's answer
