"""What the payments view says, sized for a phone: totals over several months, each payment of
one month or one tenant, at most a screenful of payments for a month of a large organisation."""

from __future__ import annotations

from datetime import date

from dialogs.actions.payments.view import DETAIL_LINES, _view_text
from services.payments.views import MonthPayments, PaymentLine, PaymentsView
from services.tenants.models import AidType


def _line(tenant: int, month: date) -> PaymentLine:
    paid = month.replace(day=25)
    return PaymentLine(tenant, f"TENANT{tenant:04d} Jo", f"{tenant:06d}", AidType.APL, 10000, paid)


def _view(tenants: int, months: int) -> PaymentsView:
    firsts = [date(2026, 6 - i, 1) for i in range(months)]
    return PaymentsView(
        first_month=firsts[-1],
        last_month=firsts[0],
        months=tuple(MonthPayments(m, tuple(_line(t, m) for t in range(tenants))) for m in firsts),
        tenant_totals=tuple((t, f"TENANT{t:04d} Jo", 10000 * months) for t in range(tenants)),
    )


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_several_months_of_an_organisation_show_totals_and_counts_only() -> None:
    shown = _plain(_view_text(_view(tenants=1500, months=3), None))
    assert shown.splitlines() == [
        "• juin 2026 : 150 000,00 € (1 500 versements)",
        "• mai 2026 : 150 000,00 € (1 500 versements)",
        "• avril 2026 : 150 000,00 € (1 500 versements)",
    ]


def test_one_month_lists_its_payments_up_to_a_screenful() -> None:
    shown = _plain(_view_text(_view(tenants=1500, months=1), None)).splitlines()
    assert shown[0] == "• juin 2026 : 150 000,00 €"
    assert len(shown) == 1 + DETAIL_LINES + 1
    assert "TENANT0000 Jo (APL) : 100,00 €, versé le 25/06/2026" in shown[1]
    assert "1 480 versements de plus" in shown[-1]


def test_one_tenant_has_one_line_a_month() -> None:
    shown = _plain(_view_text(_view(tenants=1, months=2), "TENANT0000 Jo"))
    assert shown.splitlines() == [
        "• juin 2026 : 100,00 € (APL), versé le 25/06/2026",
        "• mai 2026 : 100,00 € (APL), versé le 25/05/2026",
    ]
