"""Every rent still to declare at once, and a spreadsheet of rents, through the real engine on the
demo database: the recap, exceptions typed in every form, one Valider, one PDF listing every
receipt, a failure that leaves the others transmitted, and names or numbers outside the user's
organisation that change nothing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.bootstrap import App
from dialogs.io import Document, Inbound, Reply
from services.accounts.models import User
from services.declarations.bulk import RentLine, bulk_scope, transmit_rents
from services.declarations.models import DeclarationState, RentDeclaration
from services.tenants.models import Tenant

OLIVIERS = ("oliviers.admin", "Oliviers-Demo-2026")
REMAINING = {"BRISSON": 32875, "COUTURE": 38990, "MILOME": 35000, "MUROT": 45500}


class Chat:
    def __init__(self, app: App, chat: str = "bulk") -> None:
        self.app = app
        self.chat = chat
        self.last: Reply | None = None
        self.typed = 0

    def _send(self, inbound: Inbound) -> str:
        self.last = self.app.engine.handle(inbound)
        return "\n".join(m.text for m in self.last.messages)

    def say(self, text: str) -> str:
        self.typed += 1
        return self._send(Inbound(channel="test", chat_id=self.chat, text=text))

    def send_file(self, filename: str, content: bytes) -> str:
        self.typed += 1
        document = Document(filename=filename, content=content, mime_type="text/csv")
        return self._send(Inbound(channel="test", chat_id=self.chat, attachment=document))

    def press(self, prefix: str) -> str:
        assert self.last is not None
        choice = next(
            c for m in self.last.messages for c in m.choices if c.label.startswith(prefix)
        )
        self.typed += 1
        return self._send(Inbound(channel="test", chat_id=self.chat, choice=choice.key))

    def documents(self) -> list[Document]:
        assert self.last is not None
        return [m.document for m in self.last.messages if m.document is not None]

    def log_in(self, account: tuple[str, str] = OLIVIERS) -> None:
        self.say(account[0])
        assert "Connexion réussie" in self.say(account[1])
        self.typed = 0


def transmitted(app: App) -> dict[str, int]:
    with app.uow_factory() as uow:
        rows = uow.session.execute(
            select(Tenant.last_name, RentDeclaration.rent_cents)
            .join(RentDeclaration.tenant)
            .where(RentDeclaration.year == 2026, RentDeclaration.state == DeclarationState.TRANSMIS)
        ).all()
    return {name: int(cents or 0) for name, cents in rows}


def pdf_text(document: Document) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.content)).pages)


def test_the_demo_landlord_declares_every_remaining_rent_in_two_messages(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    before = transmitted(app)
    recap = chat.say("tous mes loyers sont inchangés")
    assert "4 loyers, 1 523,65 € au total" in recap
    assert "MUROT Esther (n° 216691) : 455,00 €" in recap
    done = chat.say("valider")
    assert "4 loyers de juillet 2026 transmis (1 523,65 €)" in done
    assert "Tous les loyers de juillet 2026 de vos locataires ont été transmis" in done
    assert chat.typed == 2
    assert transmitted(app) == {**before, **REMAINING}
    (pdf,) = chat.documents()
    text = pdf_text(pdf)
    with app.uow_factory() as uow:
        references = uow.session.scalars(
            select(RentDeclaration.receipt_reference).where(
                RentDeclaration.transmitted_at == app.clock()
            )
        ).all()
    assert len(references) == 4
    assert all(reference and reference in text for reference in references)
    assert "216691" in text and "MUROT Esther" in text and "455,00 €" in text


def test_exceptions_are_taken_in_every_form_before_valider(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("tous mes loyers sont inchangés")
    said = chat.say("sauf brisson 340 €, pas murot")
    assert "C'est noté : BRISSON Isabelle 340,00 €, sans MUROT Esther." in said
    assert "Non transmis cette fois : MUROT Esther." in said
    assert "COUTURE Anthony 400,00 €" in chat.say("couture 400")
    assert "3 loyers de juillet 2026 transmis" in chat.press("Valider")
    assert chat.typed == 4
    sent = transmitted(app)
    assert (sent["BRISSON"], sent["COUTURE"], sent["MILOME"]) == (34000, 40000, 35000)
    assert "MUROT" not in sent


@pytest.mark.parametrize(
    "typed",
    [
        "tous mes loyers sont inchangés sauf milome 360",
        "tout pareil que lan dernier sauf milome qui passe a 360",
        "rien n'a changé sauf milome 360",
    ],
)
def test_exceptions_in_the_opening_message_count(app: App, typed: str) -> None:
    chat = Chat(app)
    chat.log_in()
    said = chat.say(typed)
    assert "MILOME Syndy 360,00 €" in said
    assert "4 loyers" in said
    chat.say("ok")
    assert transmitted(app)["MILOME"] == 36000


def test_the_campaign_offers_every_rent_at_once(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    assert "Pour quel locataire" in chat.say("déclarer les loyers")
    assert "4 loyers" in chat.press("Tous inchangés (4)")
    chat.press("Valider")
    assert set(REMAINING) <= set(transmitted(app))


def test_a_tenant_of_another_organisation_changes_nothing(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("tous mes loyers sont inchangés")
    said = chat.say("nguyen 900 et petit 700")
    assert "Je ne trouve pas « nguyen, petit »" in said
    assert "NGUYEN" not in said.split("parmi")[1]
    chat.say("valider")
    sent = transmitted(app)
    assert "NGUYEN" not in sent and "PETIT" not in sent
    assert sent["BRISSON"] == REMAINING["BRISSON"]


def test_a_rent_declared_meanwhile_fails_alone_and_is_named(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("tous mes loyers sont inchangés")
    colleague = Chat(app, chat="colleague")
    colleague.log_in()
    assert "est transmise" in colleague.say("loyer couture 395") + colleague.say("oui")
    said = chat.say("valider")
    assert "3 loyers de juillet 2026 transmis" in said
    assert (
        "1 loyer n'a pas pu être transmis :\n• COUTURE Anthony : déjà transmis entre-temps" in said
    )
    assert transmitted(app)["COUTURE"] == 39500


def test_a_service_line_outside_the_scope_fails_without_undoing_the_others(app: App) -> None:
    with app.uow_factory() as uow:
        user_id = uow.session.scalars(select(User.id).where(User.login == "oliviers.admin")).one()
        other = uow.session.scalars(select(Tenant.id).where(Tenant.last_name == "NGUYEN")).one()
    scope = bulk_scope(app.uow_factory(), user_id=user_id, today=app.clock().date())
    brisson = next(t for t in scope.remaining if t.last_name == "BRISSON")
    lines = [
        RentLine(brisson.tenant_id, 33000, False),
        RentLine(other, 50000, False),
        RentLine(brisson.tenant_id, 34000, False),
    ]
    result = transmit_rents(app.uow_factory(), user_id=user_id, lines=lines, now=app.clock())
    assert [d.line.rent_cents for d in result.done] == [33000]
    assert [(f.line.tenant_id, f.reason) for f in result.failed] == [
        (other, "unknown_tenant"),
        (brisson.tenant_id, "already_transmitted"),
    ]
    assert transmitted(app)["BRISSON"] == 33000
    assert "NGUYEN" not in transmitted(app)


SHEET = (
    "Numéro allocataire;Nom;Loyer hors charges;Colocation;Impayé\r\n"
    "171842;BRISSON;330,50;non;non\r\n"
    "580592;COUTURE;abc;;\r\n"
    "3320917;NGUYEN;300;;\r\n"
    "171842;BRISSON;330;;\r\n"
    "21083;DUPONT;520;;\r\n"
    "581887;MILOME;3500;;\r\n"
    "216691;MUROT;455;peut-être;\r\n"
)


def test_a_spreadsheet_is_checked_line_by_line_and_its_good_lines_sent(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    said = chat.send_file("loyers.csv", SHEET.encode("cp1252"))
    assert "Tableau « loyers.csv » : 1 ligne prête, 6 à corriger." in said
    assert "Ligne 3 : loyer « abc » non valide pour COUTURE Anthony" in said
    assert "Ligne 4 : le numéro allocataire 3320917 n'est pas celui d'un de vos locataires" in said
    assert "Ligne 5 : BRISSON Isabelle figure déjà ligne 2" in said
    assert "Ligne 6 : DUPONT Maryline : loyer déjà transmis" in said
    assert (
        "Ligne 7 : loyer 3 500,00 € inhabituel pour MILOME Syndy : s'il est juste, déclarez-le "
        "seul (« loyer MILOME Syndy 3 500,00 € »)"
    ) in said
    assert "Ligne 8 : colonnes Colocation et Impayé" in said
    assert "1 loyer de juillet 2026 transmis (330,50 €)" in chat.press("Valider (1)")
    assert transmitted(app)["BRISSON"] == 33050
    assert "NGUYEN" not in transmitted(app)


def test_many_errors_come_as_a_csv_too(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    lines = "".join(f"{9_000_000 + n};300\n" for n in range(20))
    said = chat.send_file("loyers.csv", ("171842;330\n" + lines).encode())
    assert "1 ligne prête, 20 à corriger" in said
    assert "… et 5 de plus" in said
    (errors,) = chat.documents()
    assert errors.filename.endswith(".csv")
    assert len(errors.content.decode("utf-8-sig").splitlines()) == 21


def test_the_template_comes_back_and_declares_every_rent(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("tous mes loyers sont inchangés")
    assert "Voici le modèle" in chat.press("Modèle de tableau")
    (template,) = chat.documents()
    said = chat.send_file(template.filename, template.content)
    assert "4 lignes prêtes, rien à corriger" in said
    chat.say("valider")
    assert transmitted(app) | REMAINING == transmitted(app)


def test_asking_for_the_spreadsheet_sends_it_without_opening_a_declaration(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    said = chat.say("vous auriez un fichier excel pour declarer les loyers d un coup ?")
    assert "Voici le modèle : vos 4 locataires" in said
    (template,) = chat.documents()
    assert template.filename.endswith(".xlsx")
    # no declaration was left open: the file sent back is read at once, with no switch question
    assert "4 lignes prêtes" in chat.send_file(template.filename, template.content)


def test_a_file_that_is_not_a_spreadsheet_is_refused_politely(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    said = chat.send_file("photo.pdf", b"%PDF-1.4 not a table")
    assert "Je ne peux lire que des tableaux CSV ou Excel" in said
    assert "transmis" not in chat.say("valider")
