"""What the bulk recap reads, typed where it does not belong or worded for the channel: a bulk
phrase inside another form is a task switch (with the usual confirmation), never that form's
answer; a rent said with five digits gets the unusual-amount check; signed figures and the
terminal's wording are the French ones; a clock pinned before the demo's transmissions leaves
them out of the failures."""

from __future__ import annotations

from datetime import datetime, time

from bot.bootstrap import App
from dialogs.io import Inbound
from services.core.clock import PARIS
from tests.conftest import TestClock as Clock
from tests.integration.declarations.test_bulk_declarations import Chat, transmitted

SWITCH = "Voulez-vous l'abandonner pour passer à votre nouvelle demande ?"
THIN = "\u202f"


def test_every_rent_unchanged_at_the_lease_end_question_is_a_switch_not_the_same_day(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    assert "fin" in chat.say("brisson est partie le 10/11")
    asked = chat.say("tous mes loyers sont inchangés")
    assert "la déclaration de changement" in asked and SWITCH in asked
    assert "Date de fin du bail" not in asked
    recap = chat.say("oui")
    assert "Loyers de juillet 2026 à transmettre : 4 loyers" in recap


def test_every_rent_unchanged_inside_one_rent_is_every_rent_not_this_one_s_amount(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("déclarer le loyer de brisson")
    asked = chat.say("tous mes loyers sont inchangés")
    assert "la déclaration de loyer" in asked and SWITCH in asked
    assert "Récapitulatif" not in asked
    assert "Loyers de juillet 2026 à transmettre : 4 loyers" in chat.say("oui")


def test_at_the_tenant_question_every_rent_unchanged_opens_the_recap_at_once(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("déclarer les loyers")
    recap = chat.say("tous mes loyers sont inchangés")
    assert "Loyers de juillet 2026 à transmettre : 4 loyers" in recap
    assert SWITCH not in recap


def test_an_exception_at_a_departure_recap_leaves_the_tenant_alone(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("nguyen est parti le 10/11")
    chat.say("le même jour")
    assert "Récapitulatif" in chat.say("brisson")
    asked = chat.say("sauf couture 400")
    assert SWITCH in asked and "COUTURE" not in asked
    kept = chat.say("non")
    assert "Locataire : BRISSON Isabelle" in kept
    chat.say("sauf couture 400")
    recap = chat.say("oui")
    assert "COUTURE Anthony (n° 580592) : 400,00 € (modifié, 389,90 € l'an dernier)" in recap


def test_a_rent_of_four_digits_is_questioned_as_an_unusual_amount(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    asked = chat.say("loyer brisson 9500")
    assert "Le montant de 9 500,00 € est très différent de celui de l'an dernier" in asked
    assert f"+2{THIN}790 %" in asked
    assert "Fiche locataire" not in asked


def test_a_rent_of_five_digits_is_refused_as_too_large(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    refused = chat.say("loyer brisson 95000")  # above 50 000 € a month: zeros too many
    assert "trop élevé pour un loyer mensuel" in refused
    assert "Fiche locataire" not in refused


def test_an_unusual_exception_says_its_change_with_thousands_apart(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("tous mes loyers sont inchangés")
    said = chat.say("sauf brisson 9500")
    assert f"BRISSON Isabelle 9 500,00 €, c'est +2{THIN}790 % par rapport à l'an dernier" in said


def test_the_terminal_is_told_to_type_valider_and_telegram_to_press_it(app: App) -> None:
    def recap(channel: str) -> str:
        engine = app.engine
        for text in ("oliviers.admin", "Oliviers-Demo-2026", "tous mes loyers sont inchangés"):
            reply = engine.handle(Inbound(channel=channel, chat_id=channel, text=text))
        return "\n".join(m.text for m in reply.messages)

    console = recap("console")
    assert "Si tout est juste, tapez « valider » ou « oui »." in console
    assert "appuyez" not in console.casefold()
    assert "Si tout est juste, appuyez sur Valider." in recap("telegram")


def test_transmissions_dated_after_a_pinned_clock_are_not_failures(app: App, clock: Clock) -> None:
    """The demo's rents transmitted in August and September, the clock pinned to 10 July."""
    clock.moment = datetime.combine(datetime(2026, 7, 10).date(), time(10, 0), tzinfo=PARIS)
    chat = Chat(app)
    chat.log_in()
    before = transmitted(app)
    chat.say("tous mes loyers sont inchangés")
    done = chat.say("valider")
    assert "4 loyers de juillet 2026 transmis" in done
    assert "n'ont pas pu être transmis" not in done and "n'a pas pu" not in done
    assert len(transmitted(app)) == len(before) + 4


def test_an_exception_typed_first_opens_the_recap_with_it(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    recap = chat.say("sauf couture 400")
    assert "C'est noté : COUTURE Anthony 400,00 €." in recap
    assert "COUTURE Anthony (n° 580592) : 400,00 € (modifié, 389,90 € l'an dernier)" in recap


def test_an_exception_with_zeros_too_many_is_refused_at_the_bulk_recap(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("tous mes loyers sont inchangés")
    said = chat.say("sauf brisson 95000")
    assert "n'est pas un loyer valide" in said
    assert "BRISSON Isabelle (n° 171842) : 328,75 €" in said  # unchanged
