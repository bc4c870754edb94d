import csv
import io
from datetime import date

import pytest

from services.core.errors import DateError, InvalidValue, NotFound
from services.payments.statements import payments_statement
from services.payments.views import payment_day_explanation, payments_view
from services.tenants.models import AidType
from tests.integration.conftest import pdf_text

TODAY = date(2026, 11, 23)
OLIVIERS_MONTHLY = 21000 + 18000 + 15500 + 12000 + 19000 + 14000


def test_the_default_view_is_the_last_twelve_months_paid_with_totals(uow_factory, oliviers):
    view = payments_view(uow_factory(), user_id=oliviers, today=TODAY)
    assert (view.first_month, view.last_month) == (date(2025, 11, 1), date(2026, 10, 1))
    assert [m.month for m in view.months][:2] == [date(2026, 10, 1), date(2026, 9, 1)]
    assert len(view.months) == 12
    assert all(m.total_cents == OLIVIERS_MONTHLY for m in view.months)
    assert view.total_cents == 12 * OLIVIERS_MONTHLY
    assert dict((name, cents) for _, name, cents in view.tenant_totals)["BRISSON Isabelle"] == (
        12 * 18000
    )


def test_apl_is_paid_on_the_25th_and_al_early_the_next_month(uow_factory, oliviers):
    october = payments_view(uow_factory(), user_id=oliviers, today=TODAY, month=10, year=2026)
    (month,) = october.months
    paid = {line.tenant_name: (line.aid_type, line.paid_on) for line in month.lines}
    assert paid["BRISSON Isabelle"] == (AidType.APL, date(2026, 10, 25))
    assert paid["DUPONT Maryline"] == (AidType.AL, date(2026, 11, 5))
    assert month.total_cents == OLIVIERS_MONTHLY


def test_payment_day_facts():
    apl = payment_day_explanation("APL")
    al = payment_day_explanation(AidType.AL)
    assert (apl.day_of_month, apl.following_month, apl.code) == (25, False, "apl_25th_same_month")
    assert apl.expected_on(date(2026, 11, 1)) == date(2026, 11, 25)
    assert (al.following_month, al.code) == (True, "al_start_of_next_month")
    assert al.expected_on(date(2026, 12, 1)) == date(2027, 1, 1)
    with pytest.raises(InvalidValue):
        payment_day_explanation("RSA")


def test_one_tenant_one_month_or_one_year(uow_factory, oliviers, tenant_id):
    brisson = payments_view(
        uow_factory(), user_id=oliviers, today=TODAY, tenant_id=tenant_id("BRISSON")
    )
    assert {line.tenant_name for m in brisson.months for line in m.lines} == {"BRISSON Isabelle"}
    assert brisson.total_cents == 12 * 18000
    december = payments_view(uow_factory(), user_id=oliviers, today=TODAY, month=12)
    assert [m.month for m in december.months] == [date(2025, 12, 1)]
    year_2025 = payments_view(uow_factory(), user_id=oliviers, today=TODAY, year=2025)
    assert [m.month for m in year_2025.months] == [date(2025, 12, 1), date(2025, 11, 1)]


@pytest.mark.parametrize(
    ("month", "year", "error", "code"),
    [
        (13, None, InvalidValue, "invalid_month"),
        (0, 2026, InvalidValue, "invalid_month"),
        (None, 2027, DateError, "year_out_of_range"),
        (None, 1999, DateError, "year_out_of_range"),
    ],
)
def test_a_bad_period_is_refused(uow_factory, oliviers, month, year, error, code):
    with pytest.raises(error) as refused:
        payments_view(uow_factory(), user_id=oliviers, today=TODAY, month=month, year=year)
    assert refused.value.reason == code


def test_each_landlord_sees_only_their_payments(uow_factory, martin, tenant_id):
    view = payments_view(uow_factory(), user_id=martin, today=TODAY)
    names = {line.tenant_name for m in view.months for line in m.lines}
    assert names == {"LEBRUN Camille", "PETIT Lucie"}  # NGUYEN's aid goes to the tenant
    with pytest.raises(NotFound):
        payments_view(uow_factory(), user_id=martin, today=TODAY, tenant_id=tenant_id("BRISSON"))


