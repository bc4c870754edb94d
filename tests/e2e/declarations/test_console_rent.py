"""The July rent declaration through the terminal channel, from login to the PDF receipt."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pypdf
from sqlalchemy import select

from bot.bootstrap import App
from dialogs.io import Inbound
from services.declarations.models import DeclarationState, RentDeclaration
from services.tenants.models import Tenant
from tests.e2e.console_chat import LOGIN, PASSWORD, chat


def declarations(app: App, last_name: str) -> list[tuple[DeclarationState, int, str]]:
    """This year's stored declarations of a tenant, as (state, cents, reference)."""
    uow = app.uow_factory()
    with uow:
        rows = uow.session.execute(
            select(
                RentDeclaration.state, RentDeclaration.rent_cents, RentDeclaration.receipt_reference
            )
            .join(Tenant)
            .where(Tenant.last_name == last_name, RentDeclaration.year == 2026)
        ).tuples()
        return [(state, cents or 0, reference or "") for state, cents, reference in rows]


def test_declaring_brissons_rent_from_login_to_pdf(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "jeveux declarer le loyer de brison", "330 euros", "1"]
    output, script, _ = chat(app, lines, tmp_path, secrets=[PASSWORD])

    assert script.secret_prompts == 1
    assert PASSWORD not in output
    assert "Connexion réussie. Bonjour Claire LEROUX (LES OLIVIERS)" in output
    assert "Loyer hors charges de juillet 2025 : 328,75 €" in output
    assert "Logement occupé depuis le : 10/07/2012" in output
    assert "Récapitulatif de votre déclaration" in output
    assert "• Loyer hors charges : 330,00 €" in output
    assert "• Toujours gestionnaire du logement : Oui *" in output
    assert "Votre déclaration est transmise à la Caf" in output
    assert "Il reste 3 loyers à saisir sur 6." in output

    path = Path(re.search(r"Document enregistré : (\S+\.pdf)", output).group(1))  # type: ignore[union-attr]
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    reference = re.search(r"LOY-2026-[0-9A-F]{8}", output).group(0)  # type: ignore[union-attr]
    assert reference in text
    assert "330,00 €" in text
    assert "BRISSON Isabelle" in text
    assert "171842" in text
    assert "20 RUE DOYEN MORIERE 14000 CAEN" in text
    assert "LES OLIVIERS" in text

    stored = declarations(app, "BRISSON")
    assert len(stored) == 1
    assert stored == [(DeclarationState.TRANSMIS, 33000, reference)]


def test_declaring_before_login_asks_to_log_in_then_resumes(app: App, tmp_path: Path) -> None:
    output, _, _ = chat(app, ["déclarer un loyer", "oliviers.admin"], tmp_path, [PASSWORD])
    assert "connectez-vous" in output
    assert "Il reste 4 loyers à saisir sur 6." in output
    assert "BRISSON Isabelle — n° 171842 — 14000 CAEN" in output
    assert "BEAUVOIS" not in output.split("Il reste")[1]


def test_a_login_cancelled_forgets_the_request_that_waited_for_it(app: App, tmp_path: Path) -> None:
    lines = ["déclarer un loyer", "annuler", "oui", *LOGIN]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])

    after = output.split("Connexion réussie", 1)[1]
    assert "Que souhaitez-vous faire ?" in after
    assert "Il reste 4 loyers" not in after


def test_one_message_can_name_the_tenant_and_the_amount(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "declarer le loyer de Brisson, 330 euros"]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    assert "Quel est le montant" not in output
    assert "• Loyer hors charges : 330,00 €" in output.split("Récapitulatif")[1]


def test_a_later_amount_is_a_correction_said_back_never_a_validation(
    app: App, tmp_path: Path
) -> None:
    lines = [*LOGIN, "declarer le loyer de Brisson, 330 euros", "oui, et c'est 340 euros"]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    assert "C'est corrigé — Loyer hors charges : 340,00 €" in output
    assert "• Loyer hors charges : 340,00 €" in output.split("C'est corrigé")[1]
    assert "transmise" not in output
    assert declarations(app, "BRISSON") == []


def test_restart_in_the_middle_resumes_at_the_same_question(
    make_app: Callable[[], App], tmp_path: Path
) -> None:
    first = make_app()
    chat(first, [*LOGIN, "declarer le loyer de brisson"], tmp_path, [PASSWORD])
    first.dispose()

    second = make_app()
    output, _, _ = chat(second, ["328,75", "Valider"], tmp_path)
    resumed = output.index("Reprenons la déclaration de loyer")
    asked_again = output.index("Quel est le montant du loyer hors charges")
    assert resumed < asked_again < output.index("Récapitulatif")
    assert "• Toujours gestionnaire du logement : Oui" in output
    assert "Votre déclaration est transmise" in output
    assert declarations(second, "BRISSON")[0][1] == 32875


def test_every_question_answers_bad_input_in_french_and_goes_on(app: App, tmp_path: Path) -> None:
    lines = [
        *LOGIN,
        "declarer un loyer",
        "Zorglub",  # unknown tenant
        "brisson",
        "beaucoup",  # not an amount
        "0",
        "-12",
        "328,755",
        "9000",  # unusual: confirm
        "Non, je corrige",
        "330",
        "euh",  # recap: unclear
        "Modifier",
        "la colocation",
        "peut-être",  # not yes/no
        "bof",
        "non",
        "Modifier",
        "le montant",
        "335,50",
        "Valider",
    ]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    assert "Je ne trouve pas ce locataire parmi les vôtres" in output
    assert output.count("répondez par « oui » ou par « non »") >= 2
    assert "Je n'ai pas compris ce montant" in output
    assert "Le loyer doit être supérieur à 0 €" in output
    assert "au plus deux chiffres après la virgule" in output
    assert "Le montant de 9 000,00 € est très différent de celui de l'an dernier" in output
    assert "Je n'ai rien transmis" in output
    assert "Quelle réponse voulez-vous modifier ?" in output
    assert "• Loyer hors charges : 335,50 €" in output
    assert "Votre déclaration est transmise" in output
    assert declarations(app, "BRISSON")[0][1] == 33550


