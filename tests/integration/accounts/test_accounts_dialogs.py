"""The account forms through the engine, as a user types: several answers in one message,
corrections, names' case, unknown answers, the new-user recap read whole, a new password typed
twice, refused passwords, and commands at the password prompt that never count as a failure."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from services.accounts.login_throttle import identifier_key
from services.accounts.models import RateLimitHit, User
from services.accounts.views import first_login_state
from services.core.models import AuditEvent, Conversation

ADMIN = ("oliviers.admin", "Oliviers-Demo-2026")
PORT = ("port.bailleur", "Lettre-Provisoire-1")
PERSONAL = "Residences-Port-2026!"


class Chat:
    """One chat with the engine; `press` picks a button of the last reply by its label."""

    def __init__(self, app: App, chat_id: str = "c1") -> None:
        self.app = app
        self.chat_id = chat_id
        self.last = Reply()

    def _handle(self, inbound: Inbound) -> str:
        self.last = self.app.engine.handle(inbound)
        return "\n".join(m.text for m in self.last.messages)

    def say(self, text: str) -> str:
        return self._handle(Inbound(channel="test", chat_id=self.chat_id, text=text))

    def press(self, label: str) -> str:
        keys = [c.key for m in self.last.messages for c in m.choices if c.label.startswith(label)]
        assert keys, f"no button {label!r}"
        return self._handle(Inbound(channel="test", chat_id=self.chat_id, choice=keys[-1]))

    def log_in(self, login: str, password: str) -> str:
        self.say(login)
        return self.say(password)


def _user(app: App, email: str) -> User | None:
    with app.uow_factory() as uow:
        user = uow.session.scalars(select(User).where(User.email == email)).one_or_none()
        if user is not None:
            uow.session.expunge(user)
        return user


def _users(app: App) -> int:
    with app.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(User)) or 0)


def _new_user_form(app: App) -> Chat:
    chat = Chat(app)
    assert "Connexion réussie" in chat.log_in(*ADMIN)
    chat.say("mes utilisateurs")
    assert "Quel est son nom ?" in chat.press("Créer un utilisateur")
    return chat


def _to_recap(chat: Chat) -> str:
    chat.say("Marc Dupuis marc.dupuis@mail.fr")
    chat.say("marc.dupuis@mail.fr")
    chat.say("je sais pas")  # no phone
    chat.say("sédentaire")
    chat.press("Logements privés 14")
    return chat.press("Terminé")


def test_one_message_answers_four_questions_of_the_new_user_form(app: App) -> None:
    chat = _new_user_form(app)

    said = chat.say("Marc Dupuis marc.dupuis@mail.fr 06 12 34 56 78")

    assert (
        "Noté : Nom : DUPUIS · Prénom : Marc · Courriel : marc.dupuis@mail.fr"
        " · Téléphone : 06 12 34 56 78." in said
    )
    assert "saisissez de nouveau son adresse courriel" in said  # still typed twice
    assert "saisissez de nouveau son téléphone" in chat.say("marc.dupuis@mail.fr")
    assert "sédentaire (poste fixe) ou itinérant" in chat.say("06.12.34.56.78")
    chat.say("itinérant")
    chat.press("Logements privés 14")
    recap = chat.press("Terminé")
    assert "• Nom : DUPUIS\n• Prénom : Marc\n• Courriel : marc.dupuis@mail.fr" in recap
    assert "• Téléphone : 06 12 34 56 78\n• Poste : Itinérant" in recap
    assert "est créé" in chat.say("oui")
    marc = _user(app, "marc.dupuis@mail.fr")
    assert marc is not None
    assert (marc.last_name, marc.first_name, marc.phone) == ("DUPUIS", "Marc", "0612345678")
    assert marc.mobile_worker and marc.login == "marc.dupuis01"


def test_a_request_at_a_name_or_email_question_is_never_taken_for_one(app: App) -> None:
    chat = _new_user_form(app)
    answer = chat.say("mes paiements")
    assert "Voulez-vous l'abandonner" in answer
    assert "PAIEMENTS" not in answer
    chat.say("non")
    chat.say("Marc Dupuis")
    assert "Voulez-vous l'abandonner" in chat.say("deco")
    assert "saisissez de nouveau son adresse courriel" in chat.say("marc.dupuis@mail.fr")


def test_a_yes_is_no_second_typing_and_keeps_the_first(app: App) -> None:
    chat = _new_user_form(app)
    chat.say("Marc Dupuis marc.dupuis@mail.fr")
    said = chat.say("dupuis")  # a name, not the address typed again
    assert "Il me faut l'adresse courriel elle-même" in said
    assert "saisissez de nouveau son adresse courriel" in said
    for not_typed in ("oui", "ok c bon", "c'est la même", "marc.dupuis"):
        said = chat.say(not_typed)
        assert "ne sont pas identiques" not in said, not_typed
        assert "adresse courriel" in said, not_typed
    # the first typing is still there: the right second typing goes on
    assert "téléphone" in chat.say("marc.dupuis@mail.fr")


def test_a_correction_changes_the_earlier_answer_and_is_never_the_pending_one(app: App) -> None:
    chat = _new_user_form(app)
    chat.say("Marc Dupuis marc.dupuis@mail.fr")

    said = chat.say("non l'email c'est marc.dupuis@gmail.fr")
    assert "C'est corrigé — Courriel : marc.dupuis@gmail.fr." in said
    assert "saisissez de nouveau son adresse courriel" in said
    # The old address typed again is a second typing that differs: both are asked again.
    assert "ne sont pas identiques" in chat.say("marc.dupuis@mail.fr")
    chat.say("marc.dupuis@gmail.fr")
    chat.say("marc.dupuis@gmail.fr")
    chat.say("pas de téléphone")
    assert "C'est corrigé — Prénom : Marcel." in chat.say("le prénom c'est marcel")
    chat.say("sédentaire")
    chat.press("Logements privés 14")
    recap = chat.press("Terminé")
    assert "• Prénom : Marcel" in recap
    assert "• Courriel : marc.dupuis@gmail.fr" in recap
    assert "• Ouverture : 23/11/2026 *" in recap
    # At the recap a correction is applied and the recap shown again, nothing is created.
    again = chat.say("non la clôture c'est le 31/12")
    assert "• Clôture : 31/12/2026" in again
    assert _user(app, "marc.dupuis@gmail.fr") is None
    chat.say("valider")
    created = _user(app, "marc.dupuis@gmail.fr")
    assert created is not None and created.first_name == "Marcel"
    assert str(created.closed_on) == "2026-12-31"


def test_names_are_kept_with_their_usual_case(app: App) -> None:
    chat = _new_user_form(app)
    chat.say("jean-pierre DE LA FONTAINE")
    recap_lines = [
        "jp@lesoliviers.example",
        "jp@lesoliviers.example",
        "je sais pas",
        "sédentaire",
    ]
    for line in recap_lines:
        chat.say(line)
    chat.press("Logements privés 14")
    recap = chat.press("Terminé")

    assert "• Nom : DE LA FONTAINE\n• Prénom : Jean-Pierre" in recap
    chat.say("ok")
    user = _user(app, "jp@lesoliviers.example")
    assert user is not None and (user.last_name, user.first_name) == (
        "DE LA FONTAINE",
        "Jean-Pierre",
    )


def test_i_do_not_know_is_never_stored_as_a_name_and_skips_the_optional_phone(
    app: App,
) -> None:
    chat = _new_user_form(app)

    said = chat.say("je sais pas")
    assert "Ce nom n'est pas valable" in said and "Quel est son nom ?" in said
    chat.say("Dupuis")
    assert "Ce prénom n'est pas valable" in chat.say("jsp")
    chat.say("Marc")
    chat.say("marc.dupuis@mail.fr")
    chat.say("marc.dupuis@mail.fr")
    said = chat.say("je ne sais pas")
    assert "sédentaire (poste fixe) ou itinérant" in said  # no second typing of no phone
    chat.say("sédentaire")
    chat.press("Logements privés 14")
    assert "• Téléphone : non communiqué" in chat.press("Terminé")
    chat.say("c'est bon")
    user = _user(app, "marc.dupuis@mail.fr")
    assert user is not None and user.phone is None and user.last_name == "DUPUIS"


@pytest.mark.parametrize(
    "answer", ["je ne veux pas valider", "ne validez pas", "non", "invalide", "pas encore"]
)
def test_a_negation_at_the_new_user_recap_never_creates_the_user(app: App, answer: str) -> None:
    chat = _new_user_form(app)
    assert "Récapitulatif du nouvel utilisateur" in _to_recap(chat)
    users = _users(app)

    said = chat.say(answer)

    assert "est créé" not in said
    assert _users(app) == users and _user(app, "marc.dupuis@mail.fr") is None
    # Still at the recap, or asked whether to leave: either way nothing is created.
    assert "Valider" in [c.label for m in chat.last.messages for c in m.choices] or (
        "abandonner" in said
    )


@pytest.mark.parametrize("answer", ["oui", "ok c bon", "Valider"])
def test_a_clear_yes_at_the_new_user_recap_creates_the_user(app: App, answer: str) -> None:
    chat = _new_user_form(app)
    _to_recap(chat)

    said = chat.say(answer)

    assert "L'utilisateur DUPUIS Marc est créé" in said
    assert _user(app, "marc.dupuis@mail.fr") is not None


def _first_connection_to_password(app: App) -> Chat:
    chat = Chat(app, "port")
    assert "Étape 1" in chat.log_in(*PORT)
    chat.say("port@residences.example 05 46 00 11 22")
    chat.say("port@residences.example")
    said = chat.say("0546001122")
    assert "Étape 2" in said and chat.last.expects_secret
    return chat


def _port_state(app: App) -> tuple[str, ...]:
    with app.uow_factory() as uow:
        port = uow.session.scalars(select(User.id).where(User.login == PORT[0])).one()
    return first_login_state(app.uow_factory(), user_id=port).remaining


def _stored_states(app: App) -> str:
    with app.uow_factory() as uow:
        return repr(list(uow.session.scalars(select(Conversation.state))))


def test_a_new_password_is_typed_twice_and_a_mismatch_starts_again(app: App) -> None:
    chat = _first_connection_to_password(app)

    said = chat.say(PERSONAL)
    assert chat.last.inbound_was_secret and chat.last.expects_secret
    assert "saisissez de nouveau ce mot de passe" in said
    assert PERSONAL not in _stored_states(app)
    said = chat.say("Residences-Port-2027!")
    assert "Les deux mots de passe ne sont pas identiques" in said
    assert "Étape 2" in said and chat.last.expects_secret
    assert "password" in _port_state(app)  # nothing saved

    chat.say("Residences-Port-2027!")
    said = chat.say("Residences-Port-2027!")
    assert "Votre mot de passe personnel est enregistré" in said
    assert "Règles d'usage" in said and not chat.last.expects_secret
    assert _port_state(app) == ("rules", "terms")
    for typed in (PERSONAL, "Residences-Port-2027!"):
        assert typed not in said and typed not in _stored_states(app)


@pytest.mark.parametrize("password", ["Password123!", "Oliviers-Demo-2026", " password123! "])
def test_a_common_or_demo_password_is_refused_at_once(app: App, password: str) -> None:
    chat = _first_connection_to_password(app)

    said = chat.say(password)

    assert "il fait partie des mots de passe trop courants ou déjà publiés" in said
    assert "saisissez de nouveau" not in said and "Étape 2" in said
    assert "password" in _port_state(app)


def _failures(app: App, login: str) -> tuple[int, int]:
    """(failures counted for the throttling of `login`, failed logins audited)."""
    with app.uow_factory() as uow:
        counted = uow.session.scalar(
            select(func.count())
            .select_from(RateLimitHit)
            .where(RateLimitHit.key == identifier_key(login))
        )
        failed = uow.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.event == "login_failed")
        )
        return int(counted or 0), int(failed or 0)


@pytest.mark.parametrize("command", ["/aide", "aide"])
def test_help_at_the_password_prompt_helps_and_asks_the_password_again(
    app: App, command: str
) -> None:
    chat = Chat(app)
    chat.say(ADMIN[0])

    said = chat.say(command)

    assert "Voici ce que je sais faire" in said
    assert said.rstrip().endswith(
        "Quel est votre mot de passe ? (Votre message sera effacé de la conversation dès sa lecture.)"
    )
    assert chat.last.expects_secret
    assert _failures(app, ADMIN[0]) == (0, 0)
    # A button of the help pressed at the password prompt is not a password either.
    chat.press(chat.last.messages[0].choices[0].label)
    assert _failures(app, ADMIN[0]) == (0, 0)
    assert "Connexion réussie" in chat.say(ADMIN[1])


@pytest.mark.parametrize("command", ["annuler", "/annuler"])
def test_cancelling_at_the_password_prompt_leaves_the_login_without_a_failure(
    app: App, command: str
) -> None:
    chat = Chat(app)
    chat.say(ADMIN[0])

    assert "Voulez-vous vraiment abandonner la connexion" in chat.say(command)
    assert not chat.last.expects_secret  # the yes or no is no password: not typed masked
    assert "C'est abandonné" in chat.say("oui")
    assert _failures(app, ADMIN[0]) == (0, 0)


@pytest.mark.parametrize(
    ("command", "answer", "still_secret"),
    [
        ("/menu", "Que souhaitez-vous faire ?", False),
        ("menu", "Que souhaitez-vous faire ?", False),
        ("/deconnexion", "Aucune session n'est ouverte.", False),
        ("/start", "Reprenons la connexion", True),
    ],
)
def test_commands_at_the_password_prompt_do_what_they_say_and_never_count(
    app: App, command: str, answer: str, still_secret: bool
) -> None:
    chat = Chat(app)
    chat.say(ADMIN[0])

    said = chat.say(command)

    assert answer in said and "Voulez-vous" not in said
    assert bool(chat.last.expects_secret) is still_secret
    if not still_secret:
        assert "Se connecter" in [c.label for m in chat.last.messages for c in m.choices]
    assert _failures(app, ADMIN[0]) == (0, 0)


def test_an_identifier_in_a_sentence_asks_only_for_the_password(app: App) -> None:
    chat = Chat(app)

    said = chat.say("mon identifiant c'est jean.martin")

    assert "Quel est votre mot de passe ?" in said and chat.last.expects_secret
    assert "Connexion réussie" in chat.say("Martin-Demo-2026")


@pytest.mark.parametrize("typed", ["oliviers.admin", "connexion jean.martin", "Jean.Martin"])
def test_an_identifier_typed_while_logged_out_starts_the_login(app: App, typed: str) -> None:
    chat = Chat(app)
    chat.say("bonjour")

    said = chat.say(typed)

    assert said.rstrip().endswith("(Votre message sera effacé de la conversation dès sa lecture.)")
    assert chat.last.expects_secret


def test_an_unknown_identifier_gets_the_same_answers_as_a_known_one(app: App) -> None:
    def answers(login: str, chat_id: str) -> list[str]:
        chat = Chat(app, chat_id)
        seen = [chat.say(f"connexion {login}")]
        for n in range(6):
            seen.append(chat.say(f"faux-{n}"))
            seen.append(chat.say(login))
        return [text.replace(login, "<identifiant>") for text in seen]

    assert answers("jean.martin", "k") == answers("jean.martinez", "u")


def test_after_a_logout_the_bot_offers_the_menu(app: App) -> None:
    chat = Chat(app)
    chat.log_in(*ADMIN)

    said = chat.say("/deconnexion")

    assert "Déconnexion effectuée." in said and "Que souhaitez-vous faire ?" in said
    assert "Se connecter" in [c.label for m in chat.last.messages for c in m.choices]


def test_lost_identifier_by_courriel_is_not_read_as_courrier(app: App) -> None:
    chat = Chat(app)
    chat.say("j'ai perdu mon identifiant")
    assert "Comment voulez-vous recevoir" in chat.say("14 OLIVIERS 0001")

    said = chat.say("courriel")

    assert "envoyés par courriel si une adresse est connue" in said


@pytest.mark.parametrize(
    "typed", ["creer un utilisateur", "je veux ajouter un utilisateur", "nouvel utilisateur svp"]
)
def test_asking_to_create_a_user_starts_the_form_without_the_list(app: App, typed: str) -> None:
    chat = Chat(app)
    chat.log_in(*ADMIN)
    said = chat.say(typed)
    assert "Quel est son nom ?" in said
    assert "Les utilisateurs de votre organisme" not in said


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        (
            "ajoute ma secretaire sophie martin sophie.martin@gmail.com 0612345678",
            "Nom : MARTIN · Prénom : Sophie · Courriel : sophie.martin@gmail.com",
        ),
        ("creer un compte pour paul durand stp", "Nom : DURAND · Prénom : Paul"),
        ("nouvel utilisateur sedentaire Hugo LAMBERT", "Nom : LAMBERT · Prénom : Hugo"),
    ],
)
def test_a_name_said_with_the_request_answers_the_name_questions(
    app: App, typed: str, names: str
) -> None:
    chat = Chat(app)
    chat.log_in(*ADMIN)
    said = chat.say(typed)
    assert names in said
    assert "Quel est son nom ?" not in said


def test_a_request_with_no_name_in_it_asks_for_the_name(app: App) -> None:
    chat = Chat(app)
    chat.log_in(*ADMIN)
    said = chat.say("je voudrais donner acces a mon comptable")
    assert "Quel est son nom ?" in said
    assert "Noté" not in said


def test_my_users_shows_the_list_and_what_can_be_done(app: App) -> None:
    chat = Chat(app)
    chat.log_in(*ADMIN)
    said = chat.say("mes utilisateurs")
    assert "Les utilisateurs de votre organisme" in said
    assert "Quel est son nom ?" not in said


def test_the_greeting_names_the_organisation_once(app: App) -> None:
    assert "Bonjour Claire LEROUX (LES OLIVIERS) !" in Chat(app, "org").log_in(*ADMIN)
    # a private landlord's organisation is their own name: not said twice
    private = Chat(app, "private").log_in("jean.martin", "Martin-Demo-2026")
    assert "Connexion réussie. Bonjour Jean MARTIN !" in private


def test_ok_after_choosing_groups_ends_the_choice_and_other_text_is_not_a_group(
    app: App,
) -> None:
    chat = _new_user_form(app)
    chat.say("Marc Dupuis marc.dupuis@mail.fr")
    chat.say("marc.dupuis@mail.fr")
    chat.say("je sais pas")
    chat.say("sédentaire")
    assert "Choisissez au moins un groupe" in chat.say("oui")  # none chosen yet
    assert "Je n'ai pas reconnu de groupe" in chat.say("le chat")
    chat.press("Logements privés 14")
    assert "Récapitulatif du nouvel utilisateur" in chat.say("ok")


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("logements prives du calvados", "Logements privés 14"),
        ("conventionnes calvados", "Logements conventionnés 14"),
        ("les logements conventionés 14", "Logements conventionnés 14"),
        ("privé", "Logements privés 14"),
    ],
)
def test_a_group_is_named_as_people_say_it(app: App, typed: str, group: str) -> None:
    chat = _new_user_form(app)
    chat.say("Marc Dupuis marc.dupuis@mail.fr")
    chat.say("marc.dupuis@mail.fr")
    chat.say("je sais pas")
    chat.say("sédentaire")
    assert f"Groupe ajouté : {group}." in chat.say(typed)
    assert "Je n'ai pas reconnu de groupe" in chat.say("logements du calvados")  # both groups


def test_access_dates_typed_at_the_recap_are_read_ahead_each_by_its_own_words(
    app: App,
) -> None:
    chat = _new_user_form(app)
    _to_recap(chat)
    # today is Monday 23 November 2026: « vendredi » is the coming one, « fin janvier » the
    # coming January, as an access opens and closes ahead
    recap = chat.say("a partir de vendredi jusqua fin janvier")
    assert "• Ouverture : 27/11/2026\n• Clôture : 31/01/2027" in recap


@pytest.mark.parametrize("typed", ["14 oliviers 0001", "bjr jai paumé mon id"])
def test_logged_out_a_user_number_or_a_lost_id_after_a_greeting_opens_identifiant_perdu(
    app: App, typed: str
) -> None:
    from tests.integration.chat import Chat

    chat = Chat(app)
    said = chat.say(typed)
    assert "Identifiant perdu" in said
    if typed[0].isdigit():
        assert "Noté : N° utilisateur : 14OLIVIERS0001" in said
        assert "Comment voulez-vous recevoir" in said


def test_the_rules_and_terms_are_accepted_in_the_words_of_their_button(app: App) -> None:
    chat = _first_connection_to_password(app)
    chat.say(PERSONAL)
    assert "Acceptez-vous ces règles d'usage" in chat.say(PERSONAL)
    refused = chat.say("je n'accepte pas")
    assert "Étape 4" not in refused and _port_state(app) == ("rules", "terms")
    assert "Étape 4" in chat.say("j'accepte")
    assert "Votre première connexion est terminée" in chat.say("jaccepte")


def test_one_recovery_replaces_the_other_and_an_identifier_is_no_email(app: App) -> None:
    chat = Chat(app)
    assert "Quelle est l'adresse courriel de votre compte" in chat.say("jai oublie mon mdp")
    # an identifier where the email is asked: the email's own answer, never the admin's FAQ
    said = chat.say("oliviers.admin")
    assert "n'a pas la bonne forme" in said and "administrateur" not in said
    switched = chat.say("jai perdu mon identifiant")
    assert "Quel est votre N° utilisateur" in switched
    assert "Vous pourrez faire cette demande" not in switched
    assert "Comment voulez-vous recevoir" in chat.say("14 OLIVIERS 0001")
