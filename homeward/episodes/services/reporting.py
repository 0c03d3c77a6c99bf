"""Reporting a child missing: a new episode, or a further report on the open one."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.episodes.events import (
    EpisodeReported,
    FurtherReport,
)
from homeward.episodes.models import (
    ClassificationChange,
    Episode,
    EpisodeStatus,
    ReporterType,
    RiskAssessment,
    RiskGrade,
    TimelineKind,
)
from homeward.episodes.services.records import _add_timeline, _placement_at, _return_fields
from homeward.episodes.services.returns import _returned
from homeward.episodes.services.rules import (
    Report,
    ReportResult,
    Written,
    _new_reference,
    _overlap_in,
    _police_force_for,
    _validate_report,
    _when,
    normalise_grade,
)
from homeward.events import bus
from homeward.events.change import record_change
from homeward.linkage import tokens
from homeward.organisations import policy
from homeward.organisations.policy import Action


def report_missing(actor: Actor, child_id: object, report: Report) -> ReportResult:
    """Report a child missing. If the child already has an open episode, the report is
    added to that episode's timeline instead: there is never a duplicate."""
    try:
        return _report_missing(actor, child_id, report)
    except IntegrityError:
        # Another report for the same child won the race: become an update of it.
        return _report_missing(actor, child_id, report)


def report_against_match(actor: Actor, token: str, report: Report) -> ReportResult:
    """Report missing a child found by find before create whose record the actor may not
    see: the match's token (homeward.linkage.tokens) is the permission to report that one
    child. Only a role that may report; a forged, expired or another user's token is
    refused before anything is read or written. A police force's report makes the force's
    relationship with the child (the episode's force), as any report by the force does."""
    policy.require_role(actor, Action.REPORT)
    child_id = tokens.redeem(actor, token)
    try:
        return _report_missing(actor, child_id, report, matched=True)
    except IntegrityError:
        return _report_missing(actor, child_id, report, matched=True)


def match_holder(actor: Actor, token: str) -> str:
    """The council holding the record a token points to: all a page may say of it."""
    policy.require_role(actor, Action.REPORT)
    child_id = tokens.redeem(actor, token)
    name = (
        Child.objects.filter(pk=child_id)
        .values_list("responsible_council__name", flat=True)
        .first()
    )
    if name is None:
        raise ValidationFailed({"token": tokens.INVALID})
    return str(name)


def _matched_child(child_id: int) -> Child:
    child = (
        Child.objects.select_related(*_CHILD_RELATED)
        .prefetch_related("legal_statuses")
        .filter(pk=child_id)
        .first()
    )
    if child is None:
        raise ValidationFailed({"token": tokens.INVALID})
    return child


# What a report reads of the child: what it checks and records, and what the refresh of
# the figures that follows it needs (insights.facts.CHILD_RELATED, the legal statuses).
_CHILD_RELATED = (
    "current_placement__host_council__police_force",
    "responsible_council__police_force",
    "responsible_council__notification_rules",
)


@transaction.atomic
@bus.in_unit_of_work
def _report_missing(
    actor: Actor, child_id: object, report: Report, *, matched: bool = False
) -> ReportResult:
    if matched:
        # The token was redeemed by the caller: permission to report this one child.
        assert isinstance(child_id, int)
        child = _matched_child(child_id)
    else:
        child = visibility.get_child(
            actor, child_id, Action.REPORT, related=_CHILD_RELATED, prefetch=("legal_statuses",)
        )
    errors = _validate_report(child, report)
    if errors:
        raise ValidationFailed(errors)
    assert report.last_seen_at is not None
    # The figures' refresh at the end of this unit of work takes the child as read here.
    bus.hold(bus.child_key(child.pk), child)
    returned_at = report.returned.returned_at if report.returned else None
    others = _episodes_in_the_way(child, report.last_seen_at)
    open_episode = next((e for e in others if e.status == EpisodeStatus.MISSING), None)
    if open_episode is not None and returned_at is not None:
        # A late report of an earlier episode, while the child is missing again now: its
        # own episode if it ended before this one began, otherwise an overlap.
        if returned_at > open_episode.last_seen_at:
            raise ValidationFailed(
                {
                    "returned_at": (
                        f"{child.first_name} has been missing since "
                        f"{_when(open_episode.last_seen_at)} (episode "
                        f"{open_episode.reference}): a return after that belongs to that "
                        "episode, so record it there"
                    )
                }
            )
        open_episode = None
    if open_episode is not None:
        _further_report(actor, open_episode, report)
        return ReportResult(open_episode, created=False)
    overlap = _overlap_in(others, report.last_seen_at, returned_at)
    if overlap:
        raise ValidationFailed({"last_seen_at": overlap})
    return _new_episode(actor, child, report)


