from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.linkage import keys


class Command(BaseCommand):
    help = (
        "Rewrite every child record's search keys (find before create) from the records. "
        "Saves and loads (demo, generate, import-903) keep them current themselves; use this "
        "for records written before the keys existed, or after the key rules change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="records a transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        total = keys.rewrite_all(batch=options["batch"])
        self.stdout.write(f"Search keys rewritten for {total} child records.")
