"""`make run` runs the whole service: a report reaches the coordinator's inbox with nothing
else started, email links use the address it serves, and Ctrl+C stops every process."""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from homeward.core.templatetags.govuk import uk_datetime
from homeward.events.models import DomainEvent
from homeward.notifications.management.commands.serve import base_url, child_environment
from homeward.notifications.models import WorkerHeartbeat
from homeward.organisations.models import Role
from tests import factories
from tests.factories import report
from tests.notifications.test_email import free_port
from tests.notifications.test_worker import database_url

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-test-password"
T = TypeVar("T")


class Browser:
    """Just enough of a browser: cookies, and the CSRF token from each form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            body: bytes = response.read()
        return body.decode()

    def sign_in(self, username: str) -> str:
        form = self.get("/sign-in")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert found, "no CSRF token on the sign-in form"
        token = found.group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - http on loopback
            self.base + "/sign-in", data=data, headers={"Referer": self.base + "/sign-in"}
        )
        with self.opener.open(request, timeout=10) as response:
            body: bytes = response.read()
        return body.decode()


def healthz(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:  # noqa: S310
        health: dict[str, Any] = json.loads(response.read())
    return health


def wait_for(condition: Callable[[], T | None], log: Path, seconds: float = 60.0) -> T:
    """The first true value the condition gives (an OSError counts as none yet)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("make run did not get there in time:\n" + log.read_text()[-4000:])


def exists(pid: int) -> bool:
    """Whether the process is still running (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.django_db(transaction=True)
def test_make_run_delivers_a_report_to_the_coordinators_inbox(tmp_path: Path) -> None:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    coordinator = factories.member(
        Role.COUNCIL_MISSING_COORDINATOR, council, username="council.coordinator"
    )
    coordinator.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsalt", iterations=1000)
    coordinator.save()
    child = factories.ChildFactory(responsible_council=council)
    reporter = factories.actor(Role.SOCIAL_WORKER, council)

    port = free_port()
    log = tmp_path / "make-run.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HOMEWARD_BASE_URL", "MAKEFLAGS", "MFLAGS", "PORT", "HOST"}
    }
    env |= {
        "DATABASE_URL": database_url(),
        "HOMEWARD_WORKER_HEARTBEAT_SECONDS": "0.3",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    with log.open("wb") as out:
        # -o install: the real recipe, without reinstalling into .venv or rebuilding assets.
        make = subprocess.Popen(
            ["make", "--no-print-directory", "-o", "install", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal would give it
        )
    base = f"http://127.0.0.1:{port}"
    try:
        running = wait_for(
            lambda: re.search(r"web server pid (\d+), worker pid (\d+)", log.read_text()), log
        )
        web_pid, worker_pid = int(running.group(1)), int(running.group(2))
        output = log.read_text()
        assert f"Homeward is running at {base}/" in output
        assert f"Sign in at {base} as any of these demo users" in output  # not port 8000
        assert "council.coordinator" in output
        assert "Password for every demo user" in output

        first = wait_for(lambda: healthz(base)["worker"]["alive"] and healthz(base), log)
        assert first["status"] == "ok"
        wait_for(lambda: healthz(base)["worker"]["last_seen"] > first["worker"]["last_seen"], log)

        episode = report(reporter, child, grade="high")  # nothing else was started
        reported_at = DomainEvent.objects.get(name="episode.reported").occurred_at
        browser = Browser(base)
        browser.sign_in("council.coordinator")
        inbox = wait_for(
            lambda: (page := browser.get("/notifications/")) and episode.reference in page and page,
            log,
            seconds=30,
        )
        assert isinstance(inbox, str)  # the page, once it lists the episode
        assert f"Reported missing: {episode.reference}" in inbox
        assert child.full_name in inbox
        assert "High risk" in inbox
        assert uk_datetime(reported_at) in inbox
        # The console email backend prints the worker's email: its link uses this port.
        wait_for(lambda: f"{base}/episodes/{episode.reference}/" in log.read_text(), log)
        assert "127.0.0.1:8000" not in log.read_text()
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl+C
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
            raise
    # Everything stopped, cleanly: no process left, the port is free, the worker said so.
    assert not exists(web_pid)
    assert not exists(worker_pid)
    with pytest.raises(OSError, match="Connection refused"):
        healthz(base)
    assert WorkerHeartbeat.objects.get(pid=worker_pid).stopped_at is not None
    assert "Stopping the web server and the worker" in log.read_text()


def test_the_address_printed_and_used_in_links_follows_host_and_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert base_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert base_url("0.0.0.0", 8123) == "http://localhost:8123"  # noqa: S104
    assert base_url("::1", 8123) == "http://[::1]:8123"
    monkeypatch.delenv("HOMEWARD_BASE_URL", raising=False)
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    env = child_environment("192.0.2.10", 9000)
    assert env["HOMEWARD_BASE_URL"] == "http://192.0.2.10:9000"
    assert "192.0.2.10" in env["ALLOWED_HOSTS"].split(",")
    monkeypatch.setenv("HOMEWARD_BASE_URL", "https://homeward.example")
    assert child_environment("127.0.0.1", 9000)["HOMEWARD_BASE_URL"] == ("https://homeward.example")


def test_make_run_runs_the_launcher_with_host_and_port() -> None:
    if shutil.which("make") is None:
        pytest.skip("needs make")
    dry = subprocess.run(
        ["make", "-n", "-o", "install", "run", "PORT=8123", "HOST=127.0.0.2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "homeward serve --host 127.0.0.2 --port 8123 --migrate --demo" in dry
    assert "runserver" not in dry
