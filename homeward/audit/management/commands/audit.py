from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `homeward audit verify` checks the hash chain end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"Audit log broken at event {problem.sequence}: {problem.reason}")
        self.stdout.write(self.style.SUCCESS("Audit log intact"))
