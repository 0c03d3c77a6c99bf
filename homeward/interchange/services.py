"""The write side of SSDA903 interchange: importing a council's Header and Episodes tables,
and the audited export.

``import_903`` checks every row of both files before it writes anything; if any row is
wrong it raises ``ImportRejected`` with every problem (file, row, column, reason) and the
database is untouched. Otherwise it writes children, periods of care (a looked-after
legal status from the first DECOM to the last DEC) and placements in one transaction,
with one audit event and one domain event for the whole import. Running it again with the
same files changes nothing: children are found by the council's CHILD id (a
ChildIdentifier of that council), periods and placements by their start dates.

A period of care may not end while the child is missing or away (SSDA903 rule 577), as
when care is ended in the service: a row whose DEC falls while one of the child's episodes
is open is refused with the episode and the date care may end.

The statistics of every child the import touches are refreshed once, at the end of its
transaction (``insights.facts.deferred``), so they commit with the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homeward.audit import services as audit
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Placement
from homeward.core import clock
from homeward.core.actor import CHANNEL_CLI, CHANNEL_SYSTEM, Actor
from homeward.core.errors import AccessDenied, ServiceError, ValidationFailed
from homeward.episodes.models import Episode
from homeward.events import bus
from homeward.insights import facts
from homeward.interchange import ssda903
from homeward.interchange.events import Ssda903Imported
from homeward.interchange.models import Ssda903Episode
from homeward.interchange.ssda903 import EpisodeRow, HeaderRow, Problem, fmt
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


@dataclass
class ImportResult:
    children_created: int = 0
    children_matched: int = 0
    periods_created: int = 0
    periods_updated: int = 0
    placements_created: int = 0
    placements_updated: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    unchanged: bool = True
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.children_created} children created, {self.children_matched} matched; "
            f"{self.periods_created} periods of care created, {self.periods_updated} updated; "
            f"{self.placements_created} placements created, {self.placements_updated} updated"
        )


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
        writer = _Writer(council, files, header.name, episodes.name)
        writer.run()
        if writer.problems:
            # Conflicts with what Homeward already holds: undo everything.
            transaction.set_rollback(True)
            raise ImportRejected(writer.problems)
        for child_id in sorted(writer.touched):
            facts.refresh_child(child_id)
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


class _Writer:
    def __init__(
        self, council: Organisation, files: ssda903.ImportFiles, header: str, episodes: str
    ) -> None:
        self.council = council
        self.files = files
        self.header_label = header
        self.episodes_label = episodes
        self.result = ImportResult()
        self.problems: list[Problem] = []
        # The children whose records feed a figure and changed: refreshed once, at the end.
        self.touched: set[int] = set()
        self.now = clock.now()
        # Providers known to Homeward by their Ofsted URN: the placement's host is theirs.
        self.providers = {
            org.code.upper(): org
            for org in Organisation.objects.filter(
                kind=OrganisationKind.CARE_PROVIDER, area_council__isnull=False
            ).select_related("area_council")
        }

    def run(self) -> None:
        existing = {
            ident.value.upper(): ident.child
            for ident in ChildIdentifier.objects.filter(organisation=self.council).select_related(
                "child"
            )
        }
        for person in self.files.header:
            child = existing.get(person.child)
            if child is None:
                child = self._create_child(person)
            else:
                self.result.children_matched += 1
                if child.date_of_birth != person.dob:
                    self.problems.append(
                        Problem(
                            self.header_label,
                            person.row,
                            "DOB",
                            f"Homeward already has CHILD {person.child} with date of birth "
                            f"{fmt(child.date_of_birth)}, not {fmt(person.dob)}",
                        )
                    )
                    continue
            for period in self.files.periods(person.child):
                self._period(child, period)

    def _create_child(self, person: HeaderRow) -> Child:
        first, last = self.files.names.get(
            person.child,
            (ssda903.PLACEHOLDER_FIRST_NAME, ssda903.placeholder_last_name(person.child)),
        )
        child = Child.objects.create(
            first_name=first,
            last_name=last,
            date_of_birth=person.dob,
            sex=person.sex,
            ethnicity=person.ethnic,
            upn=person.upn,
            responsible_council=self.council,
        )
        ChildIdentifier.objects.create(child=child, organisation=self.council, value=person.child)
        self.result.children_created += 1
        self.result.unchanged = False
        return child

    def _conflict(self, row: EpisodeRow, message: str) -> None:
        self.problems.append(Problem(self.episodes_label, row.row, "DECOM", message))

    def _period(self, child: Child, rows: list[EpisodeRow]) -> None:
        first, last = rows[0], rows[-1]
        start, end = first.decom, last.dec
        status = self._legal_status(child, first, last, start, end)
        if status is None:
            return
        placements = self._placements(child, rows)
        if placements is None:
            return
        for row, placement in zip(rows, placements, strict=True):
            values = {
                "council": self.council,
                "rne": row.rne,
                "ls": row.ls,
                "cin": row.cin,
                "place": row.place,
                "place_provider": row.place_provider,
                "dec": row.dec,
                "rec": row.rec,
                "reason_place_change": row.reason_place_change,
                "home_post": row.home_post,
                "pl_post": row.pl_post,
                "urn": row.urn,
                "legal_status": status,
                "placement": placement,
            }
            record = Ssda903Episode.objects.filter(child=child, decom=row.decom).first()
            if record is None:
                Ssda903Episode.objects.create(
                    child=child, decom=row.decom, imported_at=self.now, **values
                )
                self.result.rows_created += 1
                self.result.unchanged = False
            elif any(getattr(record, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(record, name, value)
                record.imported_at = self.now
                record.save()
                self.result.rows_updated += 1
                self.result.unchanged = False

    def _legal_status(
        self, child: Child, row: EpisodeRow, last: EpisodeRow, start: date, end: date | None
    ) -> LegalStatus | None:
        statuses = list(child.legal_statuses.order_by("start_date"))
        same = next(
            (
                s
                for s in statuses
                if s.status == LegalStatusKind.LOOKED_AFTER and s.start_date == start
            ),
            None,
        )
        for other in statuses:
            if other is same:
                continue
            other_end = other.end_date
            overlaps = other.start_date < (end or date.max) and (
                other_end is None or other_end > start
            )
            if not overlaps:
                continue
            if other_end is None and other.start_date < start and not self._later(child, other):
                # The child's current status before care began: care began on DECOM.
                other.end_date = start
                self.touched.add(child.pk)
                other.save(update_fields=["end_date"])
                continue
            until = f"to {fmt(other_end)}" if other_end else "with no end date"
            self._conflict(
                row,
                f"Homeward already records CHILD {row.child} as "
                f"{LegalStatusKind(other.status).label.lower()} from {fmt(other.start_date)} "
                f"{until}, which overlaps this period of care ({fmt(start)} to "
                f"{fmt(end) or 'now'}): correct one of them first",
            )
            return None
        ends_care = end is not None and (same is None or same.end_date != end)
        if ends_care and end is not None and self._missing_when_care_ends(child, last, end):
            return None
        if same is None:
            self.result.periods_created += 1
            self.result.unchanged = False
            self.touched.add(child.pk)
            return LegalStatus.objects.create(
                child=child, status=LegalStatusKind.LOOKED_AFTER, start_date=start, end_date=end
            )
        if same.end_date != end:
            same.end_date = end
            self.touched.add(child.pk)
            same.save(update_fields=["end_date"])
            self.result.periods_updated += 1
            self.result.unchanged = False
        return same

    def _missing_when_care_ends(self, child: Child, row: EpisodeRow, end: date) -> bool:
        """Rule 577, as the service keeps it when care is ended there: an episode that
        began before the day care ends must have ended by that day. Records the problem
        (on the row with the DEC) and says whether there was one."""
        day_starts = timezone.make_aware(datetime.combine(end, time.min))
        next_day = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
        episode = (
            Episode.objects.filter(child=child, last_seen_at__lt=day_starts)
            .filter(Q(returned_at__isnull=True) | Q(returned_at__gte=next_day))
            .order_by("last_seen_at")
            .first()
        )
        if episode is None:
            return False
        seen = timezone.localtime(episode.last_seen_at)
        if episode.returned_at is None:
            message = (
                f"CHILD {row.child} has been missing since {seen:%-d %B %Y} (episode "
                f"{episode.reference}): care cannot end while a child is missing, so record "
                f"their return in Homeward before importing care that ends on {fmt(end)}"
            )
        else:
            back = timezone.localtime(episode.returned_at)
            message = (
                f"CHILD {row.child} was missing from {seen:%-d %B %Y} to {back:%-d %B %Y} "
                f"(episode {episode.reference}): care cannot end while a child is missing, "
                f"so give a DEC on or after {back:%d/%m/%Y}"
            )
        self.problems.append(Problem(self.episodes_label, row.row, "DEC", message))
        return True

    def _later(self, child: Child, status: LegalStatus) -> bool:
        return child.legal_statuses.filter(start_date__gt=status.start_date).exists()

    def _placements(self, child: Child, rows: list[EpisodeRow]) -> list[Placement] | None:
        """One placement per run of rows with the same PLACE, URN and PL_POST (a change of
        legal status alone is a new 903 episode but not a new placement)."""
        runs: list[list[EpisodeRow]] = []
        for row in rows:
            if runs and (runs[-1][-1].place, runs[-1][-1].urn, runs[-1][-1].pl_post) == (
                row.place,
                row.urn,
                row.pl_post,
            ):
                runs[-1].append(row)
            else:
                runs.append([row])
        existing = list(child.placements.order_by("start_date"))
        made: list[Placement] = []
        for run in runs:
            start, end = run[0].decom, run[-1].dec
            provider = self.providers.get(run[0].urn) if run[0].urn else None
            host = provider.area_council if provider and provider.area_council else self.council
            values = {
                "placement_type": run[0].place,
                "provider": provider,
                "host_council": host,
                "postcode_district": run[0].pl_post,
                "end_date": end,
            }
            same = next((p for p in existing if p.start_date == start), None)
            for other in existing:
                if other is same or not (
                    other.start_date < (end or date.max)
                    and (other.end_date is None or other.end_date > start)
                ):
                    continue
                if other.end_date is None and other.start_date < start:
                    other.end_date = start  # the placement before: it ended when this began
                    self.touched.add(child.pk)
                    other.save(update_fields=["end_date"])
                    continue
                until = f"to {fmt(other.end_date)}" if other.end_date else "with no end date"
                self._conflict(
                    run[0],
                    f"Homeward already records a placement ({other.placement_type}) for CHILD "
                    f"{run[0].child} from {fmt(other.start_date)} {until}, which overlaps this "
                    "one: correct one of them first",
                )
                return None
            if same is None:
                self.touched.add(child.pk)
                placement = Placement.objects.create(child=child, start_date=start, **values)
                existing.append(placement)
                self.result.placements_created += 1
                self.result.unchanged = False
            else:
                placement = same
                if any(getattr(same, k) != v for k, v in values.items()):
                    for name, value in values.items():
                        setattr(same, name, value)
                    self.touched.add(child.pk)
                    same.save()
                    self.result.placements_updated += 1
                    self.result.unchanged = False
            made += [placement] * len(run)
        current = next((p for p in reversed(made) if p.end_date is None), None)
        if current is not None and child.current_placement_id != current.pk:
            child.current_placement = current
            child.version += 1
            self.touched.add(child.pk)
            child.save(update_fields=["current_placement", "version", "updated_at"])
        return made


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
