"""The write side of SSDA903 interchange: importing a council's Header and Episodes tables,
and the audited export.

``import_903`` checks every row of both files before it writes anything; if any row is
wrong it raises ``ImportRejected`` with every problem (file, row, column, reason) and the
database is untouched. Otherwise it writes children, periods of care (a looked-after
legal status from the first DECOM to the last DEC) and placements in one transaction,
with one audit event and one domain event for the whole import. Running it again with the
same files changes nothing: children are found by the council's CHILD id (a
ChildIdentifier of that council), periods and placements by their start dates. The
writes themselves are in ``writer.py``.

A period of care may not end while the child is missing or away (SSDA903 rule 577), as
when care is ended in the service: a row whose DEC falls while one of the child's episodes
is open is refused with the episode and the date care may end.

The statistics of every child the import touches are refreshed once, at the end of its
transaction (``insights.facts.deferred``), so they commit with the records.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import CHANNEL_CLI, CHANNEL_SYSTEM, Actor
from homeward.core.errors import AccessDenied, ServiceError, ValidationFailed
from homeward.events import bus
from homeward.insights import facts
from homeward.interchange import ssda903
from homeward.interchange.events import Ssda903Imported
from homeward.interchange.ssda903 import Problem
from homeward.interchange.writer import ImportResult, ImportWriter
from homeward.linkage import intake, keys
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action

OBJECT = "ssda903"


class ImportRejected(ServiceError):
    """The files have problems: nothing was imported. ``problems`` lists every one."""

    status = 422
    title = "The SSDA903 files could not be imported"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found. "
            "Correct the files and import them again."
        )


def _trusted(actor: Actor) -> bool:
    """The command line and the system act for the service itself."""
    return actor.user is None and actor.channel in {CHANNEL_CLI, CHANNEL_SYSTEM}


def _require(actor: Actor, council: Organisation, actions: list[Action]) -> None:
    if _trusted(actor):
        return
    for action in actions:
        policy.require_role(actor, action)
    if actor.organisation is None or actor.organisation.pk != council.pk:
        raise AccessDenied("You can only import or export your own council's SSDA903 return.")


def find_council(la_number: str) -> Organisation:
    council = Organisation.objects.filter(
        kind=OrganisationKind.COUNCIL, code=la_number.strip()
    ).first()
    if council is None:
        raise ValidationFailed({"council": f"No council has the LA number {la_number!r}"})
    return council


def import_903(
    actor: Actor,
    council: Organisation,
    header: Path,
    episodes: Path,
    names: Path | None = None,
) -> ImportResult:
    _require(actor, council, [Action.CREATE_CHILD, Action.UPDATE_CHILD])
    today = clock.now().date()
    files = ssda903.read_import(header, episodes, today, names)
    if files.problems:
        raise ImportRejected(files.problems)
    # The figures of every child touched are refreshed once, as the transaction ends.
    with transaction.atomic(), facts.deferred():
        writer = ImportWriter(council, files, header.name, episodes.name)
        writer.run()
        if writer.problems:
            # Conflicts with what Homeward already holds: undo everything.
            transaction.set_rollback(True)
            raise ImportRejected(writer.problems)
        for child_id in sorted(writer.touched):
            facts.refresh_child(child_id)
        # Found by the search before anyone adds them again, and their likely matches
        # with other agencies' records queued for review. A child without a name (no
        # names file) is not looked for: "Unnamed" would match every other.
        keys.rewrite(sorted(writer.touched))
        writer.result.matches_queued = intake.queue_matches_of(writer.named, source="import")
        result = writer.result
        audit.record(
            actor,
            "import_903",
            OBJECT,
            council.code,
            details={
                "council": council.pk,
                "files": [header.name, episodes.name] + ([names.name] if names else []),
                "header_rows": len(files.header),
                "episode_rows": len(files.episodes),
                "children_created": result.children_created,
                "children_matched": result.children_matched,
                "periods_created": result.periods_created,
                "periods_updated": result.periods_updated,
                "placements_created": result.placements_created,
                "placements_updated": result.placements_updated,
                "matches_queued": result.matches_queued,
            },
        )
        if not result.unchanged:
            bus.emit(
                Ssda903Imported(
                    aggregate_id=council.pk,
                    children=len(files.header),
                    created=result.children_created,
                ),
                actor,
            )
    return result


# --- export ------------------------------------------------------------------------------


def export_903(actor: Actor, council: Organisation, year: int, folder: Path) -> ssda903.Export:
    """Build and write the council's Header, Episodes and Missing tables for the collection
    year ending 31 March ``year``. Each child in the files is an audited read."""
    _require(actor, council, [Action.EXPORT])
    today = clock.now().date()
    start, _ = ssda903.collection_window(year)
    if year < 2000 or start > today:
        raise ValidationFailed(
            {"year": f"The {year - 1}-{str(year)[2:]} collection year has not started yet"}
        )
    export = ssda903.build_export(council, year)
    export.write(folder)
    audit.record(
        actor,
        "export_903",
        OBJECT,
        council.code,
        details={
            "council": council.pk,
            "year": year,
            "children": len(export.header),
            "episodes": len(export.episodes),
            "missing": len(export.missing),
        },
    )
    audit.record_many_reads(actor, "child", export.child_ids, action="export_903")
    return export
