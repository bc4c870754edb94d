"""A webhook cluster for end-to-end tests: the real supervisor and worker processes, started
with the CLI, pushed updates the way Telegram does (again and again until it gets HTTP 200),
talking to the fake Bot API of the test."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from tests.fakes.bot_api import TOKEN, FakeBotApi

SECRET = "webhook-secret-of-the-tests"
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """`bailleur-bot telegram --webhook --workers N` in a child process; its output goes to
    `log_path`."""

    def __init__(
        self,
        *,
        api: FakeBotApi,
        database_url: str,
        data_dir: Path,
        nlu_model: Path,
        log_path: Path,
        workers: int = 2,
        log_level: str = "INFO",
    ) -> None:
        self.api = api
        self.port = free_port()
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BAILLEUR_DATA_DIR": str(data_dir),
            "BAILLEUR_NLU_MODEL": str(nlu_model),
            "BAILLEUR_TODAY": "2026-11-23",
            "BAILLEUR_LOG_LEVEL": log_level,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "TELEGRAM_BASE_FILE_URL": api.base_file_url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "PYTHONPATH": str(ROOT),
        }
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Cluster:
        command = [sys.executable, "-m", "bot.cli", "telegram", "--webhook", "--workers",
                   str(self.workers), "--listen", "127.0.0.1", "--port", str(self.port),
                   "--url", "https://bot.example.org"]  # fmt: skip
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while len(self.healthy_pids()) < self.workers:
            assert self.process.poll() is None, self.log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the workers did not become healthy"
            time.sleep(0.2)
        return self

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        if self._log is not None:
            self._log.close()
        return code

    def worker_pids(self) -> list[int]:
        """The supervisor's live children (Linux /proc)."""
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def healthy_pids(self, probes: int = 8) -> set[int]:
        pids: set[int] = set()
        for _ in range(probes):
            status, body = self.request("GET", "/health", timeout=5)
            if status == 200:
                pids.add(int(json.loads(body)["pid"]))
        return pids

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, bytes]:  # fmt: skip
        """One HTTP request on a new connection; status 0 when the connection failed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            return 0, b""
        finally:
            connection.close()

    def push(self, update: dict[str, Any], *, give_up_after: float = 120.0) -> int:
        """Deliver an update as Telegram does: again until HTTP 200; returns the attempts made."""
        body = json.dumps(update).encode()
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
        deadline = time.monotonic() + give_up_after
        attempts = 0
        while True:
            attempts += 1
            status, _ = self.request("POST", "/telegram", body, headers)
            if status == 200:
                return attempts
            assert status in (0, 502, 503), f"webhook answered {status}"
            assert time.monotonic() < deadline, "update never acknowledged"
            time.sleep(0.1)
