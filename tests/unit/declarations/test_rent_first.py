"""A rent given right after its tenant's name, unpaid rent mentioned after it, is the rent form's
(which notes the unpaid rent and offers its report); a debt or a payment is the unpaid form's."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.actions.declarations.rent_first import rent_given_first
from dialogs.nlu.entities import extract
from dialogs.nlu.tenants import TenantCandidate

TENANTS = [TenantCandidate(1, "Lucie", "PETIT"), TenantCandidate(2, "Camille", "LEBRUN")]


def _rent_first(text: str) -> bool:
    return rent_given_first(text, extract(text, today=date(2026, 7, 10), tenants=TENANTS))


@pytest.mark.parametrize(
    "text",
    [
        "petit 490 mais elle a 2 mois d'impayes",
        "loyer petit 490, elle a des impayés",
        "petit c 490 € et elle paye plus depuis mai",
        "lebrun 520 hc mais 1 mois de retard",
    ],
)
def test_a_rent_then_unpaid_rent_is_the_rent(text: str) -> None:
    assert _rent_first(text)


@pytest.mark.parametrize(
    "text",
    [
        "petit me doit 490",
        "petit 490 d'impayés",
        "petit a 490 de retard",
        "impayé petit 490",
        "petit a payé 200 sur 490",
        "petit paye plus depuis mai",
        "petit et lebrun 490 d'impayés",
    ],
)
def test_a_debt_or_a_payment_stays_the_unpaid_report(text: str) -> None:
    assert not _rent_first(text)
