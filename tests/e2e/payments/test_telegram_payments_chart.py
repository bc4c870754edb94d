"""The payments chart on Telegram: a photo (sendPhoto) that opens as a PNG picture."""

from __future__ import annotations

import io

from PIL import Image

from tests.e2e.telegram_harness import UserChat, texts
from tests.fakes.bot_api import FakeBotApi


def test_the_chart_arrives_as_a_photo(user: UserChat, api: FakeBotApi) -> None:
    user.login()
    offered = user.say("mes paiements")
    assert "Graphique des 12 derniers mois" in [label for c in offered for label, _ in c.buttons]
    calls = user.press("Graphique des 12 derniers mois")
    photos = [c for c in calls if c.method == "sendPhoto"]
    assert len(photos) == 1
    assert "mois par mois (total 11 940,00 €)" in photos[0].text
    name, content = photos[0].files["photo"]
    assert name.endswith(".png")
    with Image.open(io.BytesIO(content)) as picture:
        assert picture.format == "PNG"
        assert picture.size == (800, 450)
    assert "sendPhoto" not in api.unknown_methods
    assert texts(calls) == ""  # the caption travels with the photo, nothing else is sent
