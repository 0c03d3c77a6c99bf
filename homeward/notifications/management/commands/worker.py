from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from homeward.audit import tasks as audit_tasks
from homeward.core import idempotency
from homeward.linkage import tasks as linkage_tasks
from homeward.notifications import heartbeat, recovery
from homeward.safeguarding import notice_sweep, review_dates
from homeward.safeguarding import sign_offs as protocol_sign_offs
from homeward.safeguarding import tasks as safeguarding_tasks
from homeward.safeguarding.services import meeting_actions
from homeward.themes import tasks as themes_tasks


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _sweep() -> None:
    """What the worker does every HOMEWARD_WORKER_RECOVER_SECONDS: re-queue what a dead
    worker left, and delete stored API answers past their lifetime (they hold personal
    data)."""
    recovery.recover()
    idempotency.prune_expired()
    linkage_tasks.schedule()  # the daily linkage run, when one is due
    review_dates.schedule()  # the day's sweep of plans' review dates, once a day
    safeguarding_tasks.schedule()  # missing profiles to flag to their owners, once a day
    protocol_sign_offs.schedule()  # homes' protocol sign-offs that have fallen due
    notice_sweep.schedule()  # harbouring notices expired, or due their review
    meeting_actions.flag_overdue()  # meetings' actions past their due date, flagged once
    themes_tasks.schedule()  # the daily theme run of every council


class Command(BaseCommand):
    help = (
        "Run the background worker: delivers notifications and email and fires clocks. "
        "It beats a heartbeat (shown by /healthz) and, on start and every minute, re-queues "
        "whatever a worker that died left unfinished. Safe to restart at any time, even "
        "killed: nothing is lost, and in-app notifications are never sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between polls when idle"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run everything now due, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = get_random_string(32)
        heartbeat.start(worker_id)
        found = recovery.recover()
        if found.requeued or found.abandoned_tasks:
            self.stdout.write(
                f"Recovered unfinished work: re-queued {plural(found.events, 'event')}, "
                f"{plural(found.clocks, 'clock')} and {plural(found.emails, 'email')}; "
                f"{plural(found.abandoned_tasks, 'task')} had been running on a worker "
                "that stopped"
            )
        # The audit log's signed checkpoints are written wherever a worker runs.
        audit_tasks.schedule()
        idempotency.prune_expired()
        beater = heartbeat.Beater(worker_id, sweep=_sweep)
        beater.start()
        worker_args = [
            "--interval",
            str(options["interval"]),
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            worker_id,
        ]
        if options["batch"]:
            worker_args.append("--batch")
        try:
            call_command("db_worker", *worker_args, verbosity=options["verbosity"])
        finally:
            beater.stop()
            heartbeat.stop(worker_id)