def _episodes_in_the_way(child: Child, start: datetime) -> list[Episode]:
    """In one query, the child's episodes a report from ``start`` may meet: the open one
    (locked: it takes a further report) and any that ends after ``start`` (an overlap).
    The child's, on any of their records: a child linked as one person across a council's
    and a police record is missing once, whichever record the report starts from."""
    return list(
        Episode.objects.select_for_update()
        .filter(child__person_id=child.person_id)
        .filter(Q(status=EpisodeStatus.MISSING) | Q(returned_at__gt=start))
        .order_by("last_seen_at", "pk")
    )


def _further_report(actor: Actor, open_episode: Episode, report: Report) -> None:
    """A report of a child already missing: a timeline entry on the open episode."""
    assert report.last_seen_at is not None
    # The grade stays the police's to set; a different view of the risk is kept, and
    # said plainly, so whoever grades sees it.
    grade, _ = normalise_grade(report.risk_grade)
    view = ""
    if grade != open_episode.risk_grade:
        view = (
            f" The reporter assessed the risk as {RiskGrade(grade).label.lower()}"
            f" ({report.risk_rationale.strip()}); the episode is graded "
            f"{RiskGrade(open_episode.risk_grade).label.lower()}."
        )
    _add_timeline(
        actor,
        open_episode,
        TimelineKind.FURTHER_REPORT,
        report.reported_at or clock.now(),
        f"Further report ({ReporterType(report.reporter_type).label}): "
        f"last seen {_when(report.last_seen_at)} at {report.last_seen_location.strip()}."
        + (f" {report.circumstances.strip()}" if report.circumstances.strip() else "")
        + (f" With {report.last_seen_with.strip()}." if report.last_seen_with.strip() else "")
        + view,
        location=report.last_seen_location.strip(),
    )
    record_change(
        actor,
        FurtherReport(aggregate_id=open_episode.reference, child_id=open_episode.child_id),
        action="further_report",
    )


def _new_episode(actor: Actor, child: Child, report: Report) -> ReportResult:
    """A new episode, with its first classification, risk assessment and timeline entry.
    Its insert may break the one-open-episode constraint: the caller's transaction then
    rolls back whole, and report_missing tries again."""
    assert report.last_seen_at is not None
    force = _police_force_for(child, report.missing_from, actor)
    if force is None:
        raise ValidationFailed(
            {"police_force": "No police force covers this child's area: ask an administrator"}
        )
    grade, legacy = normalise_grade(report.risk_grade)
    org = actor.organisation
    assert org is not None
    now = clock.now()
    returned = report.returned
    episode = Episode.objects.create(
        reference=_new_reference(),
        child=child,
        classification=report.classification,
        reported_at=report.reported_at or now,
        reported_by=actor.user,
        reporting_organisation=org,
        reporter_type=report.reporter_type,
        reporter_name=report.reporter_name.strip(),
        last_seen_at=report.last_seen_at,
        last_seen_location=report.last_seen_location.strip(),
        missing_from=report.missing_from,
        circumstances=report.circumstances.strip(),
        clothing=report.clothing.strip(),
        last_seen_with=report.last_seen_with.strip(),
        police_reference=report.police_reference.strip(),
        police_force=force,
        placement=_placement_at(child, report.last_seen_at),
        risk_grade=grade,
        **_return_fields(returned),
    )
    written = _first_records(actor, episode, report, grade, legacy, now)
    if returned is None:
        return ReportResult(episode, created=True, written=written)
    _returned(actor, episode, late_report=True)
    return ReportResult(episode, created=True)


def _first_records(
    actor: Actor, episode: Episode, report: Report, grade: str, legacy: str, now: datetime
) -> Written:
    """A new episode's first classification, risk assessment and timeline entry, and the
    change recorded (audit and event)."""
    classification = ClassificationChange.objects.create(
        episode=episode,
        classification=episode.classification,
        changed_at=now,
        changed_by=actor.user,
        reason="Initial report",
    )
    risk = RiskAssessment.objects.create(
        episode=episode,
        grade=grade,
        legacy_grade=legacy,
        rationale=report.risk_rationale.strip(),
        decided_by=actor.user,
        decided_by_organisation=actor.organisation,
        decided_at=now,
    )
    entry = _add_timeline(
        actor,
        episode,
        TimelineKind.REPORT,
        # The same instant, held in UTC as it reads back from the database.
        episode.reported_at.astimezone(UTC),
        f"Reported missing by {ReporterType(report.reporter_type).label.lower()}. "
        f"Risk graded {RiskGrade(grade).label.lower()}.",
        location=episode.last_seen_location,
    )
    record_change(
        actor,
        EpisodeReported(
            aggregate_id=episode.reference,
            child_id=episode.child_id,
            risk_grade=grade,
            classification=episode.classification,
            already_returned=report.returned is not None,
        ),
        action="report",
        details={"version": episode.version},
    )
    return Written(risk_history=[risk], classification_history=[classification], timeline=[entry])
