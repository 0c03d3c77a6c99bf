"""``homeward import-903 --council LA_NUMBER HEADER.csv EPISODES.csv [--names NAMES.csv]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import ServiceError
from homeward.interchange import services


class Command(BaseCommand):
    help = (
        "Import a council's SSDA903 Header and Episodes tables (CSV, dates dd/mm/yyyy) into "
        "children, periods of care and placements. Every row is checked first: if any is "
        "wrong, every problem is listed and nothing is imported. Importing the same files "
        "again changes nothing. The 903 has no names: give --names (CHILD, FIRST_NAME, "
        "LAST_NAME) or children are created as 'Unnamed 903 CHILD <id>'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("header", type=Path, help="the Header table (header.csv)")
        parser.add_argument("episodes", type=Path, help="the Episodes table (episodes.csv)")
        parser.add_argument("--council", required=True, help="the council's DfE LA number")
        parser.add_argument("--names", type=Path, help="optional CSV: CHILD, FIRST_NAME, LAST_NAME")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor(user=None, membership=None, channel=CHANNEL_CLI)
        try:
            council = services.find_council(options["council"])
            result = services.import_903(
                actor, council, options["header"], options["episodes"], options["names"]
            )
        except services.ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(exc.message) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        if result.unchanged:
            self.stdout.write(f"Nothing changed: {council.name} already has these records.")
        self.stdout.write(self.style.SUCCESS(f"Imported for {council.name}: {result.summary()}."))
