"""The worker's heartbeat: is a worker alive, and did the worker running a task die?

Each ``homeward worker`` keeps one row and beats it every few seconds from a thread of
its own, so a worker busy with a long task still counts as alive. A worker is dead once
it stopped cleanly, has not beaten for ``HOMEWARD_WORKER_STALE_SECONDS``, or (on the
same machine) its process is gone."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import Max

from homeward.core import clock
from homeward.notifications.models import WorkerHeartbeat

log = logging.getLogger(__name__)

KEEP_STOPPED = timedelta(days=7)  # rows of workers gone this long are deleted


def this_host() -> str:
    """The host name and, where there is one, the process namespace: two containers may
    share a host name but never a pid namespace."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return socket.gethostname()[:200]
    return f"{socket.gethostname()[:200]} {namespace}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


def stale_before() -> datetime:
    return clock.now() - timedelta(seconds=settings.HOMEWARD_WORKER_STALE_SECONDS)


@dataclass(frozen=True)
class WorkerState:
    alive: bool
    last_seen: datetime | None
    workers: int  # how many are alive now


def state() -> WorkerState:
    alive = WorkerHeartbeat.objects.filter(
        stopped_at__isnull=True, last_seen__gte=stale_before()
    ).count()
    last_seen = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    return WorkerState(alive=alive > 0, last_seen=last_seen, workers=alive)


def start(worker_id: str) -> WorkerHeartbeat:
    now = clock.now()
    WorkerHeartbeat.objects.filter(last_seen__lt=now - KEEP_STOPPED).delete()
    row, _ = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": this_host(),
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
            "stopped_at": None,
        },
    )
    return row


def beat(worker_id: str) -> None:
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=clock.now()):
        start(worker_id)  # the row was removed under us: make it again


def stop(worker_id: str) -> None:
    now = clock.now()
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now, stopped_at=now)


def is_dead(worker_id: str | None, started_at: datetime | None) -> bool:
    """Whether the worker that claimed a task can no longer finish it."""
    row = WorkerHeartbeat.objects.filter(worker_id=worker_id).first() if worker_id else None
    if row is None:
        # Not a worker that beats (a bare db_worker, or one long gone): dead once the
        # task has been running longer than a live worker could go without a beat.
        return started_at is None or started_at < stale_before()
    if row.stopped_at is not None or row.last_seen < stale_before():
        return True
    return row.hostname == this_host() and not _process_exists(row.pid)


class Beater(threading.Thread):
    """Beats while the worker runs, and every so often runs ``sweep`` (recovery), in a
    thread of its own with its own database connection."""

    def __init__(self, worker_id: str, sweep: Callable[[], object] | None = None) -> None:
        super().__init__(name="homeward-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.sweep = sweep
        self.stopping = threading.Event()

    def run(self) -> None:
        every = max(settings.HOMEWARD_WORKER_HEARTBEAT_SECONDS, 0.1)
        sweep_every = settings.HOMEWARD_WORKER_RECOVER_SECONDS
        next_sweep = clock.now() + timedelta(seconds=sweep_every)
        try:
            while not self.stopping.wait(every):
                close_old_connections()
                try:
                    beat(self.worker_id)
                    if self.sweep is not None and clock.now() >= next_sweep:
                        next_sweep = clock.now() + timedelta(seconds=sweep_every)
                        self.sweep()
                except Exception:  # the database may be away for a moment: keep beating
                    log.exception("worker heartbeat failed; trying again")
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
