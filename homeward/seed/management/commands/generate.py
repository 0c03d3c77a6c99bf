"""``homeward generate --episodes N --seed S [--councils K] [--years Y]``."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.seed import synthetic


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic councils, police forces, homes, children and "
        "N missing episodes (with their checks and interviews), shaped like the national "
        "figures, and the statistics for them (in the same transaction). Deterministic for a "
        "seed, size and day. For load tests and benchmarks; `homeward demo` makes the small "
        "demo area with logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--episodes", type=int, required=True, help="how many episodes")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--councils", type=int, help="how many councils (default: one per 3,000 episodes)"
        )
        parser.add_argument(
            "--years", type=int, help="years of history (default: one per 300,000 episodes)"
        )
        # Kept so that older scripts still run: the statistics are always made now.
        parser.add_argument("--rebuild-facts", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument(
            "--allow-production", action="store_true", help="run even when HOMEWARD_ENV=production"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to write synthetic data into a production database "
                "(HOMEWARD_ENV=production). Use --allow-production if you mean it."
            )
        try:
            result = synthetic.generate(
                episodes=options["episodes"],
                seed=options["seed"],
                councils=options["councils"],
                years=options["years"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        rate = result.episodes / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.episodes:,} episodes for {result.children:,} children in "
                f"{result.councils} councils (seed {result.seed}) in {result.seconds:.1f} s "
                f"({rate:,.0f} episodes a second), of which {result.statistics_seconds:.1f} s "
                "making their statistics."
            )
        )
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label}: {count:,}")
