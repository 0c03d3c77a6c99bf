"""The generator's episodes: for one child, episodes spread over the window that never
overlap, each with the rows the services write (classification, risk, timeline), a safe
and well check and a return interview drawn from the shared distributions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from homeward.aftercare.models import CheckStatus, ReturnInterview, SafeAndWellCheck
from homeward.aftercare.services import INTERVIEW_DUE
from homeward.episodes.models import (
    ClassificationChange,
    Episode,
    EpisodeStatus,
    RiskAssessment,
    TimelineEntry,
    TimelineKind,
)
from homeward.seed import distributions as dist
from homeward.seed import text

if TYPE_CHECKING:
    from homeward.seed.synthetic import CouncilPlan, Synthesizer

GAP = 60  # minutes between one return and the next time the child is last seen


def episodes(
    maker: Synthesizer,
    child_id: int,
    council: CouncilPlan,
    wanted: int,
    first: int,
    placement: tuple[int, int, int] | None,
) -> None:
    rng = maker.rng
    span = maker.horizon - first
    durations = [dist.duration_minutes(rng) for _ in range(wanted)]
    room = span - GAP * wanted
    if sum(durations) > room * 0.8:  # a very busy child: shorter episodes
        factor = room * 0.8 / sum(durations)
        durations = [max(15, int(d * factor)) for d in durations]
    free = span - sum(durations) - GAP * wanted
    gaps = [rng.expovariate(1.0) for _ in range(wanted + 1)]
    scale = free / sum(gaps)
    open_last = rng.random() < 0.02  # a few children are missing now
    cursor = first
    interview: Interview | None = None
    for i, length in enumerate(durations):
        start = cursor + int(gaps[i] * scale)
        end: int | None = start + length
        if i == wanted - 1 and open_last:
            start = max(start, maker.horizon - rng.randint(60, 3 * 1440))
            end = None
        cursor = (end if end is not None else start) + GAP
        interview = episode(maker, child_id, council, start, end, placement, interview)


@dataclass
class Interview:
    """A return interview of the generator: the returns it covers and its course."""

    id: int
    child: int
    council: int
    returned: int
    course: dist.InterviewCourse
    episodes: list[int] = field(default_factory=list)


@dataclass
class Course:
    """How one episode goes, in minutes of the generator's clock."""

    pk: int
    start: int
    end: int | None
    reported: int
    force: int
    in_care: bool
    away: bool
    becomes_missing: bool
    status: str = EpisodeStatus.MISSING
    closed: int | None = None
    check: dist.CheckCourse | None = None


def episode(
    maker: Synthesizer,
    child_id: int,
    council: CouncilPlan,
    start: int,
    end: int | None,
    placement: tuple[int, int, int] | None,
    interview: Interview | None,
) -> Interview | None:
    course = plan_episode(maker, council, start, end, placement)
    if end is not None:
        course.status = EpisodeStatus.RETURNED
        course.check = dist.check_course(maker.rng, end, maker.horizon)
        closed = interview.course.closed if interview else None
        if interview is None or (closed is not None and closed <= end):
            interview = new_interview(maker, child_id, council, end)
        interview.episodes.append(course.pk)
        done = interview.course.closed
        if course.check is not None and done is not None:
            closing = max(course.check.recorded, done) + maker.rng.randint(10, 600)
            if closing <= maker.horizon:
                course.closed, course.status = closing, EpisodeStatus.CLOSED
    write_episode(maker, child_id, council, placement, course)
    write_changes(maker, course)
    if course.check is not None:
        write_check(maker, course.pk, course.force, course.check)
    if interview is not None and end is not None and len(interview.episodes) == 1:
        write_interview(maker, interview)
    elif interview is not None and end is not None:
        through = ReturnInterview.episodes.through
        maker.sink.add(through, id=maker.sink.new_id(through), returninterview_id=interview.id,
                       episode_id=course.pk)  # fmt: skip
    return interview


def plan_episode(
    maker: Synthesizer,
    council: CouncilPlan,
    start: int,
    end: int | None,
    placement: tuple[int, int, int] | None,
) -> Course:
    rng = maker.rng
    pk = maker.sink.new_id(Episode)
    maker.episode_index += 1
    in_care = placement is not None and start >= placement[2]
    away = in_care and rng.random() < dist.AWAY_SHARE
    becomes_missing = away and end is not None and end - start > 240 and rng.random() < 0.1
    force = council.force
    if in_care and placement is not None:
        force = maker.by_org[placement[1]].force
    reported = start + rng.randint(20, 240)
    if end is not None:
        reported = min(reported, end)
    reported = min(reported, maker.horizon)
    return Course(pk, start, end, reported, force, in_care, away, becomes_missing)


