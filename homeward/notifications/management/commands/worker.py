from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from homeward.notifications.dispatch import recover


class Command(BaseCommand):
    help = (
        "Run the background worker: delivers notifications and email and fires clocks. "
        "Safe to restart at any time; nothing is lost or done twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between polls when idle"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run everything now due, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = recover()
        if requeued:
            self.stdout.write(f"Re-queued {requeued} undelivered events and unfired clocks")
        worker_args = ["--interval", str(options["interval"]), "--no-startup-delay", "--no-reload"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args, verbosity=options["verbosity"])