def test_the_csv_statement_opens_in_a_french_spreadsheet(uow_factory, oliviers):
    name, content = payments_statement(
        uow_factory(), user_id=oliviers, today=TODAY, year=2026, fmt="csv"
    )
    assert name == "paiements-caf-oliviers.admin-2026.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Mois", "Locataire", "Numéro allocataire", "Aide", "Montant (€)", "Payé le"]
    assert ["10/2026", "BRISSON Isabelle", "171842", "APL", "180,00", "25/10/2026"] in rows
    assert rows[1][0] == "01/2026"
    assert rows[-1] == ["Total", "", "", "", "9950,00", ""]
    assert len(rows) == 2 + 10 * 6


def test_the_pdf_statement_lists_the_year(uow_factory, oliviers):
    name, content = payments_statement(
        uow_factory(), user_id=oliviers, today=TODAY, year=2026, fmt="pdf"
    )
    assert name == "paiements-caf-oliviers.admin-2026.pdf"
    text = pdf_text(content)
    for expected in (
        "Paiements de la Caf",
        "année 2026",
        "LES OLIVIERS",
        "BRISSON Isabelle",
        "180,00 €",
        "octobre 2026",
        "9 950,00 €",
    ):
        assert expected in text


def test_an_unknown_statement_format_is_refused(uow_factory, oliviers):
    with pytest.raises(InvalidValue) as refused:
        payments_statement(uow_factory(), user_id=oliviers, today=TODAY, year=2026, fmt="xls")
    assert refused.value.reason == "invalid_format"


def test_a_tenants_statement_covers_that_tenant_and_is_named_apart(
    uow_factory, oliviers, tenant_id
):
    whole, _ = payments_statement(
        uow_factory(), user_id=oliviers, today=TODAY, year=2026, fmt="csv"
    )
    name, content = payments_statement(
        uow_factory(),
        user_id=oliviers,
        today=TODAY,
        year=2026,
        fmt="csv",
        tenant_id=tenant_id("BRISSON"),
    )
    assert name == "paiements-caf-oliviers.admin-2026-171842.csv" != whole
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert {row[1] for row in rows[1:-1]} == {"BRISSON Isabelle"}


def test_the_next_payments_follow_the_last_month_paid_of_each_aid(uow_factory, oliviers):
    from services.payments.upcoming import upcoming_payments

    apl, al = upcoming_payments(uow_factory(), user_id=oliviers, today=date(2026, 7, 10))
    # APL: June paid on 25/06, July comes on 25/07; AL: June paid on 05/07, July early August
    assert (apl.aid_type, apl.month, apl.expected_on) == (
        AidType.APL,
        date(2026, 7, 1),
        date(2026, 7, 25),
    )
    assert (apl.last_total_cents, apl.tenants) == (21000 + 18000 + 15500 + 19000, 4)
    assert (al.aid_type, al.month, al.expected_on, al.following_month) == (
        AidType.AL,
        date(2026, 7, 1),
        date(2026, 8, 1),
        True,
    )
    assert (al.last_total_cents, al.tenants) == (12000 + 14000, 2)
    # on 4 July, June's AL is not yet paid: it is the next one
    _, al_early = upcoming_payments(uow_factory(), user_id=oliviers, today=date(2026, 7, 4))
    assert al_early.month == date(2026, 6, 1)


def test_a_follow_up_names_another_tenant_or_month_for_the_same_view(app):
    from tests.integration.chat import Chat

    chat = Chat(app)
    chat.log_in()
    whole = chat.say("mes paiements")
    assert "(6 versements)" in whole
    assert "versé le" not in whole  # totals only, the detail on demand
    assert "pour BRISSON Isabelle" in chat.say("et pour brisson")
    march = chat.say("et en mars ?")  # still Brisson's: the view was hers
    assert "Paiements de la Caf de mars 2026 pour BRISSON Isabelle" in march
    assert "pour COUTURE Anthony" in chat.say("et couture")
    chat.say("mes paiements")
    assert "pour " not in chat.say("et en mars ?").splitlines()[0]  # the whole list's month


def test_a_tenant_named_after_one_month_s_view_is_that_month_for_that_tenant(app):
    from tests.integration.chat import Chat

    chat = Chat(app)
    chat.log_in()
    assert "Paiements de la Caf de juin 2026 :" in chat.say("combien la caf m'a versé en juin")
    june = chat.say("et pour brisson ?")
    assert "Paiements de la Caf de juin 2026 pour BRISSON Isabelle" in june
    assert "mai 2026" not in june
    chat.say("mes paiements")  # twelve months: a tenant named next gets the twelve months
    assert "de novembre 2025 à octobre 2026 pour COUTURE Anthony" in chat.say("et couture")
