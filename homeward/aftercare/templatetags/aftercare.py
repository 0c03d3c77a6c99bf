"""The 72-hour clock in words, and the "After the return" task list on an episode page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.urls import reverse

from homeward.aftercare import compliance, services, steps
from homeward.aftercare.codes import Disclosure
from homeward.aftercare.models import CheckStatus, InterviewStatus, ReturnInterview
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.clock import UK
from homeward.episodes.models import Episode

register = template.Library()


@register.filter
def disclosure_labels(codes: Any) -> list[str]:
    """Every disclosure a safe and well check recorded, in words, in the list's order."""
    chosen = {str(code) for code in codes or []}
    known = [str(label) for value, label in Disclosure.choices if value in chosen]
    return known + sorted(chosen - set(Disclosure.values))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def span(delta: timedelta) -> str:
    """A length of time as people say it: 2 days 3 hours, 5 hours, 40 minutes."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _plural(days, "day") + (f" {_plural(hours, 'hour')}" if hours else "")
    if hours:
        return _plural(hours, "hour")
    return _plural(max(mins, 1), "minute")


def moment(value: datetime, now: datetime | None = None) -> str:
    """14:00 on Tuesday 27 October (with the year when it is not this year's)."""
    local = value.astimezone(UK)
    year = "" if local.year == (now or clock.now()).astimezone(UK).year else f" {local.year}"
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B}{year}"


def clock_text(interview: ReturnInterview, now: datetime | None = None) -> str:
    """The 72-hour clock, plainly: "due by 14:00 on Tuesday 27 October — 5 hours left",
    "overdue by 3 hours", or how it finished."""
    now = now or clock.now()
    due = interview.due_at
    if interview.status == InterviewStatus.DONE and interview.done_at is not None:
        if interview.done_at <= due:
            return f"done within 72 hours, {span(due - interview.done_at)} before the deadline"
        return f"done {span(interview.done_at - due)} after the 72 hours ran out"
    if interview.closed_at is not None:
        return f"was due by {moment(due, now)}"
    if due < now:
        return f"overdue by {span(now - due)} (it was due by {moment(due, now)})"
    return f"due by {moment(due, now)} — {span(due - now)} left"


@register.filter
def interview_clock(interview: ReturnInterview) -> str:
    return clock_text(interview)


@register.filter
def until_now(value: datetime | None) -> str:
    """How long ago: for "overdue by" in lists."""
    return "" if value is None else span(clock.now() - value)


@dataclass
class Task:
    name: str
    status: str  # the words shown
    colour: str  # a GOV.UK tag colour, or "" for plain text (Completed)
    href: str = ""
    hint: str = ""
    cannot_start: bool = False


def _check_task(actor: Actor, episode: Episode, state: services.EpisodeAftercare) -> Task:
    check = state.check
    view = reverse("aftercare:check", kwargs={"reference": episode.reference})
    record = reverse("aftercare:record_check", kwargs={"reference": episode.reference})
    name = "Safe and well check"
    if episode.returned_at is None:
        return Task(
            name, "Cannot start yet", "", hint="Due once the child returns", cannot_start=True
        )
    if check is not None and check.status == CheckStatus.DONE:
        assert check.conducted_at is not None
        return Task(
            name,
            "Completed",
            "",
            view,
            hint=f"Done {check.conducted_at.astimezone(UK):%-d %B %Y at %H:%M}",
        )
    if check is not None:
        return Task(name, "Not done", "grey", view, hint=f"Reason: {check.not_done_reason}")
    may_record = steps.record_check_from_task_list(actor, episode).available
    assert state.check_due_at is not None
    due = f"Due by {moment(state.check_due_at)}"
    if state.check_overdue:
        late = f"Overdue by {span(clock.now() - state.check_due_at)}"
        return Task(name, "Overdue", "red", record if may_record else "", hint=late)
    return Task(name, "Not started", "blue", record if may_record else "", hint=due)


def _interview_task(actor: Actor, state: services.EpisodeAftercare) -> Task:
    interview = state.interview
    name = "Return interview"
    if interview is None:
        return Task(
            name,
            "Cannot start yet",
            "",
            hint="Due within 72 hours of the return",
            cannot_start=True,
        )
    org = actor.organisation
    href = ""
    if org is not None and org.pk in (interview.council_id, interview.provider_id):
        href = reverse("aftercare:interview", kwargs={"pk": interview.pk})
    hint = clock_text(interview)
    hint = hint[0].upper() + hint[1:]
    status = interview.status
    if status == InterviewStatus.DONE:
        return Task(name, "Completed", "", href, hint=hint)
    if status == InterviewStatus.DECLINED:
        reason = f": {interview.outcome_reason}" if interview.outcome_reason else ""
        return Task(name, "Declined", "grey", href, hint=f"The child declined{reason}")
    if status == InterviewStatus.NOT_OFFERED:
        return Task(name, "Not offered", "grey", href, hint=f"Reason: {interview.outcome_reason}")
    if state.interview_overdue:
        return Task(name, "Overdue", "red", href, hint=hint)
    if status == InterviewStatus.PENDING:
        return Task(name, "Not started", "blue", href, hint=hint)
    return Task(
        name,
        "In progress",
        "light-blue",
        href,
        hint=f"{interview.get_status_display()}; {hint[0].lower()}{hint[1:]}",
    )


@register.simple_tag(takes_context=True)
def aftercare_tasks(context: dict[str, Any], episode: Episode) -> list[Task]:
    """``{% aftercare_tasks episode as tasks %}``: the check and the interview with their
    status, each linking to its page when this user may open it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    actor = Actor.for_user(user)
    state = services.episode_aftercare(episode)
    return [_check_task(actor, episode, state), _interview_task(actor, state)]


@register.simple_tag
def closing_blocked(episode: Episode) -> list[str]:
    """What must be recorded before the episode can be closed (empty when nothing)."""
    if episode.returned_at is None:
        return []
    return services.outstanding(episode).blocks_closing


@dataclass
class WorkSummary:
    overdue_checks: int
    overdue_interviews: int
    since: datetime
    figures: compliance.Compliance


@register.simple_tag(takes_context=True)
def work_summary(context: dict[str, Any]) -> WorkSummary | None:
    """``{% work_summary as summary %}``: for a council's or force's coordinators, how many
    checks and interviews are overdue now and the compliance of the last three months
    (counts only: the names are on the work list)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    actor = Actor.for_user(user)
    if not compliance.may_see_work_list(actor):
        return None
    org = actor.organisation
    assert org is not None
    now = clock.now()
    since = compliance.three_months_before(now)
    return WorkSummary(
        overdue_checks=compliance.overdue_checks(org, now).count(),
        overdue_interviews=compliance.overdue_interviews(org, now).count(),
        since=since,
        figures=compliance.compliance(org, since, now),
    )
