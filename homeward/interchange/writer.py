"""The writes of an SSDA903 import, for ``services.import_903``: the checked rows of both
files written as children, periods of care (a looked-after legal status from the first
DECOM to the last DEC), placements and the council's own 903 rows. Children are found by
the council's CHILD id, periods and placements by their start dates, so the same files
written again change nothing. A conflict with what Homeward already holds is kept in
``problems`` (the service then undoes the transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Placement
from homeward.core import clock
from homeward.episodes.models import Episode
from homeward.interchange import ssda903
from homeward.interchange.models import Ssda903Episode
from homeward.interchange.ssda903 import EpisodeRow, HeaderRow, Problem, fmt
from homeward.organisations.models import Organisation, OrganisationKind


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
    # Likely matches of the children created with records held elsewhere, queued for the
    # councils' review (homeward.linkage).
    matches_queued: int = 0
    unchanged: bool = True
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.children_created} children created, {self.children_matched} matched; "
            f"{self.periods_created} periods of care created, {self.periods_updated} updated; "
            f"{self.placements_created} placements created, {self.placements_updated} updated; "
            f"{self.matches_queued} likely matches with other records queued for review"
        )


class ImportWriter:
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
        # Children created with their names (from the names file), to look for elsewhere.
        self.named: list[int] = []
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
        if person.child in self.files.names:
            self.named.append(child.pk)
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
        existing = list(child.placements.order_by("start_date"))
        made: list[Placement] = []
        for run in _runs(rows):
            placement = self._placement(child, run, existing)
            if placement is None:
                return None
            made += [placement] * len(run)
        current = next((p for p in reversed(made) if p.end_date is None), None)
        if current is not None and child.current_placement_id != current.pk:
            child.current_placement = current
            child.version += 1
            self.touched.add(child.pk)
            child.save(update_fields=["current_placement", "version", "updated_at"])
        return made

    def _placement(
        self, child: Child, run: list[EpisodeRow], existing: list[Placement]
    ) -> Placement | None:
        """The placement of one run, created or brought up to date (and added to
        ``existing``); None if it overlaps one Homeward already holds."""
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
        if not self._end_placements_before(child, run, existing, same):
            return None
        if same is None:
            self.touched.add(child.pk)
            placement = Placement.objects.create(child=child, start_date=start, **values)
            existing.append(placement)
            self.result.placements_created += 1
            self.result.unchanged = False
            return placement
        if any(getattr(same, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(same, name, value)
            self.touched.add(child.pk)
            same.save()
            self.result.placements_updated += 1
            self.result.unchanged = False
        return same

    def _end_placements_before(
        self,
        child: Child,
        run: list[EpisodeRow],
        existing: list[Placement],
        same: Placement | None,
    ) -> bool:
        """End the open placement before the run's (it ended when this began); False, with
        the conflict recorded, if another placement overlaps the run."""
        start, end = run[0].decom, run[-1].dec
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
            return False
        return True


def _runs(rows: list[EpisodeRow]) -> list[list[EpisodeRow]]:
    """The rows in runs of the same PLACE, URN and PL_POST."""
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
    return runs
