"""The tenant names kept between turns follow every change of what the user may name."""

from __future__ import annotations

from sqlalchemy import text

from bot.bootstrap import App
from tests.integration.core.test_engine_turns import log_in, say, texts


def test_a_tenant_renamed_by_another_worker_is_recognised_at_the_next_turn(app: App) -> None:
    log_in(app)
    assert "BRISSON" in texts(say(app, "declarer le loyer de brisson"))
    say(app, "annuler")
    say(app, "oui")
    other_worker = app.uow_factory()
    with other_worker:
        other_worker.session.execute(
            text("UPDATE tenants SET last_name = 'LEFEBVRE' WHERE last_name = 'BRISSON'")
        )
        other_worker.commit()
    assert "LEFEBVRE" in texts(say(app, "declarer le loyer de lefebvre"))


def test_a_tenant_moved_out_of_the_scope_is_no_longer_named(app: App) -> None:
    log_in(app)
    assert "BRISSON" in texts(say(app, "declarer le loyer de brisson"))
    say(app, "annuler")
    say(app, "oui")
    other_worker = app.uow_factory()
    with other_worker:
        other_worker.session.execute(
            text(
                "UPDATE dwellings SET organisation_id = (SELECT organisation_id FROM users"
                " WHERE login = 'jean.martin') WHERE id = (SELECT dwelling_id FROM tenants"
                " WHERE last_name = 'BRISSON')"
            )
        )
        other_worker.commit()
    assert "BRISSON" not in texts(say(app, "declarer le loyer de brisson"))