def test_double_valider_makes_one_declaration(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "declarer le loyer de brisson", "330"]
    _, _, console = chat(app, lines, tmp_path, [PASSWORD])
    valider = next(key for label, key in console._choices if label == "Valider")
    first = app.engine.handle(Inbound(channel="console", chat_id="alice", choice=valider))
    again = app.engine.handle(Inbound(channel="console", chat_id="alice", choice=valider))
    assert "transmise" in first.messages[0].text
    assert "n'est plus valable" in again.messages[0].text
    assert "Que souhaitez-vous faire ?" in again.messages[1].text
    assert len(declarations(app, "BRISSON")) == 1


def test_a_stale_button_in_a_form_asks_the_pending_question_again(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "declarer le loyer de brisson"]
    _, _, console = chat(app, lines, tmp_path, [PASSWORD])
    same = next(key for label, key in console._choices if label.startswith("Même montant"))
    app.engine.handle(Inbound(channel="console", chat_id="alice", choice=same))
    again = app.engine.handle(Inbound(channel="console", chat_id="alice", choice=same))
    assert "n'est plus valable" in again.messages[0].text
    assert "Récapitulatif" in again.messages[1].text


def test_an_already_transmitted_rent_is_not_declared_twice(app: App, tmp_path: Path) -> None:
    output, _, _ = chat(app, [*LOGIN, "declarer le loyer de Beauvois"], tmp_path, [PASSWORD])
    assert "a déjà été transmis le 12/09/2026 à 10:00 (412,00 €" in output
    assert len(declarations(app, "BEAUVOIS")) == 1


def test_cancel_asks_for_confirmation_and_saves_nothing(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "declarer le loyer de brisson", "annuler", "Oui, abandonner"]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    assert "Voulez-vous vraiment abandonner la déclaration de loyer ?" in output
    assert "C'est abandonné : rien n'a été enregistré." in output
    assert declarations(app, "BRISSON") == []


def test_answering_no_to_manager_explains_end_of_management_and_saves_nothing(
    app: App, tmp_path: Path
) -> None:
    lines = [*LOGIN, "declarer le loyer de brisson", "je ne suis plus le gestionnaire"]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    assert "fin de gestion" in output
    assert "Déclarer une fin de gestion" in output
    assert declarations(app, "BRISSON") == []


def test_a_wrong_password_gets_one_generic_answer(app: App, tmp_path: Path) -> None:
    output, _, _ = chat(app, [*LOGIN], tmp_path, ["mauvais"])
    assert "L'identifiant ou le mot de passe est incorrect" in output
    assert "mauvais" not in output


def test_slash_quitter_ends_the_chat_and_keeps_the_form(app: App, tmp_path: Path) -> None:
    output, script, _ = chat(
        app, [*LOGIN, "loyer brisson 330", "/quitter", "bonjour"], tmp_path, [PASSWORD]
    )
    assert "Au revoir" in output
    assert script.lines == ["bonjour"]
    again, _, _ = chat(app, ["oui"], tmp_path)
    assert "Reprenons la déclaration de loyer" in again
    assert "Votre déclaration est transmise" in again


def test_a_question_in_the_middle_of_the_form_is_answered_then_the_form_resumes(
    app: App, tmp_path: Path
) -> None:
    lines = [
        *LOGIN,
        "declarer le loyer de brisson",
        "ou est ce que je trouve mon numero utilisateur ?",
        "330",
        "Valider",
    ]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    after_question = output.split("Votre N° utilisateur est composé de 14 caractères")[1]
    assert after_question.index("Quel est le montant") < after_question.index("Récapitulatif")
    assert "Votre déclaration est transmise" in output


def test_account_questions_are_answered_without_logging_in(app: App, tmp_path: Path) -> None:
    output, _, _ = chat(app, ["j'ai oublié mon mot de passe", "comment contacter la caf"], tmp_path)
    assert "nouveau mot de passe provisoire" in output
    assert "3230" in output
    assert "Quel est votre identifiant" not in output


def test_a_faq_offers_to_log_in_only_to_someone_logged_out(app: App, tmp_path: Path) -> None:
    question = "c'est quoi le n° utilisateur"
    logged_out, _, _ = chat(app, [question], tmp_path, chat_id="out")
    logged_in, _, _ = chat(app, [*LOGIN, question], tmp_path, [PASSWORD], chat_id="in")

    answer_out = logged_out.split("Votre N° utilisateur est composé")[1]
    answer_in = logged_in.split("Votre N° utilisateur est composé")[1]
    assert "Se connecter" in answer_out
    assert "Identifiant perdu" in answer_in and "Se connecter" not in answer_in


def test_ctrl_d_ends_the_program_and_keeps_the_form(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "je veux declarer le loyer de brisson"]
    output, _, _ = chat(app, lines, tmp_path, secrets=[PASSWORD])  # then Ctrl-D (end of input)
    assert "montant du loyer" in output
    assert "Votre conversation est conservée" in output.split("montant du loyer")[-1]
    again, _, _ = chat(app, ["330"], tmp_path)
    assert "• Loyer hors charges : 330,00 €" in again
    assert "• Locataire : BRISSON Isabelle" in again
