from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.organisations.models import Organisation, OrganisationKind
from homeward.themes import tasks
from homeward.themes.services import runs


class Command(BaseCommand):
    help = (
        "Group the free text of return interviews into themes. 'run' runs now, in the "
        "foreground, for every council or one (--council LA_NUMBER), showing progress; "
        "'schedule' enqueues the daily run for the worker if it is due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["run", "schedule"])
        parser.add_argument("--council", help="the council's code (its LA number)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "schedule":
            done = tasks.schedule()
            self.stdout.write("The theme run is queued." if done else "No theme run is due.")
            return
        councils = Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("pk")
        if options["council"]:
            councils = councils.filter(code=options["council"])
            if not councils.exists():
                raise CommandError(f"No council has the code {options['council']}")
        total = councils.count()
        for n, council in enumerate(councils, start=1):
            self.stdout.write(f"[{n}/{total}] {council.name}")
            record = runs.run(council, progress=lambda m: self.stdout.write(f"  {m}"))
            self.stdout.write(
                f"  done: {record.items} items, {record.themes} themes, "
                f"learned from {record.learned_from} labelled by coordinators"
            )
