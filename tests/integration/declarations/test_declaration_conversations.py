"""Conversations a landlord has with the forms, through the real engine on the demo database:
one-message declarations, several answers at once, corrections, the recap read as a whole,
leaving with confirmation, and a form kept across a session's expiry."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.integration.chat import MARTIN, OLIVIERS, Chat, rents


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("loyer brisson 330", "oui"),
        ("couture 390 €", "ok"),
        ("loyer de juillet milome 412,50", "c bon"),
        ("même loyer que l'an dernier pour murot", "valide"),
        ("loyer inchangé pour brisson", "👍"),
        # a name and « the same », no amount and no word for the rent
        ("brisson pareil que l'an dernier", "oui"),
        ("couture idem", "ok"),
    ],
)
def test_a_rent_is_declared_in_two_messages(app: App, first: str, second: str) -> None:
    chat = Chat(app)
    chat.log_in()
    before = rents(app)
    recap = chat.say(first)
    assert "Récapitulatif" in recap
    assert "Toujours gestionnaire du logement : Oui *" in recap  # a default, shown as such
    assert "est transmise" in chat.say(second)
    assert chat.typed == 2
    assert len(chat.receipts) == 1
    assert rents(app) == before + 1


def test_one_message_answers_several_questions_and_says_what_it_took(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    asked = chat.say("je veux declarer le loyer de couture")
    assert "montant du loyer" in asked
    recap = chat.say("oui elle est tjrs la, pas de coloc, 450e et pas d'impayé")
    assert "Loyer hors charges : 450,00 €" in recap
    assert "Colocation : Non\n" in recap  # said by the landlord: no default mark
    assert "abandonner" not in recap


@pytest.mark.parametrize(
    "said",
    [
        "couture est plus dans le logement",
        "couture n'habite plus l'appart",
        "couture a rendu les cles",
    ],
)
def test_a_departure_said_in_other_words_names_the_change(app: App, said: str) -> None:
    chat = Chat(app)
    chat.log_in()
    answer = chat.say(said)
    assert "Changement : Départ du locataire" in answer
    assert "Quel changement" not in answer


def test_a_partitive_negation_turns_its_own_noun_only(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    # « pas d'impayé » says nothing of « tjrs là » beside it, in the same clause
    recap = chat.say("pour brisson c 330 hc pas d'impaye tjrs la")
    assert "Récapitulatif" in recap
    assert "Locataire toujours dans le logement : Oui" in recap
    assert "Impayé à signaler : Non" in recap
    assert "départ" not in recap


def test_a_rent_typed_with_no_unpaid_at_the_menu_goes_to_its_recap(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    recap = chat.say("couture tjrs la pas de coloc 392 e pas d impaye")
    assert "Loyer hors charges : 392,00 €" in recap
    assert "Impayé à signaler : Non\n" in recap  # said by the landlord: no default mark


def test_a_correction_is_never_taken_as_the_pending_answer(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("je veux declarer le loyer de brisson")
    chat.say("380")
    chat.say("modifier")
    chat.say("impayé")  # the unpaid question is pending
    answer = chat.say("ah non attends le loyer c 385 pas 380")
    assert "C'est corrigé — Loyer hors charges : 385,00 €" in answer
    assert "impayé" in answer.lower()  # the pending question is asked again
    recap = chat.say("non")
    assert "Loyer hors charges : 385,00 €" in recap
    assert "Impayé à signaler : Non" in recap


@pytest.mark.parametrize(
    "refusal",
    [
        "je ne veux pas valider",
        "ne validez pas",
        "ne transmettez pas",
        "invalide",
        "non",
        "pas encore, je veux vérifier avant d'envoyer",
        "je veux modifier avant de valider",
        '/choose{"option":"valider"}',
    ],
)
def test_a_refusal_at_the_recap_never_transmits(app: App, refusal: str) -> None:
    chat = Chat(app)
    chat.log_in()
    before = rents(app)
    chat.say("loyer brisson 330")
    answer = chat.say(refusal)
    assert "transmise" not in answer
    assert rents(app) == before
    assert chat.receipts == []


def test_modifier_at_the_recap_changes_the_amount_directly(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson 330")
    recap = chat.say("modifier le loyer c 340")
    assert "C'est corrigé — Loyer hors charges : 340,00 €" in recap
    assert "Loyer hors charges : 340,00 €" in recap.split("Récapitulatif")[1]


def test_modifier_reaches_an_answer_given_by_default(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson 330")
    chat.press("Modifier")
    asked = chat.say("toujours présent")
    assert "habite-t-il toujours dans le logement" in asked
    stopped = chat.say("non")
    assert "déclarer son départ" in stopped
    assert rents(app) >= 0


def test_leaving_asks_for_confirmation_at_a_question_and_at_the_recap(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("je veux declarer le loyer de brisson")
    assert "Voulez-vous vraiment abandonner" in chat.say("annuler")
    assert "on continue" in chat.say("non")
    chat.say("330")
    assert "Voulez-vous vraiment abandonner" in chat.say("quitter")
    assert "rien n'a été enregistré" in chat.say("oui")


def test_a_departure_takes_three_messages(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    asked = chat.say("nguyen est parti le 10/11")
    assert "Date de départ : 10/11/2026" in asked
    recap = chat.say("le même jour")
    assert "Date de fin du bail : 10/11/2026" in recap
    assert "transmise" in chat.say("oui")
    assert chat.typed == 3
    assert len(chat.receipts) == 1


def test_a_date_correction_at_the_recap_names_its_answer_or_is_asked_which(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    chat.say("nguyen est parti le 10/11")
    chat.say("le même jour")
    # a day alone, the departure named by its verb
    corrected = chat.say("non il est parti le 9")
    # the lease ended « le même jour »: it follows the departure, and says so
    assert "C'est corrigé — Date de départ : 09/11/2026 · Date de fin du bail : 09/11/2026" in (
        corrected
    )
    assert "Date de fin du bail : 10/11/2026" not in corrected
    assert "C'est corrigé — Date de fin du bail : 10/11/2026" in chat.say(
        "la fin du bail c'est le 10/11"
    )
    # the date could correct either answer: asked, never guessed nor ignored
    asked = chat.say("non le 8/11")
    assert "Quelle réponse voulez-vous corriger" in asked
    assert "Récapitulatif" not in asked
    assert chat.last is not None
    offered = [c.label for m in chat.last.messages for c in m.choices]
    assert {"Date de départ : 08/11/2026", "Date de fin du bail : 08/11/2026"} <= set(offered)
    recap = chat.press("Date de départ : 08/11/2026")
    assert "C'est corrigé — Date de départ : 08/11/2026" in recap
    assert "Date de fin du bail : 10/11/2026" in recap
    assert "transmise" in chat.say("ok")


def test_a_request_typed_before_logging_in_names_its_tenant_once_logged_in(app: App) -> None:
    chat = Chat(app)
    asked = chat.say("bonjour je voudrais declarer le loyer de mme brisson 330e")
    assert "connectez-vous" in asked
    chat.say(OLIVIERS[0])
    recap = chat.say(OLIVIERS[1])
    assert "Connexion réussie" in recap
    assert "Locataire : BRISSON Isabelle" in recap
    assert "Loyer hors charges : 330,00 €" in recap
    assert "Pour quel locataire" not in recap
    assert "transmise" in chat.say("oui")


def test_a_new_address_in_the_message_that_opens_a_departure_is_kept(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    # the address is a question only once the message has chosen the departure
    noted = chat.say("murot a déménagé le 3/11, nouvelle adresse 12 rue des lilas 14000 caen")
    assert "Nouvelle adresse : 12 rue des lilas 14000 caen" in noted
    recap = chat.say("le même jour")
    assert "Nouvelle adresse : 12 rue des lilas 14000 caen" in recap


def test_a_request_at_the_tenant_question_is_never_read_as_a_tenants_name(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("declarer un loyer")
    for request in ("mes paiments", "mes utilisateurs"):
        answer = chat.say(request)
        assert "Je ne trouve pas ce locataire" not in answer, request
        assert "Voulez-vous l'abandonner" in answer, request
        chat.say("non")
    assert "Voulez-vous vraiment abandonner" in chat.say("quiter")  # a typo of « quitter »
    chat.say("non")
    # names, even mistyped, are still the answer
    assert "Dernières informations connues" in chat.say("brison")


def test_a_future_departure_is_read_in_the_future(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    answer = chat.say("nguyen va partir le 27/11")
    assert "Date de départ : 27/11/2026" in answer


def test_an_identifier_typed_at_the_greeting_starts_the_login(app: App) -> None:
    chat = Chat(app)
    asked = chat.say("oliviers.admin")
    assert "mot de passe" in asked
    assert chat.last is not None and chat.last.expects_secret
    unknown = Chat(app, "c2")
    assert "mot de passe" in unknown.say("mon identifiant c'est personne.inconnu")


def test_a_form_survives_the_session_expiry(app: App, clock) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("je veux declarer le loyer de brisson")
    clock.advance(minutes=31)
    assert "Votre session a expiré" in chat.say("330")
    chat.say(OLIVIERS[0])
    offered = chat.say(OLIVIERS[1])
    assert "Voulez-vous reprendre" in offered
    resumed = chat.say("oui")
    assert "montant du loyer" in resumed
    assert "Récapitulatif" in chat.say("330")


@pytest.mark.parametrize("junk", ["9" * 5000, "²", "@" * 3000, "a\u202eb", "x\x00y"])
def test_bad_input_at_a_question_gets_a_polite_answer_and_the_form_goes_on(
    app: App, junk: str
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("je veux declarer le loyer de brisson")
    answer = chat.say(junk)
    assert answer
    assert "problème technique" not in answer
    assert "Récapitulatif" in chat.say("330")


def test_a_day_in_the_coming_weeks_is_never_read_a_year_ago(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("fin de gestion couture")
    chat.say("le 30/11")
    recap = chat.say("vente")
    assert "Date de fin de gestion : 30/11/2026" in recap


def test_a_new_manager_named_first_at_the_recap_is_the_answer_not_another_tenant(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("fin de gestion couture")
    chat.say("le 30/11")
    chat.say("vente")
    # « Dupont » is also a tenant's name: inside the new manager's name it is that answer
    recap = chat.say("agence dupont a caen")
    assert "abandonner" not in recap
    assert "Nouveau propriétaire ou gestionnaire : agence dupont a caen" in recap
    assert "Locataire : COUTURE Anthony" in recap
    assert "transmise" in chat.say("oui")


def test_a_future_departure_beyond_the_rules_says_why_and_asks_again(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    answer = chat.say("nguyen va partir le 15/12")
    assert "15/12/2026 est trop loin dans le futur" in answer
    assert "À quelle date le locataire a-t-il quitté le logement" in answer
    assert "bail a-t-il pris fin" in chat.say("ah non il part le 27/11")
    assert "Date de départ : 27/11/2026" in chat.say("le même jour")


def test_a_change_kept_across_the_expiry_resumes_with_its_answers(app: App, clock) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("mme brisson est partie le 10/11")
    clock.advance(minutes=45)
    expired = chat.say("le même jour")
    assert "Votre démarche en cours est conservée" in expired
    assert "Je ne peux pas vous aider" not in expired  # the answer is not read as a new request
    assert chat.last is not None
    assert "Se connecter" in [c.label for m in chat.last.messages for c in m.choices]
    chat.say(OLIVIERS[0])
    offered = chat.say(OLIVIERS[1])
    assert "Voulez-vous reprendre" in offered
    assert "Que souhaitez-vous faire" not in offered  # the offer, not the menu
    assert "bail a-t-il pris fin" in chat.say("ok")
    recap = chat.say("le même jour")
    assert "Locataire : BRISSON Isabelle" in recap
    assert "Date de départ : 10/11/2026" in recap


def test_a_form_kept_for_one_user_is_never_offered_to_another(app: App, clock) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson")
    clock.advance(minutes=45)
    chat.say("330")
    chat.say(MARTIN[0])
    other = chat.say(MARTIN[1])
    assert "reprendre" not in other
    assert "Que souhaitez-vous faire" in other


def test_names_are_shown_with_their_usual_case_and_jsp_is_unknown(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("beauvois est en colocation depuis le 01/11, 3 colocataires")
    chat.say("modifier les noms")
    assert "Noms des colocataires : non communiqués" in chat.say("jsp")
    chat.say("modifier les noms")
    recap = chat.say("marc dupuis et DURAND anne")
    assert "Noms des colocataires : Marc DUPUIS, Anne DURAND" in recap
    assert "transmise" in chat.say("ok")


def test_an_unusual_amount_is_asked_again_with_its_change_spaced(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    asked = chat.say("loyer brisson 9500 €")
    assert "+2\u202f790 %" in asked
    assert "Récapitulatif" in chat.say("oui")


def test_two_close_answers_at_modifier_are_asked_apart(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson 330")
    chat.say("modifier")
    which = chat.say("toujours")
    assert "Lequel voulez-vous dire" in which
    asked = chat.press("Locataire toujours dans le logement")
    assert "habite-t-il toujours dans le logement" in asked
    assert "Récapitulatif" in chat.say("oui")


@pytest.mark.parametrize(
    ("said", "taken", "asked"),
    [
        ("il est parti le 10/11", "Date de départ : 10/11/2026", "le bail a-t-il pris fin"),
        (
            "je gere plus ce logement depuis le 1er novembre",
            "Date de fin de gestion : 01/11/2026",
            "Pour quelle raison",
        ),
    ],
)
def test_the_day_said_when_a_rent_stops_starts_the_change_offered(
    app: App, said: str, taken: str, asked: str
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer couture")
    assert "Vous pouvez le déclarer dès maintenant" in chat.say(said)
    started = chat.say("ok")
    assert taken in started
    assert asked in started  # the day is not asked again


def test_a_tenant_named_mid_form_is_another_request_unless_said_as_a_correction(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("milome est en coloc depuis le 1er octobre")
    asked = chat.say("infos sur brisson")
    assert "BRISSON" not in asked  # the declaration stays about MILOME
    assert "abandonner" in asked  # another request: the switch is asked first
    chat.say("non")
    assert "C'est corrigé — Locataire : COUTURE Anthony" in chat.say("non c'est couture")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("tchao", "Votre démarche en cours est conservée"),
        ("merci", "Avec plaisir !"),
    ],
)
def test_small_talk_mid_form_gets_its_answer_and_the_question_again(
    app: App, typed: str, said: str
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson")
    answer = chat.say(typed)
    assert said in answer
    assert "Je n'ai pas compris ce montant" not in answer
    assert "Quel est le montant du loyer hors charges" in answer
    assert "Récapitulatif" in chat.say("330")


def test_doing_the_task_offered_by_the_switch_question_is_a_yes(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("couture paye plus depuis septembre")
    assert "abandonner" in chat.say("je veux declarer un loyer")
    recap = chat.say("brisson 330 hc sans coloc")
    assert "Récapitulatif de votre déclaration du loyer" in recap
    assert "Locataire : BRISSON Isabelle" in recap
    assert "Loyer hors charges : 330,00 €" in recap


@pytest.mark.parametrize(
    ("typed", "counted"),
    [
        ("beauvois est en coloc avec 2 autres personnes depuis le 01/11", 3),
        ("beauvois est en colocation depuis le 01/11, 2 colocataires", 2),
        ("ils sont 3 en coloc chez beauvois depuis le 01/11", 3),
        ("beauvois a 2 colocs depuis le 1er novembre", 2),
    ],
)
def test_co_tenants_said_beside_the_tenant_are_counted_with_the_tenant(
    app: App, typed: str, counted: int
) -> None:
    chat = Chat(app)
    chat.log_in()
    assert f"Colocataires inscrits au bail : {counted}" in chat.say(typed)


def test_another_tenants_rent_typed_mid_form_is_never_given_to_the_tenant_asked(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    assert "Noté : Locataire : MUROT Esther" in chat.say("loyer murot")
    asked = chat.say("loyer couture 390 et milome 352")
    assert "Voulez-vous l'abandonner pour passer à votre nouvelle demande" in asked
    assert "390" not in asked
    recap = chat.say("oui")
    assert "COUTURE Anthony (n° 580592) : 390,00 €" in recap
    assert "MILOME Syndy (n° 581887) : 352,00 €" in recap
    assert "MUROT" not in recap


def test_a_correction_naming_another_tenant_still_replaces_the_tenant(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer murot")
    recap = chat.say("non c'est couture, 390")
    assert "Locataire : COUTURE Anthony" in recap
    assert "Loyer hors charges : 390,00 €" in recap


def test_a_sale_said_in_the_opening_message_is_also_the_reason_of_the_end(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    recap = chat.say("j ai vendu l appart de couture le 15 juin")
    assert "Changement : Fin de gestion" in recap
    assert "Motif : Vente du logement" in recap
    assert "Pour quelle raison ?" not in recap


def test_after_a_rent_she_is_the_tenant_just_declared(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson 330")
    assert "transmise" in chat.say("oui")
    change = chat.say("elle a une coloc depuis le 1er juin")
    assert "Locataire : BRISSON Isabelle" in change
    assert "Colocation : Oui" in change


def test_a_correction_naming_two_other_tenants_keeps_both_rents(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer murot")
    asked = chat.say("en fait loyer couture 390 et milome 352")
    assert "Voulez-vous l'abandonner pour passer à votre nouvelle demande" in asked
    recap = chat.say("oui")
    assert "COUTURE Anthony (n° 580592) : 390,00 €" in recap
    assert "MILOME Syndy (n° 581887) : 352,00 €" in recap
    assert "Je ne trouve pas" not in recap


def test_a_new_address_said_at_the_departure_recap_fills_it(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("beauvois est parti le 3 novembre")
    assert "Nouvelle adresse : non connue" in chat.say("le meme jour")
    recap = chat.say("il habite 12 rue de la paix a caen maintenant")
    assert "Nouvelle adresse : 12 rue de la paix a caen" in recap
    assert "maintenant" not in recap.split("Nouvelle adresse")[1].splitlines()[0]


def test_a_rent_then_unpaid_rent_declares_the_rent_and_offers_the_report(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    recap = chat.say("petit 490 mais elle a 2 mois d'impayes")
    assert "Loyer hors charges : 490,00 €" in recap
    assert "Impayé à signaler : Oui" in recap
    done = chat.say("oui")
    assert "est transmise" in done
    assert "pensez à le signaler" in done
    assert "Depuis quel mois" in chat.press("Signaler un impayé")


@pytest.mark.parametrize(
    "said",
    ["il part au 12 rue des lilas 14000 caen", "elle est partie au 12 rue des lilas 14000 caen"],
)
def test_a_new_address_said_before_its_question_is_kept(app: App, said: str) -> None:
    chat = Chat(app)
    chat.log_in()
    asked = chat.say("murot a déménagé le 3/11")
    assert "fin" in asked and "bail" in asked
    noted = chat.say(said)
    assert "Nouvelle adresse : 12 rue des lilas 14000 caen" in noted
    assert "Nouvelle adresse : 12 rue des lilas 14000 caen" in chat.say("le même jour")


def test_a_rent_with_zeros_too_many_is_refused_and_a_figure_at_the_check_corrects_it(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    refused = chat.say("loyer brisson 3300000")  # never Brisson's allocataire number
    assert "trop élevé pour un loyer mensuel" in refused
    assert "Fiche locataire" not in refused
    assert "Le confirmez-vous ?" in chat.say("3300")
    # the figure typed at « Le confirmez-vous ? » replaces the amount it questioned
    recap = chat.say("330")
    assert "C'est corrigé — Loyer hors charges : 330,00 €" in recap
    assert "Récapitulatif" in recap


def test_the_last_rent_of_the_campaign_says_every_rent_is_transmitted(app: App) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    chat.say("loyer lebrun 340")
    assert "Il reste 2 loyers à saisir sur 3" in chat.say("oui")
    chat.say("loyer nguyen 340")
    chat.say("oui")
    chat.say("loyer petit 485")
    last = chat.say("oui")
    assert "Tous les loyers de juillet 2026 de vos locataires ont été transmis" in last
    assert "Il reste" not in last


@pytest.mark.parametrize("typed", ["loyer durand 520", "loyer 520 pour xavier"])
def test_a_rent_for_a_name_the_bot_does_not_know_opens_the_rent_with_its_amount(
    app: App, typed: str
) -> None:
    chat = Chat(app)
    chat.log_in()
    answer = chat.say(typed)
    assert "Noté : Loyer hors charges : 520,00 €" in answer
    assert "Pour quel locataire voulez-vous déclarer le loyer ?" in answer
    # judged against the tenant's last rent once the tenant is known
    assert "très différent de celui de l'an dernier (328,75 €, +58 %)" in chat.say("brisson")
    assert "Loyer hors charges : 520,00 €" in chat.say("oui")


@pytest.mark.parametrize(
    ("said", "day"), [("depuis novembre", "01/11/2026"), ("dpuis le 3 novembre", "03/11/2026")]
)
def test_a_departure_since_a_month_is_its_first_day(app: App, said: str, day: str) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    assert "quitté le logement" in chat.say("nguyen est parti")
    asked = chat.say(said)
    assert "le bail a-t-il pris fin" in asked
    assert f"Date de départ : {day}" in chat.say("le même jour")


@pytest.mark.parametrize(
    "names",
    [
        "paul durand et marie lefevre",
        "non c'est Paul Durand, Marie Lefevre",
        "les colocs sont paul durand et marie lefevre",
    ],
)
def test_co_tenant_names_typed_at_the_recap_fill_their_answer(app: App, names: str) -> None:
    chat = Chat(app)
    chat.log_in()
    recap = chat.say("beauvois est en colocation depuis le 01/11, 2 colocataires")
    assert "Noms des colocataires : non communiqués" in recap
    recap = chat.say(names)
    assert "Noms des colocataires : Paul DURAND, Marie LEFEVRE" in recap
    assert "Colocataires inscrits au bail : 2" in recap
    assert "transmise" in chat.say("oui")
