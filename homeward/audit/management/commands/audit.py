import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.audit import services
from homeward.core import csv as csv_out
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` checks the hash chain end to end; "
        "`export --child ID --out FILE` writes one child's audit trail as CSV "
        "(for a subject access request)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export"])
        parser.add_argument("--child", type=int, help="the child's record id (export)")
        parser.add_argument("--out", help="CSV file to write (export); - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            problem = services.verify_chain()
            if problem is not None:
                raise CommandError(
                    f"Audit log broken at event {problem.sequence}: {problem.reason}"
                )
            self.stdout.write(self.style.SUCCESS("Audit log intact"))
            return
        if not options["child"] or not options["out"]:
            raise CommandError("export needs --child ID and --out FILE")
        actor = Actor(user=None, membership=None, channel=CHANNEL_CLI)
        try:
            events = services.child_audit_trail(actor, options["child"], services.EXPORT_TRAIL)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        out = options["out"]
        handle = sys.stdout if out == "-" else Path(out).open("w", newline="")  # noqa: SIM115
        try:
            writer = csv_out.writer(handle)
            writer.writerow(services.TRAIL_COLUMNS)
            count = 0
            for row in services.trail_rows(events.iterator()):
                writer.writerow(row)
                count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        if out != "-":
            self.stdout.write(f"Wrote {count} audit events to {out}")
