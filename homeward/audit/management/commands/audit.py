import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from homeward.audit import reads, tasks, verification
from homeward.children import trail
from homeward.core import csv as csv_out
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import ServiceError


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` checks the keyed hash chain end to end and against the "
        "signed checkpoints; `checkpoint` appends the chain's signed head to the checkpoint "
        "file (--schedule: every HOMEWARD_AUDIT_CHECKPOINT_MINUTES, by the worker); "
        "`export --child ID --out FILE` writes one child's audit trail as CSV (for a "
        "subject access request)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "export"])
        parser.add_argument("--child", type=int, help="the child's record id (export)")
        parser.add_argument("--out", help="CSV file to write (export); - for standard output")
        parser.add_argument(
            "--checkpoints",
            help="checkpoint file to verify against (default HOMEWARD_AUDIT_CHECKPOINTS), "
            "e.g. a copy fetched from where checkpoints are kept",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="checkpoint: have the worker write one every HOMEWARD_AUDIT_CHECKPOINT_MINUTES",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options["checkpoints"])
        elif options["action"] == "checkpoint":
            self.checkpoint(options["schedule"])
        else:
            self.export(options["child"], options["out"])

    def verify(self, checkpoints: str | None) -> None:
        result = verification.verify(checkpoints_from=Path(checkpoints) if checkpoints else None)
        if result.problem is not None:
            where = f" at event {result.problem.sequence}" if result.problem.sequence else ""
            raise CommandError(f"Audit log broken{where}: {result.problem.reason}")
        latest = result.latest
        if latest is None:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {plural(result.events, 'event')}")
                + self.style.WARNING(
                    " (no checkpoints to check against yet: run homeward audit checkpoint)"
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {plural(result.events, 'event')}, matching "
                f"{plural(len(result.checkpoints), 'checkpoint')} (the latest at event "
                f"{latest.sequence}, written {latest.at})"
            )
        )

    def checkpoint(self, schedule: bool) -> None:
        if schedule:
            if tasks.schedule():
                when = timezone.localtime(tasks.next_run()).strftime("%-d %B %Y at %H:%M")
                self.stdout.write(f"Audit checkpoints scheduled, the next on {when}.")
            else:
                self.stdout.write("An audit checkpoint is already scheduled.")
            return
        try:
            checkpoint = verification.write_checkpoint()
        except verification.CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        if checkpoint is None:
            self.stdout.write("No new audit events since the last checkpoint.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoint at event {checkpoint.sequence} written to "
                    f"{verification.checkpoint_path()}"
                )
            )

    def export(self, child: int | None, out: str | None) -> None:
        if not child or not out:
            raise CommandError("export needs --child ID and --out FILE")
        actor = Actor(user=None, membership=None, channel=CHANNEL_CLI)
        try:
            events = trail.child_audit_trail(actor, child, reads.EXPORT_TRAIL)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        handle = sys.stdout if out == "-" else Path(out).open("w", newline="")  # noqa: SIM115
        try:
            writer = csv_out.writer(handle)
            writer.writerow(reads.TRAIL_COLUMNS)
            count = 0
            for row in reads.trail_rows(events.iterator()):
                writer.writerow(row)
                count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        if out != "-":
            self.stdout.write(f"Wrote {count} audit events to {out}")
