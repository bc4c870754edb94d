from datetime import date

import pytest

from services.core.errors import InvalidValue, NotFound
from services.declarations.changes import declare_departure
from services.declarations.models import DeclarationState
from services.tenants.views import TenantQuery, list_tenants, tenant_card

TODAY = date(2026, 11, 23)


def _names(page) -> list[str]:
    return [line.last_name for line in page.lines]


def _search(uow_factory, user, **query):
    return list_tenants(uow_factory(), user_id=user, today=TODAY, query=TenantQuery(**query))


def test_the_list_comes_in_pages_of_five_with_the_campaign_counts(uow_factory, oliviers):
    first = list_tenants(uow_factory(), user_id=oliviers, today=TODAY)
    assert _names(first) == ["BEAUVOIS", "BRISSON", "COUTURE", "DUPONT", "MILOME"]
    assert (first.page, first.total_pages, first.matched) == (1, 2, 6)
    assert (first.remaining, first.total, first.year) == (4, 6, 2026)
    assert first.lines[0].state is DeclarationState.TRANSMIS
    second = _search(uow_factory, oliviers, page=2)
    assert _names(second) == ["MUROT"]
    assert _search(uow_factory, oliviers, page=9).page == 2


def test_the_list_filters_by_declaration_state(uow_factory, oliviers):
    transmitted = _search(uow_factory, oliviers, state=DeclarationState.TRANSMIS)
    assert _names(transmitted) == ["BEAUVOIS", "DUPONT"]
    assert (transmitted.matched, transmitted.remaining, transmitted.total) == (2, 4, 6)
    assert _names(_search(uow_factory, oliviers, state="non_saisi")) == [
        "BRISSON",
        "COUTURE",
        "MILOME",
        "MUROT",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brison", ["BRISSON"]),
        ("Dupond Maryline", ["DUPONT"]),
        ("esther", ["MUROT"]),
        ("171842", ["BRISSON"]),
        ("21083", ["DUPONT"]),
        ("14120", ["MUROT"]),
        ("Mondevile", ["MUROT"]),
        ("Rocquancourt", ["DUPONT"]),
        ("caen", ["BEAUVOIS", "BRISSON", "COUTURE", "MILOME"]),
        ("zzzz", []),
        ("12345678", []),
    ],
)
def test_search_by_name_with_typos_number_commune_or_postcode(
    uow_factory, oliviers, text, expected
):
    page = _search(uow_factory, oliviers, text=text)
    assert _names(page) == expected
    assert page.total_pages == 1


def test_a_search_and_a_state_combine(uow_factory, oliviers):
    assert _names(_search(uow_factory, oliviers, text="caen", state="transmis")) == ["BEAUVOIS"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"page": 0}, "invalid_page"),
        ({"page_size": 0}, "invalid_page_size"),
        ({"text": "x" * 101}, "invalid_text"),
    ],
)
def test_a_bad_query_is_refused(uow_factory, oliviers, query, code):
    with pytest.raises(InvalidValue) as refused:
        list_tenants(
            uow_factory(), user_id=oliviers, today=TODAY, query=TenantQuery.model_construct(**query)
        )
    assert refused.value.reason == code


def test_each_landlord_lists_only_their_tenants(uow_factory, martin):
    page = list_tenants(uow_factory(), user_id=martin, today=TODAY)
    assert _names(page) == ["LEBRUN", "NGUYEN", "PETIT"]
    assert _names(_search(uow_factory, martin, text="brisson")) == []
    assert _names(_search(uow_factory, martin, text="171842")) == []


def test_the_card_shows_address_rent_and_declaration(uow_factory, oliviers, tenant_id):
    brisson = tenant_card(
        uow_factory(), user_id=oliviers, tenant_id=tenant_id("BRISSON"), today=TODAY
    )
    assert brisson.address == "20 RUE DOYEN MORIERE 14000 CAEN"
    assert brisson.since == date(2012, 7, 10)
    assert (brisson.flatshare, brisson.cotenants) == (False, 1)
    assert (brisson.year, brisson.last_rent_cents) == (2026, 32875)
    assert brisson.declaration_state is DeclarationState.NON_SAISI
    assert (brisson.open_changes, brisson.open_unpaid) == ((), ())
    beauvois = tenant_card(
        uow_factory(), user_id=oliviers, tenant_id=tenant_id("BEAUVOIS"), today=TODAY
    )
    assert beauvois.declaration_state is DeclarationState.TRANSMIS
    assert (beauvois.declared_rent_cents, beauvois.declaration_reference) == (
        41200,
        "LOY-2026-D0467060",
    )


def test_a_flatshare_tenant_card(uow_factory, martin, tenant_id):
    card = tenant_card(uow_factory(), user_id=martin, tenant_id=tenant_id("LEBRUN"), today=TODAY)
    assert (card.flatshare, card.cotenants) == (True, 2)
    assert card.address == "27 RUE DU GROS HORLOGE 76000 ROUEN"


def test_a_departed_tenant_leaves_the_list_but_keeps_a_card(uow_factory, oliviers, tenant_id, now):
    murot = tenant_id("MUROT")
    done = declare_departure(
        uow_factory(),
        user_id=oliviers,
        tenant_id=murot,
        departed_on=date(2026, 11, 1),
        lease_ended_on=date(2026, 11, 30),
        now=now,
    )
    page = _search(uow_factory, oliviers, text="murot")
    assert (_names(page), page.remaining, page.total) == ([], 3, 5)
    card = tenant_card(uow_factory(), user_id=oliviers, tenant_id=murot, today=TODAY)
    assert card.departed_on == date(2026, 11, 1)
    assert card.expects_declaration is False
    assert [c.reference for c in card.open_changes] == [done.reference]


def test_another_organisations_card_is_not_found(uow_factory, martin, tenant_id):
    with pytest.raises(NotFound):
        tenant_card(uow_factory(), user_id=martin, tenant_id=tenant_id("BRISSON"), today=TODAY)
