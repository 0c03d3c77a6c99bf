"""What happens in one demo episode once it is reported: where from and who noticed,
re-gradings, classification changes, sightings and calls, the return and the close."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from homeward.children.codes import PlacementType, Sex
from homeward.episodes.models import (
    Classification,
    ClassificationChange,
    Episode,
    EpisodeStatus,
    MissingFrom,
    ReporterType,
    ReturnMethod,
    RiskAssessment,
    RiskGrade,
    TimelineEntry,
    TimelineKind,
)
from homeward.organisations.models import User
from homeward.seed import distributions as dist
from homeward.seed import text
from homeward.seed.area import HomeSpec
from homeward.seed.names import first_name, surname
from homeward.seed.plan import Area, ChildPlan, EpisodePlan, PlacementPlan


@dataclass
class Where:
    missing_from: str
    location: str
    reporter_type: str
    reporter_name: str
    home: HomeSpec | None


@dataclass
class Built:
    """One episode and the rows the services would have written for it."""

    episode: Episode
    reported: int  # the minute of the report
    police_reference: bool = True
    risks: list[RiskAssessment] = field(default_factory=list)
    classifications: list[ClassificationChange] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


def where(
    area: Area,
    rng: random.Random,
    child: ChildPlan,
    placement: PlacementPlan | None,
    words: dict[str, str],
) -> Where:
    """Where the child went missing from, and who noticed."""
    town, street = words["town"], words["street"]
    home = placement.home if placement else None
    if placement is not None:
        missing_from = dist.weighted(rng, {"placement": 0.88, "school": 0.07, "other": 0.05})
    else:
        missing_from = dist.weighted(rng, {"home": 0.85, "school": 0.08, "other": 0.07})
    if missing_from == MissingFrom.PLACEMENT and placement is not None:
        if home is not None:
            location = f"{home.name}, {home.street}, {area.councils[home.council].towns[1]}"
            reporter = ReporterType.HOME_STAFF
        elif placement.placement_type.startswith("U"):
            location, reporter = f"Foster home, {street}, {town}", ReporterType.CARER
        elif placement.placement_type == PlacementType.P1:
            location, reporter = f"Parent's home, {street}, {town}", ReporterType.PARENT
        else:
            location = f"Supported accommodation, {street}, {town}"
            reporter = ReporterType.SOCIAL_WORKER
    elif missing_from == MissingFrom.HOME:
        location = f"Home address, {words['n']} {street}, {town}"
        reporter = ReporterType.PARENT if rng.random() < 0.85 else ReporterType.OTHER
    elif missing_from == MissingFrom.SCHOOL:
        council = placement.host if placement else child.council
        location, reporter = rng.choice(council.schools), ReporterType.SCHOOL
    else:
        location = f"{words['landmark'].capitalize()}, {town}"
        reporter = (
            ReporterType.HOME_STAFF
            if home
            else (ReporterType.CARER if placement else ReporterType.PARENT)
        )
    name = ""
    if reporter == ReporterType.PARENT:
        relation = dist.weighted(
            rng, {"mother": 0.6, "father": 0.25, "grandmother": 0.1, "aunt": 0.05}
        )
        sex = Sex.MALE if relation == "father" else Sex.FEMALE
        name = f"{first_name(rng, sex)} {child.last_name} ({relation})"
    elif reporter == ReporterType.CARER:
        name = f"{first_name(rng, rng.choice(Sex.values))} {surname(rng)} (carer)"
    return Where(missing_from, location, reporter, name, home)


def reporter(area: Area, rng: random.Random, where: Where, worker: str | None) -> User:
    """Who entered the report: the home's own staff, the social worker, or the police
    call handler taking the call from a parent, carer, school or another home."""
    if where.home is area.care_home and where.reporter_type == ReporterType.HOME_STAFF:
        return area.users["care.staff" if rng.random() < 0.7 else "care.manager"]
    if where.reporter_type == ReporterType.SOCIAL_WORKER and worker:
        return area.users[worker]
    return area.users["police.handler"]


def regrade(
    area: Area, rng: random.Random, item: Built, minute: int, reported: int, words: dict[str, str]
) -> None:
    episode, at = item.episode, area.clock.at
    previous = RiskGrade(episode.risk_grade)
    order = list(RiskGrade)
    position = order.index(previous)
    up = position == 0 or (position < len(order) - 1 and rng.random() < 0.6)
    new = order[position + 1] if up else order[position - 1]
    decider = area.users["police.coordinator" if rng.random() < 0.5 else "police.officer"]
    obtained = max(reported, minute - rng.randint(5, 120))
    episode.risk_grade = new
    episode.version += 1
    item.risks.append(
        RiskAssessment(
            episode=episode,
            grade=new,
            rationale=rng.choice(text.UP_RATIONALE if up else text.DOWN_RATIONALE),
            information_used=rng.choice(text.CALLS if up else text.SIGHTINGS).format(**words),
            information_source=rng.choice(text.SOURCES),
            information_obtained_at=at(obtained),
            decided_by=decider,
            decided_by_organisation=area.orgs["force"],
            decided_at=at(minute),
        )
    )
    item.timeline.append(
        TimelineEntry(
            episode=episode,
            kind=TimelineKind.REGRADE,
            occurred_at=at(minute),
            summary=f"Risk re-graded from {previous.label.lower()} to {new.label.lower()}.",
            recorded_by=decider,
            recorded_by_organisation=area.orgs["force"],
        )
    )


def reclassify(area: Area, item: Built, minute: int, reporter: User) -> None:
    episode, at = item.episode, area.clock.at
    if episode.classification == Classification.AWAY:
        new = Classification.MISSING
        reason = "No longer at the address where they were thought to be; whereabouts unknown."
    else:
        new = Classification.AWAY
        reason = "Whereabouts now known: at a friend's address; carer in contact."
    who = area.users["police.officer"] if reporter.username == "police.handler" else reporter
    episode.classification = new
    episode.version += 1
    item.classifications.append(
        ClassificationChange(
            episode=episode,
            classification=new,
            changed_at=at(minute),
            changed_by=who,
            reason=reason,
        )
    )
    item.timeline.append(
        TimelineEntry(
            episode=episode,
            kind=TimelineKind.CLASSIFICATION,
            occurred_at=at(minute),
            summary=f"Classification changed to {new.label.lower()}: {reason}",
            recorded_by=who,
            recorded_by_organisation=area.memberships[who.username].organisation,
        )
    )


def activity(
    area: Area,
    rng: random.Random,
    item: Built,
    reported: int,
    end: int,
    words: dict[str, str],
    home: HomeSpec | None,
    worker: str | None,
) -> None:
    """Sightings, calls and actions while the child is missing."""
    span = end - reported
    if span <= 20:
        return
    hours = span / 60
    if hours < 3:
        entries = rng.randint(0, 1)
    elif hours < 12:
        entries = rng.randint(1, 2)
    elif hours < 48:
        entries = rng.randint(2, 4)
    else:
        entries = rng.randint(3, 8)
    for _ in range(entries):
        minute = reported + rng.randint(5, span - 5)
        kind = dist.weighted(rng, {"sighting": 0.3, "call": 0.35, "action": 0.35})
        texts = {"sighting": text.SIGHTINGS, "call": text.CALLS, "action": text.ACTIONS}[kind]
        roll = rng.random()
        if roll < 0.6 or not worker:
            who = area.users["police.officer" if rng.random() < 0.8 else "police.handler"]
        elif home is area.care_home and roll < 0.8:
            who = area.users["care.staff"]
        else:
            who = area.users[worker]
        item.timeline.append(
            TimelineEntry(
                episode=item.episode,
                kind=kind,
                occurred_at=area.clock.at(minute),
                summary=rng.choice(texts).format(**words),
                location=f"{words['landmark'].capitalize()}, {words['town']}"
                if kind == TimelineKind.SIGHTING
                else "",
                recorded_by=who,
                recorded_by_organisation=area.memberships[who.username].organisation,
            )
        )


def return_and_close(
    area: Area,
    rng: random.Random,
    item: Built,
    plan: EpisodePlan,
    words: dict[str, str],
    home: HomeSpec | None,
    placement: PlacementPlan | None,
    worker: str | None,
) -> None:
    """The return (as record_return writes it) and, unless recent, the close."""
    assert plan.end is not None
    episode, at, end = item.episode, area.clock.at, plan.end
    method = dist.weighted(rng, dist.RETURN_METHODS)
    if method == ReturnMethod.RETURNED_SELF:
        found = "the placement" if placement else "home"
    else:
        found = rng.choice(text.FOUND).format(**words)
    episode.status = EpisodeStatus.RETURNED
    episode.returned_at = at(end)
    episode.return_method = method
    episode.found_location = found
    if plan.outing is not None:
        others = [
            e.child.name
            for e in area.episodes
            if e.outing == plan.outing and e.child is not plan.child
        ]
        episode.found_with = "With " + " and ".join(others)
    else:
        episode.found_with = dist.weighted(
            rng,
            {
                "": 0.35,
                "Alone": 0.35,
                "With friends": 0.2,
                "With an adult not known to carers": 0.1,
            },
        )
    episode.harm_indicators = rng.choice(text.HARM) if rng.random() < 0.08 else ""
    episode.version += 1
    if home is area.care_home and method != ReturnMethod.FOUND_BY_POLICE:
        recorder = area.users["care.staff"]
    else:
        recorder = area.users[rng.choice(("police.officer", "police.handler"))]
    item.timeline.append(
        TimelineEntry(
            episode=episode,
            kind=TimelineKind.RETURN,
            occurred_at=at(end),
            summary=f"{ReturnMethod(method).label}. Found at {found}.",
            location=found,
            recorded_by=recorder,
            recorded_by_organisation=area.memberships[recorder.username].organisation,
        )
    )
    close(area, rng, item, plan, home, worker)


def close(
    area: Area,
    rng: random.Random,
    item: Built,
    plan: EpisodePlan,
    home: HomeSpec | None,
    worker: str | None,
) -> None:
    """The close, once the safe and well check and the return interview are recorded,
    unless that is after the demo's now."""
    assert plan.end is not None
    episode, at, end = item.episode, area.clock.at, plan.end
    closed = end + rng.randint(4 * 60, 4 * 1440)
    check, interview = plan.check, plan.interview
    if check is None or interview is None or interview.closed is None:
        return
    closed = max(closed, check.recorded, interview.closed) + rng.randint(10, 600)
    if closed > area.clock.horizon:
        return  # returned recently: not closed yet
    roll = rng.random()
    if roll < 0.2 and worker:
        closer = area.users[worker]
    elif roll < 0.3 and home is area.care_home:
        closer = area.users["care.manager"]
    else:
        closer = area.users["police.officer" if roll < 0.75 else "police.coordinator"]
    episode.status = EpisodeStatus.CLOSED
    episode.closed_at = at(closed)
    episode.closed_by = closer
    episode.version += 1
    item.timeline.append(
        TimelineEntry(
            episode=episode,
            kind=TimelineKind.CLOSE,
            occurred_at=at(closed),
            summary="Episode closed.",
            recorded_by=closer,
            recorded_by_organisation=area.memberships[closer.username].organisation,
        )
    )