def write_episode(
    maker: Synthesizer,
    child_id: int,
    council: CouncilPlan,
    placement: tuple[int, int, int] | None,
    course: Course,
) -> None:
    rng, at = maker.rng, maker.at
    end, closed, reported = course.end, course.closed, course.reported
    course_grade = maker.pick_grade()
    maker.sink.add(
        Episode,
        id=course.pk,
        reference=reference(maker.episode_index, maker.salt),
        child_id=child_id,
        status=course.status,
        classification="A" if course.away and not course.becomes_missing else "M",
        reported_at=at(reported),
        reporting_organisation_id=course.force if rng.random() < 0.7 else council.org,
        reporter_type=("home_staff" if course.in_care else "parent"),
        last_seen_at=at(course.start),
        last_seen_location=f"Near {rng.choice(text.PLACES)}",
        missing_from="placement" if course.in_care else "home",
        police_force_id=course.force,
        placement_id=placement[0] if course.in_care and placement else None,
        risk_grade=course_grade,
        returned_at=at(end) if end is not None else None,
        return_method=maker.pick_method() if end is not None else "",
        closed_at=at(closed) if closed is not None else None,
        version=1 + (end is not None) + (closed is not None) + course.becomes_missing,
        created_at=at(reported),
        updated_at=at(closed or end or reported),
    )
    maker.sink.add(RiskAssessment, id=maker.sink.new_id(RiskAssessment), episode_id=course.pk,
                   grade=course_grade, rationale="Initial grading",
                   decided_at=at(reported))  # fmt: skip


def write_changes(maker: Synthesizer, course: Course) -> None:
    """The classification history and the timeline of the report, return and close."""
    rng, sink, at, pk = maker.rng, maker.sink, maker.at, course.pk
    end, reported = course.end, course.reported
    sink.add(ClassificationChange, id=sink.new_id(ClassificationChange), episode_id=pk,
             classification="A" if course.away else "M", changed_at=at(reported),
             reason="Initial report")  # fmt: skip
    timeline = [(TimelineKind.REPORT, reported, "Reported missing.")]
    if course.becomes_missing and end is not None:
        changed = rng.randint(reported, end)
        sink.add(ClassificationChange, id=sink.new_id(ClassificationChange), episode_id=pk,
                 classification="M", changed_at=at(changed),
                 reason="Whereabouts no longer known")  # fmt: skip
        timeline.append((TimelineKind.CLASSIFICATION, changed, "Classification changed."))
    if end is not None:
        timeline.append((TimelineKind.RETURN, end, "Returned."))
    if course.closed is not None:
        timeline.append((TimelineKind.CLOSE, course.closed, "Episode closed."))
    for kind, minute, summary in timeline:
        sink.add(TimelineEntry, id=sink.new_id(TimelineEntry), episode_id=pk, kind=kind,
                 occurred_at=at(minute), summary=summary, recorded_at=at(minute))  # fmt: skip


def write_check(maker: Synthesizer, pk: int, force: int, check: dist.CheckCourse) -> None:
    maker.sink.add(
        SafeAndWellCheck,
        id=maker.sink.new_id(SafeAndWellCheck),
        episode_id=pk,
        status=CheckStatus.DONE if check.done else CheckStatus.NOT_DONE,
        conducted_at=maker.at(check.conducted) if check.conducted is not None else None,
        not_done_reason="" if check.done else "The child declined to speak to officers.",
        organisation_id=force,
        recorded_at=maker.at(check.recorded),
    )


def new_interview(
    maker: Synthesizer, child_id: int, council: CouncilPlan, returned: int
) -> Interview:
    """What the interview services would record, drawn as the demo draws it."""
    course = dist.interview_course(maker.rng, returned, maker.horizon)
    return Interview(maker.sink.new_id(ReturnInterview), child_id, council.org, returned, course)


def write_interview(maker: Synthesizer, plan: Interview) -> None:
    at, sink, course = maker.at, maker.sink, plan.course
    sink.add(
        ReturnInterview,
        id=plan.id,
        child_id=plan.child,
        council_id=plan.council,
        provider_id=plan.council,
        status=course.status,
        due_at=at(plan.returned) + INTERVIEW_DUE,
        offered_at=at(course.offered) if course.offered is not None else None,
        offer_method="phone" if course.offered is not None else "",
        outcome=course.outcome,
        done_at=at(course.done) if course.done is not None else None,
        interviewer_kind="independent" if course.done is not None else "",
        closed_at=at(course.closed) if course.closed is not None else None,
        created_at=at(plan.returned),
        updated_at=at(course.closed or course.offered or plan.returned),
    )
    through = ReturnInterview.episodes.through
    sink.add(through, id=sink.new_id(through), returninterview_id=plan.id,
             episode_id=plan.episodes[0])  # fmt: skip


def reference(index: int, salt: int) -> str:
    """Unique for every index below 2**40: an odd multiplier is a bijection modulo 2**40."""
    value = (index * 0x9E3779B97F + salt) % (1 << 40)
    letters = []
    for _ in range(8):
        value, digit = divmod(value, 32)
        letters.append(dist.REFERENCE_ALPHABET[digit])
    return "HW-" + "".join(letters)
