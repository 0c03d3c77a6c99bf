"""``homeward serve``: the whole service on one machine, as one process tree.

What ``make run`` runs. It starts the web server and the background worker as child
processes, prints the address it really serves, passes that address on as the base URL for
links in emails (unless ``HOMEWARD_BASE_URL`` is set), restarts the worker if it dies, and
stops both cleanly on Ctrl+C or SIGTERM. Production runs a real WSGI server and
``homeward worker`` separately instead."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

WILDCARDS = {"", "0.0.0.0", "::"}  # noqa: S104 - names for "every address", compared only
STOP_WAIT = 15.0  # seconds a child has to stop after SIGTERM before it is killed
WORKER_RESTART_MAX = 30.0  # seconds, the longest wait before restarting a dead worker


def base_url(host: str, port: int) -> str:
    """The address a person (and an email link) would use for this host and port."""
    shown = "localhost" if host in WILDCARDS else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def child_environment(host: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HOMEWARD_BASE_URL", base_url(host, port))
    env["PYTHONUNBUFFERED"] = "1"  # children's output appears as it happens
    if "ALLOWED_HOSTS" not in env and host not in WILDCARDS:
        hosts = list(settings.ALLOWED_HOSTS)
        if host not in hosts:
            env["ALLOWED_HOSTS"] = ",".join([*hosts, host])
    return env


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: if the launcher itself is killed, its children get SIGTERM too."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Launcher:
    def __init__(self, host: str, port: int, worker_interval: float, out: Any) -> None:
        self.host, self.port, self.out = host, port, out
        self.url = base_url(host, port)
        self.env = child_environment(host, port)
        self.worker_interval = worker_interval
        self.stopping = False
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "homeward.cli", *args]

    def run_step(self, *args: str) -> int:
        return subprocess.run(self.command(*args), env=self.env, check=False).returncode  # noqa: S603

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        # Each child leads a process group of its own, so a Ctrl+C reaches only the launcher,
        # which then stops each child once, in order.
        return subprocess.Popen(  # noqa: S603
            self.command(*args),
            env=self.env,
            process_group=0,
            preexec_fn=_die_with_parent,  # safe: the launcher runs no threads
        )

    def start_worker(self) -> None:
        self.worker = self.start("worker", "--interval", str(self.worker_interval))

    def addrport(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def listening(self) -> bool:
        host = "127.0.0.1" if self.host in WILDCARDS else self.host
        try:
            with socket.create_connection((host, self.port), timeout=1):
                return True
        except OSError:
            return False

    def on_signal(self, signum: int, frame: FrameType | None) -> None:  # noqa: ARG002
        self.stopping = True

    def stop(self, child: subprocess.Popen[bytes] | None) -> None:
        if child is None or child.poll() is not None:
            return
        try:
            os.killpg(child.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()

    def serve(self) -> int:
        signal.signal(signal.SIGINT, self.on_signal)
        signal.signal(signal.SIGTERM, self.on_signal)
        self.web = self.start("runserver", "--noreload", self.addrport())
        self.start_worker()
        announced = False
        restart_wait, restart_at = 1.0, 0.0
        try:
            while not self.stopping:
                code = self.web.poll()
                if code is not None:
                    self.say(f"The web server stopped (exit code {code}); stopping the worker.")
                    return code or 1
                if not announced and self.listening():
                    announced = True
                    self.say(
                        f"\nHomeward is running at {self.url}/ (web server pid {self.web.pid}, "
                        f"worker pid {self.worker.pid if self.worker else '-'}). Links in "
                        f"emails use {self.env['HOMEWARD_BASE_URL']}. "
                        "Press Ctrl+C to stop both.\n"
                    )
                if self.worker is not None and self.worker.poll() is not None:
                    self.say(
                        f"The worker stopped (exit code {self.worker.returncode}); starting it "
                        f"again in {restart_wait:.0f} s. Notifications wait, queued, meanwhile."
                    )
                    restart_at = time.monotonic() + restart_wait
                    restart_wait = min(restart_wait * 2, WORKER_RESTART_MAX)
                    self.worker = None
                if self.worker is None and time.monotonic() >= restart_at:
                    self.start_worker()
                time.sleep(0.2)
            self.say("Stopping the web server and the worker...")
            return 0
        finally:
            self.stop(self.worker)
            self.stop(self.web)


class Command(BaseCommand):
    help = (
        "Run the whole service here, the web server and the background worker together "
        "(what make run does). Prints the address; Ctrl+C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--migrate", action="store_true", help="apply migrations first")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="load the demo area if the database is empty, and print the demo logins",
        )
        parser.add_argument(
            "--worker-interval", type=float, default=0.5, help="the worker's idle poll, seconds"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        launcher = Launcher(
            options["host"], options["port"], options["worker_interval"], self.stdout
        )
        if options["migrate"] and launcher.run_step("migrate", "--noinput"):
            sys.exit("Could not apply the database migrations (see above).")
        if options["demo"] and launcher.run_step("demo", "--if-empty"):
            sys.exit("Could not load the demo area (see above).")
        sys.exit(launcher.serve())
