"""The deployment's commands as compose.yaml and the Dockerfile give them: the migration on an
empty database, then the container's command (`bailleur-bot telegram --webhook --workers 2`) and
its health check: the webhook registered once with its secret,
requests without the secret refused, a body that is not an update refused, the health endpoint,
an update answered before it is acknowledged, and a clean stop on SIGTERM."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.e2e.core.webhook_cluster import ROOT, SECRET, Cluster
from tests.fakes.bot_api import FakeBotApi

pytestmark = pytest.mark.slow


def test_the_webhook_cluster_answers_only_telegram_and_reports_its_health(
    tmp_path: Path, nlu_model_file: Path
) -> None:
    database = tmp_path / "webhook.db"
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    migrate = compose["services"]["migrate"]["command"]  # run once before the workers start
    subprocess.run(
        migrate,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}",
             "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"},
        cwd=ROOT, check=True, timeout=120,
    )  # fmt: skip
    with FakeBotApi() as api:
        cluster = Cluster(
            api=api,
            database_url=f"sqlite:///{database}",
            data_dir=tmp_path / "data",
            nlu_model=nlu_model_file,
            log_path=tmp_path / "cluster.log",
        ).start()
        try:
            assert api.webhook_url == "https://bot.example.org/telegram"
            (registered,) = api.calls_to("setWebhook")
            assert registered.params["secret_token"] == SECRET
            assert len(api.calls_to("setMyCommands")) == 1

            status, body = cluster.request("GET", "/health")
            assert status == 200 and json.loads(body)["status"] == "ok"
            assert cluster.health_check() == 0
            assert len(cluster.worker_pids()) == 2

            update = api.user_text(5551, "bonjour")
            body_bytes = json.dumps(update).encode()
            assert cluster.request("POST", "/telegram", body_bytes)[0] == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            assert cluster.request("POST", "/telegram", body_bytes, wrong)[0] == 403
            assert not api.calls_to("sendMessage", 5551)
            good = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            assert cluster.request("POST", "/telegram", b"[1, 2", good)[0] == 400

            assert cluster.push(update) == 1
            (greeting,) = api.calls_to("sendMessage", 5551)  # sent before the acknowledgement
            assert "Bonjour" in html.unescape(greeting.text)

            # Telegram's servers fail the reply: the update is not acknowledged, comes again,
            # and the committed turn's reply is sent then (the turn is not run twice).
            api.fail_next("sendMessage", 502, "Bad Gateway")
            before = len(api.calls_to("sendMessage", 5552))
            assert cluster.push(api.user_text(5552, "bonjour")) == 2
            sent = [html.unescape(c.text) for c in api.calls_to("sendMessage", 5552)[before:]]
            assert any("Bonjour" in text for text in sent)
            assert not any("technique" in text for text in sent)
        finally:
            assert cluster.stop() == 0
    assert "Webhook worker" in (tmp_path / "cluster.log").read_text()
