"""A greeting that opens a request is politeness: the request is what is understood."""

from __future__ import annotations

import pytest

from dialogs.nlu import NluModel


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("bjr mme brisson paye plus depuis septembre", "report_unpaid"),
        ("bonjour, je veux declarer le loyer de brisson", "declare_rent"),
        ("salut mes locataires partis", "list_tenants"),
        ("bjr jai paumé mon id", "faq_lost_identifier"),
        ("bonsoir j'ai oublié mon mot de passe", "faq_forgot_password"),
        ("bonjour", "greet"),
        ("bonjour comment allez vous", "greet"),
    ],
)
def test_a_greeting_before_a_request_leaves_the_request(
    nlu: NluModel, said: str, intent: str
) -> None:
    assert nlu.parse(said)["intent"]["name"] == intent
