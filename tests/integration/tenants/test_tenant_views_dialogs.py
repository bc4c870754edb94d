"""« Mes locataires » tells the truth after what the landlord did: a transmitted rent reads
"transmis" on the card even once the tenant left, departed tenants stay findable ("mes locataires
partis", or the list's button), and a search that matches nothing says so first."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.integration.chat import MARTIN, OLIVIERS, Chat


def test_the_card_says_transmis_after_a_transmission_even_once_the_tenant_left(app: App) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    chat.say("loyer brisson 330")
    chat.say("oui")
    assert "Loyer de juillet 2026 : transmis (330,00 €" in chat.say("fiche de brisson")
    chat.say("mme brisson est partie le 20/11")
    chat.say("le même jour")
    assert "transmise" in chat.say("oui")
    card = chat.say("fiche de brisson")
    assert "Loyer de juillet 2026 : transmis (330,00 €" in card
    assert "plus attendu" not in card
    assert "départ le 20/11/2026" in card


def test_departed_tenants_are_listed_apart_with_their_state(app: App) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    assert "aucun ancien locataire" in chat.say("mes locataires partis")
    chat.say("mme brisson est partie le 10/11")
    chat.say("le même jour")
    chat.say("oui")
    listed = chat.say("mes locataires")
    assert "BRISSON" not in listed.split("Vos locataires")[1]
    former = chat.press("Anciens locataires (1)")
    assert "Vos anciens locataires" in former
    assert "BRISSON Isabelle — n° 171842 — 14000 CAEN — départ le 10/11/2026" in former
    assert "loyer 2026 : plus attendu" in former
    assert "BRISSON Isabelle — n° 171842" in chat.say("mes locataires partis")
    assert "Fiche locataire : BRISSON Isabelle" in chat.press("BRISSON Isabelle")


def test_a_search_with_no_match_says_so_first(app: App) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    answer = chat.say("locataires a paris")
    assert answer.startswith("Aucun locataire ne correspond à « paris »")
    assert "Vos locataires" not in answer
    assert "Vos locataires — 6 au total" in chat.say("mes locataires")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("mes locataires zzzzqq", "Aucun locataire ne correspond à « zzzzqq ». Voici tous vos"),
        ("cest quoi mes locataires", "Loyers de juillet"),
        ("c koi mes locataires stp", "Loyers de juillet"),
        ("quels sont mes locataires", "Loyers de juillet"),
    ],
)
def test_words_of_a_request_that_name_no_tenant_show_every_tenant(
    app: App, typed: str, said: str
) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    answer = chat.say(typed)
    assert answer.startswith(said)
    assert "Vos locataires — 6 au total" in answer


def test_a_search_typed_as_a_phone_says_it_finds_the_commune(app: App) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    found = chat.say("cherche locataire mondeville")
    assert "(« mondeville ») — 1 au total" in found
    assert "MUROT Esther" in found


def test_the_rents_still_to_declare_asked_in_other_words(app: App) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    assert "(loyer non saisi)" in chat.say("qui a pas encore ete declare")
    assert "(loyer transmis)" in chat.say("mes locataires deja declares")
    # « de loyers à déclarer » is no commune called « loyers a declarer »
    remaining = chat.say("il reste combien de loyers a declarer")
    assert "(loyer non saisi) — 4 au total" in remaining
    assert "Aucun locataire" not in remaining
    # « à faire » ends the request: a state, not a commune called « faire »
    for typed in ("quels loyers reste a faire", "loyers qui restent a faire svp"):
        remaining = chat.say(typed)
        assert "(loyer non saisi) — 4 au total" in remaining, typed
        assert "Aucun locataire" not in remaining, typed
    assert "(« mondeville », loyer non saisi) — 1 au total" in chat.say(
        "locataires a mondeville a declarer"
    )


def test_a_follow_up_naming_only_a_place_narrows_the_list(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    assert "6 au total" in chat.say("mes locataires")
    narrowed = chat.say("ceux de caen")
    assert "(« caen ») — 4 au total" in narrowed
    assert "MUROT" not in narrowed


def test_the_rents_left_once_all_are_transmitted_says_so_plainly(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    none_yet = chat.say("mes loyers deja transmis")
    assert "aucun n'est encore transmis, il reste 3 loyers à saisir" in none_yet
    chat.say("je veux declarer mes loyers")
    chat.say("tous pareil que l'an dernier")
    assert "3 loyers de juillet 2026 transmis" in chat.say("oui")
    left = chat.say("combien il me reste")
    assert "il ne reste aucun loyer à saisir, tous sont transmis" in left
    assert "ne correspond" not in left


def test_a_pronoun_after_a_tenant_card_is_about_that_tenant(app: App) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    assert "Fiche locataire : COUTURE Anthony" in chat.say("infos sur couture")
    unpaid = chat.say("il a un impaye depuis mai")
    assert "Locataire : COUTURE Anthony" in unpaid
    assert "Pour quel locataire" not in unpaid


def test_a_pronoun_names_no_one_when_no_tenant_was_named_or_in_an_impersonal_phrase(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in(OLIVIERS)
    assert "Pour quel locataire" in chat.say("elle a un impaye depuis mai")
    chat.say("annuler")
    chat.say("oui")
    chat.say("infos sur couture")
    # « il reste » is impersonal: the list of the rents left, not Couture's card
    assert "il reste 4 loyers à saisir sur 6" in chat.say("il reste combien de loyers a declarer")
