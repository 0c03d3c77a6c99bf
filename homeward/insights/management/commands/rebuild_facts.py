from typing import Any

from django.core.management.base import BaseCommand

from homeward.insights import facts


class Command(BaseCommand):
    help = "Recompute every statistics fact from the records (after a bulk load)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = facts.rebuild()
        self.stdout.write(f"Facts rebuilt for {total} episodes.")
