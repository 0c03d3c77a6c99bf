"""``homeward export-903 --council LA_NUMBER --year YYYY --out DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import ServiceError
from homeward.interchange import services, ssda903


class Command(BaseCommand):
    help = (
        "Write a council's SSDA903 Header, Episodes and Missing tables (header.csv, "
        "episodes.csv, missing.csv) for one collection year. --year is the year the "
        "collection ends, as the DfE validator names its rulesets: --year 2026 is the "
        "2025-26 return, 1 April 2025 to 31 March 2026 (ruleset lac2025_26)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="the council's DfE LA number")
        parser.add_argument(
            "--year", type=int, required=True, help="the year the collection ends (31 March)"
        )
        parser.add_argument("--out", type=Path, required=True, help="folder to write into")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor(user=None, membership=None, channel=CHANNEL_CLI)
        year = options["year"]
        try:
            council = services.find_council(options["council"])
            export = services.export_903(actor, council, year, options["out"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        start, end = ssda903.collection_window(year)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {council.name}'s SSDA903 tables for {ssda903.fmt(start)} to "
                f"{ssda903.fmt(end)} (ruleset {ssda903.ruleset_name(year)}) to "
                f"{options['out']}: {len(export.header)} children, {len(export.episodes)} "
                f"episodes, {len(export.missing)} missing or away periods."
            )
        )
