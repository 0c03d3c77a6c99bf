from typing import Any

from django.core.management.base import BaseCommand

from homeward.insights import facts


class Command(BaseCommand):
    help = (
        "Recompute every statistics fact and running total from the records, from scratch. "
        "Loads (demo, generate, import-903) and saves keep them up to date themselves; use "
        "this after a council changes its repeat-missing rule."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = facts.rebuild()
        self.stdout.write(f"Facts rebuilt for {total} episodes.")
