"""What a user can do next after a child's return: record the safe and well check, and
each step of the return interview, and why not yet. Pages (and the API's read models)
offer a step only when it is available; the services refuse it when it is not."""

from __future__ import annotations

from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.core.actor import Actor
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.organisations.policy import Action, Step, step

CHECK_RECORDED = "The safe and well check for this episode is already recorded"
NOT_RETURNED = "Record the child's return before the safe and well check"
FINISHED = "This return interview is finished: nothing more to record"
ACCEPT_FIRST = "Record that the child accepted the interview first"
ALREADY_ACCEPTED = "The child has accepted the interview: record the interview itself"
EPISODE_CLOSED = "This episode is closed"


def record_check(actor: Actor, episode: Episode) -> Step:
    return step(
        actor,
        Action.RECORD_CHECK,
        CHECK_RECORDED if SafeAndWellCheck.objects.filter(episode=episode).exists() else "",
        NOT_RETURNED if episode.returned_at is None else "",
    )


def record_check_from_task_list(actor: Actor, episode: Episode) -> Step:
    """The link to record the check on the episode's "After the return" task list, which
    shows it only for a returned episode with no check yet: offered while the episode is
    open (the check's own page still offers it once the episode is closed)."""
    return step(
        actor,
        Action.RECORD_CHECK,
        EPISODE_CLOSED if episode.status == EpisodeStatus.CLOSED else "",
    )


def assign(actor: Actor, interview: ReturnInterview) -> Step:
    """Only the interview's council assigns it."""
    org = actor.organisation
    if org is None or org.pk != interview.council_id:
        return Step(allowed=False)
    return step(actor, Action.MANAGE_INTERVIEWS, FINISHED if interview.closed_at else "")


def _before_acceptance(actor: Actor, interview: ReturnInterview) -> Step:
    return step(
        actor,
        Action.RECORD_INTERVIEW,
        FINISHED if interview.closed_at else "",
        ALREADY_ACCEPTED if interview.status == InterviewStatus.ACCEPTED else "",
    )


def offer(actor: Actor, interview: ReturnInterview) -> Step:
    return _before_acceptance(actor, interview)


def outcome(actor: Actor, interview: ReturnInterview) -> Step:
    return _before_acceptance(actor, interview)


def record(actor: Actor, interview: ReturnInterview) -> Step:
    return step(
        actor,
        Action.RECORD_INTERVIEW,
        FINISHED if interview.closed_at else "",
        "" if interview.status == InterviewStatus.ACCEPTED else ACCEPT_FIRST,
    )


def for_interview(actor: Actor, interview: ReturnInterview) -> dict[str, Step]:
    """Every step on the interview's page, by the key the page uses."""
    return {
        "assign": assign(actor, interview),
        "offer": offer(actor, interview),
        "outcome": outcome(actor, interview),
        "record": record(actor, interview),
    }
