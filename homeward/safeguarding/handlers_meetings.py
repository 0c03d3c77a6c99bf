"""The escalation rules' strategy meeting: when a child reaches the repeat-missing
threshold, or an episode of theirs is graded high risk (reported high, or re-graded to
high), a strategy meeting about them is opened for their responsible council with its
agenda ready, once per cause (``Meeting.source_key``) and not while one about them is
still planned; the council's missing coordinator is told. Who hears of meetings' events
is registered here too (``register``, from ``handlers.connect()``)."""

from __future__ import annotations

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeEvent, EpisodeRegraded, EpisodeReported
from homeward.episodes.models import Episode, RiskGrade
from homeward.events import bus
from homeward.notifications import rules
from homeward.notifications.events import RepeatThresholdReached
from homeward.safeguarding.events import ActionOverdue, ActionRecorded, MeetingOpened
from homeward.safeguarding.models import Meeting, MeetingKind, MeetingStatus
from homeward.safeguarding.services import meetings

MEETING_TITLE = "A meeting was opened"
ACTION_TITLE = "An action from a meeting is yours"
OVERDUE_TITLE = "An action from a meeting is overdue"


def register() -> None:
    """A meeting opened about a child (a strategy meeting) is told to the responsible
    council's missing coordinator; an action to its owner, and again when overdue."""
    rules.register_event(
        MeetingOpened.name, {rules.COORDINATOR}, MEETING_TITLE, "/meetings/{meeting}/"
    )
    rules.register_event(
        ActionRecorded.name, {rules.NAMED_OWNER}, ACTION_TITLE, "/meetings/actions"
    )
    rules.register_event(
        ActionOverdue.name, {rules.NAMED_OWNER}, OVERDUE_TITLE, "/meetings/actions"
    )


def _strategy(child_id: int | None, source_key: str, reason: str) -> None:
    child = (
        Child.objects.select_related("responsible_council").filter(pk=child_id).first()
        if child_id is not None
        else None
    )
    if child is None or child.responsible_council_id is None:
        return
    planned = Meeting.objects.filter(
        kind=MeetingKind.STRATEGY,
        status=MeetingStatus.PLANNED,
        child__person_id=child.person_id,
    )
    if planned.exists():
        return
    meetings.open_for_escalation(child, source_key, reason)


@bus.on(RepeatThresholdReached)
def repeat_missing(event: RepeatThresholdReached, actor: Actor | None) -> None:  # noqa: ARG001
    if event.child_id is None:
        return
    latest = (
        Episode.objects.filter(child_id=event.child_id)
        .order_by("-last_seen_at", "-pk")
        .values_list("reference", flat=True)
        .first()
    )
    _strategy(
        event.child_id,
        f"strategy:repeat:{event.child_id}:{latest or event.episodes}",
        f"Repeat missing: {event.episodes} episodes in {event.days} days",
    )


@bus.on(EpisodeReported, EpisodeRegraded)
def high_risk(event: EpisodeEvent, actor: Actor | None) -> None:  # noqa: ARG001
    grade = getattr(event, "risk_grade", None) or getattr(event, "to", None)
    if grade != RiskGrade.HIGH:
        return
    _strategy(
        event.child_id,
        f"strategy:high_risk:{event.aggregate}",
        f"Episode {event.aggregate} graded high risk",
    )
