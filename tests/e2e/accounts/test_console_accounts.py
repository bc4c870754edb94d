"""Accounts through the terminal channel: first connection, lockout, lost identifier, forgotten
password and « Mes utilisateurs », down to the rows stored."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bot.bootstrap import App
from dialogs.io import Inbound
from services.accounts.models import OutboxMessage, User
from services.accounts.users import create_user
from services.core.models import AuditEvent, Conversation
from services.tenants.models import Tenant
from tests import conftest
from tests.e2e.console_chat import chat

ADMIN_PASSWORD = "Oliviers-Demo-2026"
PORT_LETTER = "Lettre-Provisoire-1"
PORT_PERSONAL = "Residences-Port-2026!"
CONNECT = "je veux me connecter"


def _outbox(app: App) -> list[tuple[str, str, str]]:
    uow = app.uow_factory()
    with uow:
        rows = uow.session.execute(
            select(OutboxMessage.medium, OutboxMessage.recipient, OutboxMessage.body).order_by(
                OutboxMessage.id
            )
        ).tuples()
        return [(m, r, uow.sealer.open(b) if b else "") for m, r, b in rows]


def _user(app: App, login: str) -> User:
    uow = app.uow_factory()
    with uow:
        user = uow.session.scalars(select(User).where(User.login == login)).one()
        uow.session.expunge(user)
        return user


def _first_connection(app: App, tmp_path: Path, login: str, password: str) -> tuple[str, int]:
    lines = [
        CONNECT,
        login,
        "port@residences.example",
        "port@residences.example",
        "12",
        "05 46 00 11 22",
        "0546001122",
        "oui",
        "oui",
    ]
    # Refused at once (too short), refused once typed twice (the identifier), then typed twice.
    secrets = [password, "court", *[f"{login}-2026!"] * 2, PORT_PERSONAL, PORT_PERSONAL]
    output, script, _ = chat(app, lines, tmp_path, secrets, chat_id=login)
    return output, script.secret_prompts


def test_first_connection_of_port_bailleur_ends_as_administrator(app: App, tmp_path: Path) -> None:
    output, secret_prompts = _first_connection(app, tmp_path, "port.bailleur", PORT_LETTER)

    assert secret_prompts == 6  # the letter's password and five personal ones, all hidden
    for secret in (PORT_LETTER, "court", PORT_PERSONAL):
        assert secret not in output
    assert "C'est votre première connexion" in output
    assert "Ce numéro de téléphone n'est pas valable" in output
    assert "il fait moins de 12 caractères" in output
    assert "il ne contient pas de chiffre" in output
    assert "il contient votre identifiant" in output
    assert "Pour vérifier, saisissez de nouveau ce mot de passe" in output
    assert "Règles d'usage" in output and "Conditions d'utilisation" in output
    assert "vous êtes désormais l'administrateur" in output
    assert "responsables d'habilitation" in output
    user = _user(app, "port.bailleur")
    assert user.is_admin and not user.password_is_provisional
    assert (user.email, user.phone) == ("port@residences.example", "0546001122")

    # The personal password now opens the account, with no first-connection step left.
    again, _, _ = chat(app, [CONNECT, "port.bailleur"], tmp_path, [PORT_PERSONAL], "port-2")
    assert "Connexion réussie" in again
    assert "première connexion" not in again


def test_leaving_the_first_connection_gives_no_access_until_it_is_finished(
    app: App, tmp_path: Path
) -> None:
    lines = [CONNECT, "port.bailleur", "annuler", "oui", "mes locataires"]
    output, _, _ = chat(app, lines, tmp_path, [PORT_LETTER], chat_id="port-left")

    assert "C'est abandonné" in output
    tail = output.split("C'est abandonné", 1)[1]
    menu = tail.split("Que souhaitez-vous faire ?", 1)[0]
    assert "la démarche que vous choisirez la reprendra" in menu
    assert "Votre première connexion n'est pas terminée" in tail
    assert "Étape 1" in tail  # back at the first step still to do
    assert "GUERIN" not in tail.upper() and "NAVARRO" not in tail.upper()

    # Finishing it replays the request that was refused.
    finish = [
        "port@residences.example",
        "port@residences.example",
        "05 46 00 11 22",
        "0546001122",
        "oui",
        "oui",
    ]
    done, _, _ = chat(app, finish, tmp_path, [PORT_PERSONAL] * 2, chat_id="port-left")
    assert "Votre première connexion est terminée" in done
    assert "GUERIN" in done.upper()  # the list of tenants asked for before


def test_a_second_user_of_the_organisation_does_not_become_administrator(
    app: App, tmp_path: Path, clock: conftest.TestClock
) -> None:
    _first_connection(app, tmp_path, "port.bailleur", PORT_LETTER)
    admin = _user(app, "port.bailleur")
    uow = app.uow_factory()
    with uow:
        groups = [g.id for g in uow.session.get(User, admin.id).groups]  # type: ignore[union-attr]
    create_user(
        app.uow_factory(),
        actor_id=admin.id,
        last_name="Roux",
        first_name="Lea",
        email="lea.roux@residences.example",
        email_confirmation="lea.roux@residences.example",
        phone="0611223344",
        phone_confirmation="0611223344",
        group_ids=groups,
        now=clock(),
    )
    body = _outbox(app)[-1][2]
    provisional = re.search(r"Mot de passe provisoire : (\S+)", body).group(1)  # type: ignore[union-attr]

    output, script, _ = chat(
        app,
        [CONNECT, "lea.roux01", "oui", "oui"],
        tmp_path,
        [provisional, "Lea-Roux-Perso-77", "Lea-Roux-Perso-77"],
        "lea",
    )
    assert script.secret_prompts == 3  # the provisional password, then the new one twice
    assert "Étape 1" not in output  # email and phone were given by the administrator
    assert "Votre première connexion est terminée" in output
    assert "administrateur de votre organisme" not in output
    lea = _user(app, "lea.roux01")
    assert not lea.is_admin and lea.accepted_terms_at is not None


def test_five_failures_make_the_identifier_wait_then_it_opens_again(
    app: App, tmp_path: Path, clock: conftest.TestClock
) -> None:
    lines = [CONNECT] + ["oliviers.admin"] * 5
    output, _, _ = chat(app, lines, tmp_path, ["faux-1", "faux-2", "faux-3", "faux-4", "faux-5"])
    assert output.count("L'identifiant ou le mot de passe est incorrect") == 4
    assert "une nouvelle tentative sera possible à partir du 23/11/2026 à 10:01" in output
    after_wait = output.split("à partir du 23/11/2026 à 10:01")[-1]
    assert "1. Se connecter" in after_wait  # the menu, for the recovery paths

    clock.advance(seconds=30)
    waiting, _, _ = chat(app, [CONNECT, "oliviers.admin"], tmp_path, [ADMIN_PASSWORD], "b")
    assert "à partir du 23/11/2026 à 10:01" in waiting
    assert "Connexion réussie" not in waiting

    clock.advance(minutes=1)
    output, _, _ = chat(app, [CONNECT, "oliviers.admin"], tmp_path, [ADMIN_PASSWORD], "c")
    assert "Connexion réussie. Bonjour Claire LEROUX (LES OLIVIERS)" in output


def test_an_unknown_identifier_gets_the_same_answers_as_a_known_one(
    app: App, tmp_path: Path
) -> None:
    def answers(login: str, chat_id: str) -> str:
        lines = [CONNECT] + [login] * 6
        output, _, _ = chat(app, lines, tmp_path, [f"faux-{n}" for n in range(6)], chat_id)
        return output.replace(login, "<identifiant>")

    assert answers("oliviers.admin", "k") == answers("personne.inconnue", "u")


def test_lost_identifier_answers_the_same_for_known_and_unknown_numbers(
    app: App, tmp_path: Path
) -> None:
    before = len(_outbox(app))
    known, _, _ = chat(app, ["identifiant perdu", "14 oliviers 0001", "Par courriel"], tmp_path)
    after_known = len(_outbox(app))
    unknown, _, _ = chat(
        app, ["identifiant perdu", "99 zzzzzz 000000", "Par courriel"], tmp_path, chat_id="bob"
    )

    assert "Quel est votre N° utilisateur ?" in known
    assert "Si ce N° utilisateur correspond à un compte" in known
    assert known == unknown
    assert after_known == before + 1
    assert len(_outbox(app)) == after_known
    medium, recipient, body = _outbox(app)[-1]
    assert (medium, recipient) == ("email", "gestion@lesoliviers.example")
    assert "Identifiant : oliviers.admin" in body
    assert "oliviers.admin" not in known


def test_lost_identifier_refuses_a_malformed_number_and_falls_back_to_letters(
    app: App, tmp_path: Path
) -> None:
    output, _, _ = chat(
        app,
        [
            "identifiant perdu",
            "12345",
            "17PORTBAIL0001",
            "je sais pas",
            "en main propre",
            "courrier",
        ],
        tmp_path,
    )
    assert "Ce N° utilisateur n'a pas la bonne forme" in output
    assert output.count("Répondez « courrier » ou « courriel »") == 2  # "je sais pas" asks again
    assert "par courrier à l'adresse de l'organisme, dans deux courriers séparés" in output
    letters = [row for row in _outbox(app) if row[0] == "post"]
    assert len(letters) == 2
    assert "RESIDENCES DU PORT" in letters[0][1]


def test_recovery_requests_are_rate_limited_in_french(app: App, tmp_path: Path) -> None:
    lines = []
    for _ in range(4):
        lines += ["identifiant perdu", "99ZZZZZZ000000", "Par courrier"]
    output, _, _ = chat(app, lines, tmp_path)
    assert "une nouvelle demande sera possible dans" in output


def test_forgotten_password_answers_the_same_and_emails_only_a_known_address(
    app: App, tmp_path: Path
) -> None:
    before = len(_outbox(app))
    known, _, _ = chat(
        app,
        ["j'ai oublié mon mot de passe", "pas une adresse", "gestion@lesoliviers.example"],
        tmp_path,
    )
    assert "Cette adresse courriel n'a pas la bonne forme" in known
    assert "Si cette adresse correspond à un compte" in known
    assert len(_outbox(app)) == before + 1
    unknown, _, _ = chat(
        app, ["mot de passe oublié", "personne@nulle-part.example"], tmp_path, chat_id="eve"
    )
    assert "Si cette adresse correspond à un compte" in unknown
    assert len(_outbox(app)) == before + 1


NEW_USER = [
    "mes utilisateurs",
    "Créer un utilisateur",
    "Privé",
    "Paul",
    "paul.prive@example",  # no dot in the domain
    "paul.prive@lesoliviers.example",
    "paul@lesoliviers.example",  # not the same
    "paul.prive@lesoliviers.example",
    "paul.prive@lesoliviers.example",
    "12345",  # not a phone
    "06 12 34 56 78",
    "0612345679",  # not the same
    "0612345678",
    "0612345678",
    "peut-être",
    "Itinérant",
    "Terminé",  # no group yet
    "privés 14",
    "Terminé",  # the recap: opening today and no closing date, by default
    "clôture le 01/01/2020",  # before the opening
    "Modifier",
    "Ouverture",
    "bientôt",
    "Aujourd'hui",
    "Valider",
]


def _create_paul(app: App, tmp_path: Path) -> str:
    output, _, _ = chat(app, [CONNECT, "oliviers.admin", *NEW_USER], tmp_path, [ADMIN_PASSWORD])
    return output


def test_creating_a_user_by_conversation_answers_every_refusal_in_french(
    app: App, tmp_path: Path
) -> None:
    output = _create_paul(app, tmp_path)
    assert "Les utilisateurs de votre organisme" in output
    assert "LEROUX Claire (oliviers.admin) — administrateur" in output
    assert "Cette adresse courriel n'a pas la bonne forme" in output
    assert "Les deux adresses courriel ne sont pas identiques" in output
    assert "Ce numéro de téléphone n'est pas valable" in output
    assert "Les deux numéros ne sont pas identiques" in output
    assert "Répondez « sédentaire » ou « itinérant »" in output
    assert "Choisissez au moins un groupe" in output
    assert "Groupe ajouté : Logements privés 14" in output
    assert "Je n'ai pas compris cette date" in output
    assert "La date de clôture doit être postérieure" in output
    assert "• Groupes : Logements privés 14" in output
    assert "• Ouverture : 23/11/2026 *" in output and "• Clôture : aucune" in output
    assert (
        "Son identifiant et son mot de passe provisoire lui ont été envoyés par courriel" in output
    )
    paul = _user(app, "paul.prive01")
    assert (paul.last_name, paul.phone, paul.mobile_worker) == ("PRIVÉ", "0612345678", True)
    assert (paul.opened_on, paul.closed_on) == (conftest.TODAY, None)
    medium, recipient, body = _outbox(app)[-1]
    assert (medium, recipient) == ("email", "paul.prive@lesoliviers.example")
    assert "Identifiant : paul.prive01" in body
    provisional = re.search(r"Mot de passe provisoire : (\S+)", body).group(1)  # type: ignore[union-attr]
    assert provisional not in output


def test_modifier_on_the_new_user_recap_changes_one_answer(app: App, tmp_path: Path) -> None:
    lines = [*NEW_USER[:-1], "Modifier", "le prénom", "Pierre", "Modifier", "Courriel"]
    lines += ["pierre.prive@lesoliviers.example", "pierre.prive@lesoliviers.example", "Valider"]
    output, _, _ = chat(app, [CONNECT, "oliviers.admin", *lines], tmp_path, [ADMIN_PASSWORD])

    after = output.split("Quelle réponse voulez-vous modifier ?", 1)[1]
    assert "Quel est son prénom" in after
    assert "• Prénom : Pierre" in after and "• Nom : PRIVÉ" in after
    assert "• Groupes : Logements privés 14" in after  # kept, not asked again
    assert "À quel(s) groupe(s)" not in after
    pierre = _user(app, "pierre.prive01")
    assert (pierre.first_name, pierre.email) == ("Pierre", "pierre.prive@lesoliviers.example")
    assert _outbox(app)[-1][1] == "pierre.prive@lesoliviers.example"


def _forge(app: App, chat_id: str, payload: str) -> str:
    """Plant a button the bot never offered, as a tampered client would send it."""
    uow = app.uow_factory()
    with uow:
        row = uow.session.scalars(select(Conversation).where(Conversation.chat_id == chat_id)).one()
        state = dict(row.state)
        state["offered"] = {**state.get("offered", {}), "forged": {"payload": payload, "label": ""}}
        row.state = state
        uow.commit()
    reply = app.engine.handle(Inbound(channel="console", chat_id=chat_id, choice="forged"))
    return "\n".join(m.text for m in reply.messages)


def test_a_private_housing_user_never_reaches_a_conventionne_tenant(
    app: App, tmp_path: Path
) -> None:
    _create_paul(app, tmp_path)
    provisional = re.search(  # type: ignore[union-attr]
        r"Mot de passe provisoire : (\S+)", _outbox(app)[-1][2]
    ).group(1)
    lines = [CONNECT, "paul.prive01", "oui", "oui", "déclarer le loyer de Brisson", "brisson"]
    secrets = [provisional, "Paul-Prive-Perso-42", "Paul-Prive-Perso-42"]
    output, _, _ = chat(app, lines, tmp_path, secrets, "paul")
    assert "Votre première connexion est terminée" in output
    assert "MUROT Esther" in output  # his private dwellings
    assert "BRISSON" not in output.replace("Brisson", "")
    assert output.count("Je ne trouve pas ce locataire parmi les vôtres") >= 1

    uow = app.uow_factory()
    with uow:
        brisson = uow.session.scalars(select(Tenant.id).where(Tenant.last_name == "BRISSON")).one()
        other = uow.session.scalars(select(User.id).where(User.login == "jean.martin")).one()
    answer = _forge(app, "paul", f'/inform{{"rent_tenant":{brisson}}}')
    assert "Je ne trouve pas ce locataire parmi les vôtres" in answer
    assert "BRISSON" not in answer

    refused, _, _ = chat(
        app, ["/annuler", "Oui, abandonner", "mes utilisateurs"], tmp_path, chat_id="paul"
    )
    assert "réservée à l'administrateur et aux responsables d'habilitation" in refused
    answer = _forge(app, "paul", f'/users_close{{"user_id":{other},"confirmed":true}}')
    assert "réservée à l'administrateur" in answer


def test_forged_user_ids_get_a_polite_answer_for_the_administrator(
    app: App, tmp_path: Path
) -> None:
    chat(app, [CONNECT, "oliviers.admin", "mes utilisateurs"], tmp_path, [ADMIN_PASSWORD])
    uow = app.uow_factory()
    with uow:
        other = uow.session.scalars(select(User.id).where(User.login == "jean.martin")).one()
        admin = uow.session.scalars(select(User.id).where(User.login == "oliviers.admin")).one()
    assert "Je ne trouve pas cet utilisateur" in _forge(
        app, "alice", f'/users_close{{"user_id":{other},"confirmed":true}}'
    )
    assert "Je ne trouve pas cet utilisateur" in _forge(
        app, "alice", f'/users_make_manager{{"user_id":{other}}}'
    )
    assert "que par la Caf" in _forge(app, "alice", f'/users_make_manager{{"user_id":{admin}}}')
    assert _user(app, "jean.martin").closed_on is None


def test_closing_a_user_and_naming_a_responsable(app: App, tmp_path: Path) -> None:
    _create_paul(app, tmp_path)
    lines = [
        "mes utilisateurs",
        "Gérer PRIVÉ Paul",
        "Nommer responsable d'habilitation",
        "mes utilisateurs",
        "Gérer PRIVÉ Paul",
        "Clôturer son accès",
        "Oui, clôturer",
        "mes utilisateurs",
        "Remplacer l'administrateur",
    ]
    output, _, _ = chat(app, lines, tmp_path)
    assert "PRIVÉ Paul est maintenant responsable d'habilitation" in output
    assert (
        "Voulez-vous clôturer dès aujourd'hui (23/11/2026) l'accès de cet utilisateur, PRIVÉ Paul"
        in output
    )
    assert "Accès clôturé à compter du 23/11/2026 : PRIVÉ Paul" in output
    assert "accès clôturé" in output
    assert "contactez votre Caf" in output
    paul = _user(app, "paul.prive01")
    assert paul.is_habilitation_manager and paul.closed_on == datetime(2026, 11, 23).date()


def test_logout_mentions_the_other_chats_of_the_account(app: App, tmp_path: Path) -> None:
    chat(app, [CONNECT, "oliviers.admin"], tmp_path, [ADMIN_PASSWORD], "phone")
    output, _, _ = chat(
        app, [CONNECT, "oliviers.admin", "/deconnexion"], tmp_path, [ADMIN_PASSWORD]
    )
    assert "Déconnexion effectuée" in output
    assert "encore connecté dans une autre conversation" in output


def test_restarting_the_terminal_at_the_password_prompt_never_counts_as_a_failure(
    app: App, tmp_path: Path
) -> None:
    for _ in range(6):  # each start sends /start, at the password prompt
        chat(app, [CONNECT, "oliviers.admin"] if _ == 0 else [], tmp_path, [], "r")

    output, script, _ = chat(app, [], tmp_path, [ADMIN_PASSWORD], "r")

    assert "Reprenons la connexion" in output and script.secret_prompts == 1
    assert "Connexion réussie. Bonjour Claire LEROUX (LES OLIVIERS)" in output
    with app.uow_factory() as uow:
        events = list(uow.session.scalars(select(AuditEvent.event)))
    assert "login_failed" not in events
