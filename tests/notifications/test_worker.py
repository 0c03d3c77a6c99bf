"""The real worker process: delivers, fires clocks once, and survives a restart."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from homeward.core import clock
from homeward.notifications import dispatch
from homeward.notifications.models import Clock, DomainEvent, Notification
from tests.factories import report

EXE = str(Path(sys.executable).with_name("homeward"))


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url()}
    with log.open("ab") as out:
        return subprocess.Popen(
            [EXE, "worker", "--interval", "0.2"], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(worker: subprocess.Popen, sig: int) -> None:
    worker.send_signal(sig)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def wait_for(condition, log: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not get there in time:\n" + log.read_text()[-3000:])


@pytest.mark.django_db(transaction=True)
def test_clock_fires_exactly_once_across_a_worker_restart(area, tmp_path):
    log = tmp_path / "worker.log"
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.fail("The test database must be a file for the worker to share it")
    episode = report(area.social_worker, area.child)
    dispatch.schedule(
        "long_episode",
        f"long:{episode.reference}:test",
        clock.now() + timedelta(seconds=6),
        area.child.pk,
        {"episode": episode.reference, "hours": 0},
    )

    worker = start_worker(log)
    try:
        wait_for(
            lambda: DomainEvent.objects.filter(
                name="episode.reported", delivered_at__isnull=False
            ).exists(),
            log,
        )
    finally:
        stop(worker, signal.SIGKILL)  # a crash, not a clean stop
    assert Clock.objects.get(key__endswith=":test").fired_at is None

    worker = start_worker(log)  # recovers and re-queues the clock: now queued twice
    try:
        wait_for(
            lambda: DomainEvent.objects.filter(
                name="episode.long_running", delivered_at__isnull=False
            ).exists(),
            log,
        )
        time.sleep(2)  # let the duplicate task run too
    finally:
        stop(worker, signal.SIGTERM)

    assert DomainEvent.objects.filter(name="episode.long_running").count() == 1
    assert Clock.objects.get(key__endswith=":test").outcome == "fired"
    told = Notification.objects.filter(event__name="episode.long_running")
    assert told.count() == len(set(told.values_list("recipient", flat=True))) > 0
