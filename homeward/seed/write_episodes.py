"""Writing the demo's episodes with the rows the episode services write for each change:
a RiskAssessment for each grading, a ClassificationChange, and the timeline entries."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from homeward.episodes.models import (
    Classification,
    ClassificationChange,
    Episode,
    EpisodeStatus,
    MissingFrom,
    ReporterType,
    RiskAssessment,
    RiskGrade,
    TimelineEntry,
    TimelineKind,
)
from homeward.organisations.models import User
from homeward.seed import distributions as dist
from homeward.seed import happenings, text
from homeward.seed.area import FORCE_CODE
from homeward.seed.happenings import Built, Where
from homeward.seed.plan import LAC, Area, ChildPlan, EpisodePlan


def write_episodes(area: Area) -> None:
    rng = area.rng("details")
    references: set[str] = set()
    serials: dict[int, int] = {}
    built: list[Built] = []
    for plan in area.episodes:
        chosen = reference(rng)
        while chosen in references:
            chosen = reference(rng)
        references.add(chosen)
        built.append(_build_episode(area, rng, plan, chosen))
    # Police references follow the order the force received the reports.
    for item in sorted(built, key=lambda b: (b.episode.reported_at, b.episode.reference)):
        if item.police_reference:
            year = timezone.localtime(item.episode.reported_at, area.clock.zone).year
            serials[year] = serials.get(year, 0) + rng.randint(3, 40)
            item.episode.police_reference = f"{FORCE_CODE}/{serials[year]:05d}/{year % 100}"
    # The rows below point at these episodes; they take the ids once inserted.
    Episode.objects.bulk_create([b.episode for b in built])
    for plan, item in zip(area.episodes, built, strict=True):
        plan.row = item.episode
    RiskAssessment.objects.bulk_create([r for b in built for r in b.risks])
    ClassificationChange.objects.bulk_create([r for b in built for r in b.classifications])
    TimelineEntry.objects.bulk_create([r for b in built for r in b.timeline])
    links = _links(area)
    through = Episode.went_missing_with.through
    through.objects.bulk_create(
        [through(from_episode_id=a.pk, to_episode_id=b.pk) for a, b in links]
        + [through(from_episode_id=b.pk, to_episode_id=a.pk) for a, b in links]
    )
    # Rows the database stamps with "now" get the time they describe instead.
    TimelineEntry.objects.update(recorded_at=F("occurred_at"))
    Episode.objects.update(
        created_at=F("reported_at"),
        updated_at=Coalesce("closed_at", "returned_at", "reported_at"),
    )


def _links(area: Area) -> list[tuple[Episode, Episode]]:
    by_outing: dict[int, list[Episode]] = {}
    for plan in area.episodes:
        if plan.outing is not None and plan.row is not None:
            by_outing.setdefault(plan.outing, []).append(plan.row)
    pairs = []
    for outing in sorted(by_outing):
        members = by_outing[outing]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.append((a, b))
    return pairs


def _build_episode(area: Area, rng: random.Random, plan: EpisodePlan, reference: str) -> Built:
    """One episode and the rows the services would have written for it."""
    child = plan.child
    assert child.row is not None
    at = area.clock.at
    day = area.clock.local_date(plan.start)
    placement = child.placement_on(day) if child.status_on(day) == LAC else None
    town = rng.choice((placement.host if placement else child.council).towns)
    words = {
        "town": town,
        "street": rng.choice(text.STREETS),
        "landmark": rng.choice(text.LANDMARKS),
        "n": str(rng.randint(2, 98)),
    }
    where = happenings.where(area, rng, child, placement, words)
    classification = Classification.MISSING
    if (
        where.missing_from == MissingFrom.PLACEMENT
        and _strictly_looked_after(area, child, day)
        and rng.random() < dist.AWAY_SHARE
    ):
        classification = Classification.AWAY
    worker = child.worker_on(day)
    reporter = happenings.reporter(area, rng, where, worker)
    reporter_org = area.memberships[reporter.username].organisation
    end = plan.end if plan.end is not None else area.clock.horizon
    delay = dist.REPORT_DELAY.get(where.reporter_type, (20, 240))
    reported = plan.start + min(rng.randint(*delay), max(5, (end - plan.start) // 2))
    grade = _initial_grade(area, rng, child, day)
    episode = Episode(
        reference=reference,
        child=child.row,
        status=EpisodeStatus.MISSING,
        classification=classification,
        reported_at=at(reported),
        reported_by=reporter,
        reporting_organisation=reporter_org,
        reporter_type=where.reporter_type,
        reporter_name=where.reporter_name,
        last_seen_at=at(plan.start),
        last_seen_location=where.location,
        missing_from=where.missing_from,
        circumstances=rng.choice(text.CIRCUMSTANCES[MissingFrom(where.missing_from)]).format(
            **words
        ),
        clothing=text.clothing(rng),
        police_force=area.orgs["force"],
        placement=placement.row if placement else None,
        risk_grade=grade,
        version=1,
    )
    # Nearly every missing report has a police reference; some "away" ones do not.
    away = classification == Classification.AWAY
    item = Built(episode, reported, police_reference=rng.random() < (0.6 if away else 0.96))
    _report_rows(rng, item, reporter, where)
    _while_missing(area, rng, item, plan, where, words, worker)
    if plan.end is not None:
        happenings.return_and_close(area, rng, item, plan, words, where.home, placement, worker)
    item.timeline.sort(key=lambda e: e.occurred_at)
    return item


def _report_rows(rng: random.Random, item: Built, reporter: User, where: Where) -> None:
    """The grading, classification and timeline entry report_missing writes."""
    episode = item.episode
    grade, classification = episode.risk_grade, episode.classification
    reporter_org, reported_at = episode.reporting_organisation, episode.reported_at
    item.risks.append(
        RiskAssessment(
            episode=episode,
            grade=grade,
            rationale=rng.choice(text.INITIAL_RATIONALE[RiskGrade(grade)]),
            decided_by=reporter,
            decided_by_organisation=reporter_org,
            decided_at=reported_at,
        )
    )
    item.classifications.append(
        ClassificationChange(
            episode=episode,
            classification=classification,
            changed_at=reported_at,
            changed_by=reporter,
            reason="Initial report",
        )
    )
    item.timeline.append(
        TimelineEntry(
            episode=episode,
            kind=TimelineKind.REPORT,
            occurred_at=reported_at,
            summary=f"Reported missing by {ReporterType(where.reporter_type).label.lower()}. "
            f"Risk graded {RiskGrade(grade).label.lower()}.",
            location=where.location,
            recorded_by=reporter,
            recorded_by_organisation=reporter_org,
        )
    )


def _while_missing(
    area: Area,
    rng: random.Random,
    item: Built,
    plan: EpisodePlan,
    where: Where,
    words: dict[str, str],
    worker: str | None,
) -> None:
    """Re-gradings, classification changes, sightings, calls and actions."""
    child, reporter = plan.child, item.episode.reported_by
    assert reporter is not None
    day = area.clock.local_date(plan.start)
    reported = item.reported
    end = plan.end if plan.end is not None else area.clock.horizon
    span = end - reported
    changes: list[tuple[int, str]] = []
    if span > 8 * 60 and rng.random() < 0.3:
        changes.append((reported + rng.randint(60, span - 30), "regrade"))
        if span > 24 * 60 and rng.random() < 0.3:
            changes.append((reported + rng.randint(60, span - 30), "regrade"))
    if (
        where.missing_from == MissingFrom.PLACEMENT
        and span > 4 * 60
        and _strictly_looked_after(area, child, day)
        and rng.random() < 0.12
    ):
        changes.append((reported + rng.randint(30, span - 30), "classification"))
    for minute, what in sorted(changes):
        if what == "regrade":
            happenings.regrade(area, rng, item, minute, reported, words)
        else:
            happenings.reclassify(area, item, minute, reporter)
    happenings.activity(area, rng, item, reported, end, words, where.home, worker)


def _strictly_looked_after(area: Area, child: ChildPlan, day: date) -> bool:
    """Looked after on the day and the day either side (no boundary ambiguity)."""
    return all(child.status_on(day + timedelta(days=d)) == LAC for d in (-1, 0, 1))


def _initial_grade(area: Area, rng: random.Random, child: ChildPlan, day: date) -> str:
    weights = dist.GRADES
    if child.age_on(day) < 13:
        weights = dist.GRADES_UNDER_13
    elif child.wanted >= 15:
        weights = dist.GRADES_FREQUENT
    return dist.weighted(rng, weights)


def reference(rng: random.Random) -> str:
    return "HW-" + "".join(rng.choice(dist.REFERENCE_ALPHABET) for _ in range(8))
