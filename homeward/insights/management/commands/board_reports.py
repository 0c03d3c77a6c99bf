from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.insights import tasks


class Command(BaseCommand):
    help = (
        "Make the corporate parenting board reports for the last complete quarter now, or "
        "with --schedule enqueue the quarterly task (which then schedules itself)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schedule", action="store_true")
        parser.add_argument("--year", type=int)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            enqueued = tasks.schedule()
            when = tasks.next_run().isoformat()
            self.stdout.write(
                f"Quarterly board reports scheduled for {when}."
                if enqueued
                else "A quarterly board report run is already scheduled."
            )
            return
        made = tasks.make_reports(options["year"], options["quarter"])
        self.stdout.write(f"Board reports made for {made} councils.")
