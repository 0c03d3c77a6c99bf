"""``homeward demo``: load the synthetic demo area and print its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.seed import demo


class Command(BaseCommand):
    help = (
        "Load a synthetic demo area (three councils, a police force, children's homes, "
        "about 200 children and 1,000 missing episodes over the last two years) into an "
        "empty database, and print the demo logins. Deterministic for a given seed and day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (default: %(default)s)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) if the database already has organisations",
        )
        parser.add_argument(
            "--children",
            type=int,
            default=demo.DEFAULT_CHILDREN,
            help="number of children (default: %(default)s)",
        )
        parser.add_argument(
            "--episodes",
            type=int,
            default=demo.DEFAULT_EPISODES,
            help="number of missing episodes (default: %(default)s)",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load even when HOMEWARD_ENV=production (demo users share a known password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo users with a shared password into a production "
                "database (HOMEWARD_ENV=production). Use --allow-production if you mean it."
            )
        if demo.has_data():
            if not options["if_empty"]:
                raise CommandError(
                    "The database already has organisations: the demo loads only into an empty "
                    "database. Use --if-empty to skip quietly."
                )
            self.stdout.write("The database already has data: the demo area was not loaded.")
            if demo.complete_statistics():
                self.stdout.write(
                    "Its statistics did not count every episode (it was loaded before loads "
                    "made their own): they have been made again from the records."
                )
            self._print_logins(
                demo.existing_logins(), demo.other_social_workers(), demo.other_coordinators()
            )
            return
        try:
            result = demo.load(
                seed=options["seed"], children=options["children"], episodes=options["episodes"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = "; ".join(f"{name}: {value}" for name, value in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo area (seed {result.seed}) in {result.seconds:.1f} s: {counts}."
            )
        )
        self._print_logins(result.logins, result.other_social_workers, result.other_coordinators)

    def _print_logins(
        self, logins: list[demo.DemoLogin], others: list[str], coordinators: list[str]
    ) -> None:
        if not logins:
            self.stdout.write("No demo logins exist in this database.")
            return
        self.stdout.write("")
        self.stdout.write(f"Sign in at {settings.HOMEWARD_BASE_URL} as any of these demo users:")
        self.stdout.write("")
        headers = ("Username", "Role", "Organisation")
        rows = [(login.username, login.role_label, login.organisation) for login in logins]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
        for row in [headers, tuple("-" * w for w in widths), *rows]:
            self.stdout.write(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        if others:
            self.stdout.write("")
            self.stdout.write("Other social workers: " + ", ".join(others))
        if coordinators:
            self.stdout.write(
                "Other councils' missing coordinators (told about children placed in their "
                "area): " + ", ".join(coordinators)
            )
        self.stdout.write("")
        self.stdout.write(f"Password for every demo user: {settings.HOMEWARD_DEMO_PASSWORD}")
