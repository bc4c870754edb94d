"""A webhook cluster for end-to-end tests: the real supervisor and worker processes, started
with the container's own command (the `CMD` of the `Dockerfile`, run as written), pushed updates
the way Telegram does (again and again until it gets HTTP 200), talking to the fake Bot API of the
test. The container's health check is run as written too (`health_check`)."""

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
PUBLIC_URL = "https://bot.example.org"


def container_command() -> list[str]:
    """The `CMD` of the Dockerfile (exec form: a JSON array)."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD ["):
            command: list[str] = json.loads(line.removeprefix("CMD "))
            return command
    raise AssertionError("the Dockerfile has no CMD")


def container_health_check() -> str:
    """The shell command of the Dockerfile's HEALTHCHECK (shell form, after its options)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    (line,) = [line for line in text.splitlines() if line.startswith("HEALTHCHECK ")]
    return line.split(" CMD ", 1)[1].strip()


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
            # What compose.yaml gives the container, and where this test listens.
            "WORKERS": str(workers),
            "PUBLIC_URL": PUBLIC_URL,
            "LISTEN": "127.0.0.1",
            "PORT": str(self.port),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Cluster:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            container_command(), env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while len(self.healthy_pids()) < self.workers:
            assert self.process.poll() is None, self.log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the workers did not become healthy"
            time.sleep(0.2)
        return self

    def health_check(self) -> int:
        """The container's HEALTHCHECK command, run here: its exit code (0 is healthy)."""
        done = subprocess.run(
            ["sh", "-c", container_health_check()], env=self.env, cwd=ROOT, timeout=30, check=False
        )
        return done.returncode

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
