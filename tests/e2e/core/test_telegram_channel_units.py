"""Small pure helpers of the channel: command mentions."""

from __future__ import annotations

from bot.telegram.channel import strip_bot_mention


def test_bot_mention_is_stripped_from_commands_only() -> None:
    assert strip_bot_mention("/start@Bailleur_Test_Bot", "bailleur_test_bot") == "/start"
    assert strip_bot_mention("/aide@bailleur_test_bot loyer", "bailleur_test_bot") == "/aide loyer"
    assert strip_bot_mention("/start@autre_bot", "bailleur_test_bot") == "/start@autre_bot"
    assert strip_bot_mention("écrire à x@bailleur_test_bot", "bailleur_test_bot") == (
        "écrire à x@bailleur_test_bot"
    )
    assert strip_bot_mention(None, "bailleur_test_bot") is None
