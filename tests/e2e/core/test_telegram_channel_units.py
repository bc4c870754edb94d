"""Small pure helpers of the channel: command mentions and the memory of update ids."""

from __future__ import annotations

from bot.telegram.channel import RecentIds, strip_bot_mention


def test_bot_mention_is_stripped_from_commands_only() -> None:
    assert strip_bot_mention("/start@Bailleur_Test_Bot", "bailleur_test_bot") == "/start"
    assert strip_bot_mention("/aide@bailleur_test_bot loyer", "bailleur_test_bot") == "/aide loyer"
    assert strip_bot_mention("/start@autre_bot", "bailleur_test_bot") == "/start@autre_bot"
    assert strip_bot_mention("écrire à x@bailleur_test_bot", "bailleur_test_bot") == (
        "écrire à x@bailleur_test_bot"
    )
    assert strip_bot_mention(None, "bailleur_test_bot") is None


def test_recent_ids_remember_a_bounded_number() -> None:
    recent = RecentIds(capacity=3)
    assert [recent.first_time(i) for i in (1, 2, 3)] == [True, True, True]
    assert recent.first_time(2) is False
    assert recent.first_time(4) is True  # evicts 1, the oldest
    assert recent.first_time(1) is True
    assert recent.first_time(2) is False  # refreshed by its redelivery, still remembered
