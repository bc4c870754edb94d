import pytest

from services.core.errors import AmountError
from services.core.money import format_euros, parse_amount


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("328,75", 32875),
        ("328.75", 32875),
        ("328.75 €", 32875),
        ("330 euros", 33000),
        ("330e", 33000),
        ("330 €", 33000),
        ("330€", 33000),
        ("1 250,00 €", 125000),
        ("1250", 125000),
        ("1.250,00", 125000),
        ("  412,5 ", 41250),
        ("trois cent trente euros", 33000),
        ("330 EUR", 33000),
    ],
)
def test_amounts_are_read_as_landlords_type_them(typed: str, cents: int) -> None:
    assert parse_amount(typed) == cents


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("beaucoup", "not_a_number"),
        ("0", "not_positive"),
        ("0,00 €", "not_positive"),
        ("-330", "not_positive"),
        ("328,755", "too_many_decimals"),
        ("12abc", "not_a_number"),
        ("999999999", "too_large"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(AmountError) as error:
        parse_amount(typed)
    assert error.value.reason == reason


def test_amounts_are_written_the_french_way() -> None:
    assert format_euros(32875) == "328,75 €"
    assert format_euros(125000) == "1 250,00 €"
    assert format_euros(5) == "0,05 €"
