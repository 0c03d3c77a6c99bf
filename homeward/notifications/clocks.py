"""Clocks: what must happen at a time (a high-risk review, an escalation, an overdue check
or interview). Delivering an event starts its clocks; each clock fires once, even across
worker restarts, and emits its event only if it is still needed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count

from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
from homeward.aftercare.services import settings_for
from homeward.core import clock as time
from homeward.episodes.models import Episode, EpisodeStatus, RiskGrade
from homeward.events import bus
from homeward.events.models import DomainEvent
from homeward.events.types import Event
from homeward.notifications import events as ev
from homeward.notifications import rules, tasks
from homeward.notifications.models import Clock

EPISODE_CLOCKS = {ev.EPISODE_REPORTED, ev.EPISODE_REGRADED, ev.EPISODE_RETURNED}


def schedule(
    kind: str, key: str, due_at: datetime, child_id: int | None, subject: Mapping[str, object]
) -> Clock | None:
    """Start a clock once (its key makes a second start a no-op)."""
    clock, created = Clock.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "due_at": due_at, "child_id": child_id, "subject": subject},
    )
    if not created:
        return None
    clock.task_id = tasks.fire_clock.using(run_after=max(due_at, time.now())).enqueue(clock.pk).id
    clock.save(update_fields=["task_id"])
    return clock


def start_clocks(event: DomainEvent) -> None:
    """Start the clocks an event calls for."""
    if event.aggregate_type == "episode" and event.name in EPISODE_CLOCKS:
        episode = (
            Episode.objects.select_related("child__responsible_council")
            .filter(reference=event.aggregate_id)
            .first()
        )
        if episode is not None:
            _episode_clocks(event, episode)
    if event.name == ev.INTERVIEW_OPENED:
        interview = ReturnInterview.objects.filter(pk=event.aggregate_id).first()
        if interview is not None:
            _interview_clocks(interview)


def _episode_clocks(event: DomainEvent, episode: Episode) -> None:
    limits = rules.thresholds(episode.child.responsible_council)
    if episode.status == EpisodeStatus.MISSING and episode.risk_grade == RiskGrade.HIGH:
        _every_hours(episode, "high_risk_review", "high_risk", limits.high_risk_review_hours)
    if event.name == ev.EPISODE_REPORTED:
        _every_hours(episode, "long_episode", "long", limits.long_episode_hours)
        _repeat_threshold(episode, limits)
    if event.name == ev.EPISODE_RETURNED and episode.returned_at is not None:
        hours = settings_for(episode.child.responsible_council).check_due_hours
        schedule(
            "check_overdue",
            f"check_overdue:{episode.reference}",
            episode.returned_at + timedelta(hours=hours),
            episode.child_id,
            {"episode": episode.reference},
        )


def _every_hours(episode: Episode, kind: str, prefix: str, hours_list: list[int]) -> None:
    """One clock for each number of hours still ahead: after the report for a high-risk
    review, after the child was last seen for an escalation."""
    start = episode.reported_at if kind == "high_risk_review" else episode.last_seen_at
    now = time.now()
    for hours in hours_list:
        due = start + timedelta(hours=hours)
        if due > now:
            schedule(
                kind,
                f"{prefix}:{episode.reference}:{hours}",
                due,
                episode.child_id,
                {"episode": episode.reference, "hours": hours},
            )


def repeat_counts(
    person_ids: list[int], since: datetime, until: datetime | None = None
) -> dict[int, int]:
    """The repeat-missing count: how many episodes each child (by person id) went missing
    since ``since`` (and before ``until``), on any record linked as them
    (homeward.linkage): one child. Children with none are left out."""
    found = Episode.objects.filter(child__person_id__in=person_ids, last_seen_at__gte=since)
    if until is not None:
        found = found.filter(last_seen_at__lt=until)
    rows = found.values("child__person_id").annotate(n=Count("pk"))
    return {row["child__person_id"]: row["n"] for row in rows}


def _repeat_threshold(episode: Episode, limits: rules.Thresholds) -> None:
    since = time.now() - timedelta(days=limits.repeat_days)
    person = episode.child.person_id
    count = repeat_counts([person], since).get(person, 0)
    if count >= limits.repeat_count:
        bus.emit(
            ev.RepeatThresholdReached(
                aggregate_id=episode.child_id,
                child_id=episode.child_id,
                episodes=count,
                days=limits.repeat_days,
            )
        )


def _interview_clocks(interview: ReturnInterview) -> None:
    subject = {"interview": interview.pk}
    schedule(
        "interview_due",
        f"interview_due:{interview.pk}",
        interview.due_at - timedelta(hours=24),
        interview.child_id,
        subject,
    )
    schedule(
        "interview_overdue",
        f"interview_overdue:{interview.pk}",
        interview.due_at,
        interview.child_id,
        subject,
    )


@transaction.atomic
def fire(clock_id: int) -> str:
    """Run one due clock exactly once: emit its event if it is still needed."""
    clock = Clock.objects.select_for_update().filter(pk=clock_id).first()
    if clock is None or clock.fired_at is not None:
        return "already"
    if clock.due_at > time.now():
        return "early"  # a stale early run; the scheduled run will fire it
    if clock.kind in {"interview_due", "interview_overdue"}:
        event = _interview_event(clock)
    else:
        event = _episode_event(clock)
    if event is not None:
        bus.emit(event)
    clock.fired_at = time.now()
    clock.outcome = "fired" if event else "not_needed"
    clock.save(update_fields=["fired_at", "outcome"])
    return clock.outcome


def _episode_event(clock: Clock) -> Event | None:
    """The event of an episode's clock, if the episode still needs it."""
    if clock.kind not in {"high_risk_review", "long_episode", "check_overdue"}:
        return None
    episode = Episode.objects.filter(reference=clock.subject.get("episode")).first()
    if episode is None:
        return None
    ref, child_id, hours = episode.reference, clock.child_id, clock.subject.get("hours")
    missing = episode.status == EpisodeStatus.MISSING
    if clock.kind == "high_risk_review" and missing and episode.risk_grade == RiskGrade.HIGH:
        return ev.HighRiskReviewDue(aggregate_id=ref, child_id=child_id, hours=hours)
    if clock.kind == "long_episode" and missing:
        return ev.LongEpisode(aggregate_id=ref, child_id=child_id, hours=hours)
    if (
        clock.kind == "check_overdue"
        and not SafeAndWellCheck.objects.filter(episode=episode).exists()
    ):
        return ev.CheckOverdue(aggregate_id=ref, child_id=child_id)
    return None


def _interview_event(clock: Clock) -> Event | None:
    """The event of an interview's clock, if the interview is still not done."""
    interview = ReturnInterview.objects.filter(pk=clock.subject.get("interview")).first()
    if interview is None or interview.closed_at is not None:
        return None
    kind = ev.InterviewDue if clock.kind == "interview_due" else ev.InterviewOverdue
    return kind(
        aggregate_id=interview.pk,
        child_id=clock.child_id,
        provider=interview.provider_id,
        due_at=interview.due_at.isoformat(),
    )
