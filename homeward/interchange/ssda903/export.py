"""``build_export``: the Header, Episodes and Missing tables of one council's collection
year, built from Homeward's records; the rules it follows are in docs/counting-rules.md,
"SSDA903 export"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils import timezone

from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Placement
from homeward.children.services import eighteenth_birthday
from homeward.core import csv as csv_out
from homeward.episodes.models import Classification, Episode
from homeward.interchange.ssda903.codes import (
    EPISODES_COLUMNS,
    HEADER_COLUMNS,
    MISSING_COLUMNS,
    UPN_NOT_KNOWN,
    UPN_UNDER_SCHOOL_AGE,
    collection_window,
    fmt,
)
from homeward.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from homeward.interchange.models import Ssda903Episode


@dataclass
class Export:
    year: int
    council: Organisation
    header: list[dict[str, str]] = field(default_factory=list)
    episodes: list[dict[str, str]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)

    def write(self, folder: Path) -> list[Path]:
        """Write header.csv, episodes.csv and missing.csv: the names the validator knows."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, columns, rows in (
            ("header.csv", HEADER_COLUMNS, self.header),
            ("episodes.csv", EPISODES_COLUMNS, self.episodes),
            ("missing.csv", MISSING_COLUMNS, self.missing),
        ):
            path = folder / name
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv_out.dict_writer(handle, columns, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(rows)
            written.append(path)
        return written


@dataclass
class _Period:
    start: date
    end: date | None  # the day care ended (DEC), None while it goes on
    at_eighteen: bool = False


def _local_date(value: datetime) -> date:
    return timezone.localtime(value).date()


def _periods(child: Child, statuses: list[LegalStatus]) -> list[_Period]:
    """The child's periods of care: looked-after statuses, touching ones joined, ended at
    the 18th birthday at the latest."""
    adult = eighteenth_birthday(child.date_of_birth)
    periods: list[_Period] = []
    for status in sorted(statuses, key=lambda s: s.start_date):
        if status.status != LegalStatusKind.LOOKED_AFTER or status.start_date >= adult:
            continue
        end, at_eighteen = status.end_date, False
        if end is None or end > adult:
            end, at_eighteen = adult, True
        if periods and periods[-1].end is not None and status.start_date <= periods[-1].end:
            periods[-1].end = max(periods[-1].end, end) if end else None
            periods[-1].at_eighteen = at_eighteen
            continue
        periods.append(_Period(status.start_date, end, at_eighteen))
    return periods


def _classification(episode: Episode) -> str:
    """M if the child was missing (whereabouts unknown) at any point, otherwise A."""
    codes = {c.classification for c in episode.classification_history.all()}
    codes.add(episode.classification)
    return Classification.MISSING if Classification.MISSING in codes else Classification.AWAY


def export_child_id(child: Child, council: Organisation) -> str:
    for identifier in child.identifiers.all():
        if identifier.organisation_id == council.pk:
            return identifier.value
    return f"HW{child.pk}"


def build_export(council: Organisation, year: int, today: date | None = None) -> Export:  # noqa: ARG001 (callers pass it)
    start, end = collection_window(year)
    export = Export(year=year, council=council)
    overlapping = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    children = (
        Child.objects.filter(responsible_council=council)
        .filter(
            pk__in=LegalStatus.objects.filter(
                overlapping, status=LegalStatusKind.LOOKED_AFTER
            ).values("child_id")
        )
        .prefetch_related(
            "legal_statuses",
            Prefetch("placements", queryset=Placement.objects.select_related("provider")),
            Prefetch("identifiers", queryset=ChildIdentifier.objects.filter(organisation=council)),
            "ssda903_episodes",
            Prefetch(
                "episodes",
                queryset=Episode.objects.filter(last_seen_at__date__lte=end).prefetch_related(
                    "classification_history"
                ),
            ),
        )
        .order_by("pk")
    )
    for child in children:
        periods = [
            p
            for p in _periods(child, list(child.legal_statuses.all()))
            if p.start <= end and (p.end is None or p.end >= start)
        ]
        if not periods:
            continue
        child_id = export_child_id(child, council)
        rows: list[dict[str, str]] = []
        for period in periods:
            rows += _episode_rows(child, child_id, period, end)
        export.child_ids.append(child.pk)
        age_at_end = child.age_on(end)
        export.header.append(
            {
                "CHILD": child_id,
                "SEX": child.sex,
                "DOB": fmt(child.date_of_birth),
                "ETHNIC": child.ethnicity,
                "UPN": child.upn or (UPN_UNDER_SCHOOL_AGE if age_at_end < 5 else UPN_NOT_KNOWN),
                "MOTHER": "",
                "MC_DOB": "",
            }
        )
        export.episodes += rows
        export.missing += _missing_rows(child, child_id, periods, start, end)
    return export


def _episode_rows(
    child: Child, child_id: str, period: _Period, year_end: date
) -> list[dict[str, str]]:
    """Rows for one period of care: a new row at each placement change and at each change
    the council's own 903 rows record (legal status, say)."""
    stop = period.end
    placements = sorted(child.placements.all(), key=lambda p: p.start_date)
    imported = sorted(
        (
            e
            for e in child.ssda903_episodes.all()  # type: ignore[attr-defined,unused-ignore]
            if period.start <= e.decom and (stop is None or e.decom < stop)
        ),
        key=lambda e: e.decom,
    )
    bounds = _row_starts(period, placements, imported)
    rows = []
    for i, first in enumerate(bounds):
        last = bounds[i + 1] if i + 1 < len(bounds) else stop
        if first > year_end:
            break
        placement = next(
            (
                p
                for p in reversed(placements)
                if p.start_date <= first and (p.end_date is None or p.end_date > first)
            ),
            None,
        )
        source = next((e for e in reversed(imported) if e.decom <= first), None)
        is_first = i == 0
        is_last = last == stop
        provider = placement.provider if placement else None
        urn = (
            provider.code
            if provider is not None and provider.kind == OrganisationKind.CARE_PROVIDER
            else (source.urn if source else "")
        )
        dec, rec = _row_end(period, source, last, is_last, year_end)
        rows.append(
            {
                "CHILD": child_id,
                "DECOM": fmt(first),
                "RNE": (source.rne if source and source.decom == first else "")
                or ("S" if is_first else "P"),
                "LS": source.ls if source else "",
                "CIN": source.cin if source else "",
                "PLACE": placement.placement_type if placement else "",
                "PLACE_PROVIDER": source.place_provider if source else "",
                "DEC": dec,
                "REC": rec,
                "REASON_PLACE_CHANGE": source.reason_place_change
                if source and source.decom == first
                else "",
                "HOME_POST": source.home_post if source else "",
                "PL_POST": placement.postcode_district if placement else "",
                "URN": urn,
            }
        )
    return rows


def _row_starts(
    period: _Period, placements: list[Placement], imported: list[Ssda903Episode]
) -> list[date]:
    """The days a row of the period starts: its start, each placement change and each
    change the council's own 903 rows record."""
    stop = period.end
    cuts = {period.start} | {e.decom for e in imported}
    for each in placements:
        for day in (each.start_date, each.end_date):
            if day is not None and period.start < day and (stop is None or day < stop):
                cuts.add(day)
    return sorted(cuts)


def _row_end(
    period: _Period, source: Ssda903Episode | None, last: date | None, is_last: bool, year_end: date
) -> tuple[str, str]:
    """DEC and REC of a row: blank while open, X1 at a change, else why care ended."""
    if last is None or last > year_end:
        return "", ""
    if not is_last:
        return fmt(last), "X1"
    rec = "E8" if period.at_eighteen else (source.rec if source and source.rec != "X1" else "E8")
    return fmt(last), rec


def _missing_rows(
    child: Child, child_id: str, periods: list[_Period], start: date, end: date
) -> list[dict[str, str]]:
    rows = []
    for episode in sorted(child.episodes.all(), key=lambda e: e.last_seen_at):
        began = _local_date(episode.last_seen_at)
        returned = _local_date(episode.returned_at) if episode.returned_at else None
        if began > end or (returned is not None and returned < start):
            continue
        # Looked after that day: the period had begun and had not yet ended (on the day
        # care ends the child is no longer looked after).
        period = next(
            (p for p in periods if p.start <= began and (p.end is None or began < p.end)), None
        )
        if period is None or began <= child.date_of_birth:
            continue
        finish = returned
        if period.end is not None and (finish is None or finish > period.end):
            finish = period.end  # care ended while the child was away: so did the 903 period
        if finish is not None and finish < start:
            continue
        rows.append(
            {
                "CHILD": child_id,
                "DOB": fmt(child.date_of_birth),
                "MISSING": _classification(episode),
                "MIS_START": fmt(began),
                "MIS_END": fmt(finish) if finish is not None and finish <= end else "",
            }
        )
    return rows
