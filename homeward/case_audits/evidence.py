"""The evidence for each question of the standard, filled in from the record.

For each episode of a case (the episode itself, or every episode of the child starting in
the audit's period on the council's record) each question gets the facts found, with
their dates, and what the record suggests (met, partly, not met, not applicable). The
suggestion helps the auditor; the judgement is theirs. The rules, question by question,
are in docs/case-audit.md; ``standard`` has the questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from homeward.aftercare.codes import InterviewOutcome
from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
from homeward.case_audits.models import CaseAudit, Judgement, SampledCase
from homeward.case_audits.standard import KEYS
from homeward.core import clock
from homeward.episodes.models import Episode, RiskGrade, TimelineKind
from homeward.insights import counting
from homeward.insights.models import BoardReport, EpisodeFact
from homeward.safeguarding.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlanReview,
    PlanVersion,
    ReviewStatus,
)

INTERVIEW_HOURS = 72
# How long after the return the plan and the meeting are looked for.
FOLLOW_UP = timedelta(days=28)
# Timeline entries that bring new information: risk should be looked at again.
CHANGES = {TimelineKind.SIGHTING, TimelineKind.CALL, TimelineKind.FURTHER_REPORT}


@dataclass(frozen=True)
class Fact:
    when: datetime | date | None
    text: str


@dataclass
class Finding:
    """One question for one episode: the facts and what they suggest."""

    facts: list[Fact] = field(default_factory=list)
    suggested: str = Judgement.NOT_MET


@dataclass
class EpisodeEvidence:
    episode: Episode
    findings: dict[str, Finding]


def case_episodes(audit: CaseAudit, case: SampledCase) -> QuerySet[Episode]:
    """The episodes a case covers, first first."""
    if case.episode_id is not None:
        found = Episode.objects.filter(pk=case.episode_id)
    else:
        ids = EpisodeFact.objects.filter(
            council_id=audit.council_id,
            start_date__gte=audit.period_start,
            start_date__lte=audit.period_end,
        ).values("episode_id")
        found = Episode.objects.filter(child_id=case.child_id, pk__in=ids)
    return found.order_by("last_seen_at", "pk").prefetch_related(
        "risk_history", "timeline", "classification_history"
    )


def for_case(audit: CaseAudit, case: SampledCase) -> list[EpisodeEvidence]:
    episodes = list(case_episodes(audit, case))
    ids = [e.pk for e in episodes]
    checks = {c.episode_id: c for c in SafeAndWellCheck.objects.filter(episode_id__in=ids)}
    interviews: dict[int, ReturnInterview] = {}
    for found in ReturnInterview.objects.filter(episodes__in=ids).prefetch_related("episodes"):
        for covered in found.episodes.all():
            interviews.setdefault(covered.pk, found)
    repeat = set(
        EpisodeFact.objects.filter(episode_id__in=ids, rolling_repeat=True).values_list(
            "episode_id", flat=True
        )
    )
    context = _ChildContext.load(case.child_id, audit.council_id)
    return [
        EpisodeEvidence(
            e,
            {
                "risk": risk(e),
                "check": check(e, checks.get(e.pk)),
                "interview": interview(e, interviews.get(e.pk)),
                "words": words(e, interviews.get(e.pk), checks.get(e.pk)),
                "plan": plan(e, context),
                "meeting": meeting(e, context, e.pk in repeat),
                "board": board(e, context),
            },
        )
        for e in episodes
    ]


def combined(evidence: list[EpisodeEvidence]) -> dict[str, str]:
    """What the record suggests for the whole case: met if every applicable episode met
    it, not met if none did, partly otherwise; not applicable if it applied to none."""
    out: dict[str, str] = {}
    for key in KEYS:
        marks = [e.findings[key].suggested for e in evidence]
        applicable = [m for m in marks if m != Judgement.NOT_APPLICABLE]
        if not applicable:
            out[key] = Judgement.NOT_APPLICABLE
        elif all(m == Judgement.MET for m in applicable):
            out[key] = Judgement.MET
        elif all(m == Judgement.NOT_MET for m in applicable):
            out[key] = Judgement.NOT_MET
        else:
            out[key] = Judgement.PARTLY
    return out


def _until(episode: Episode) -> datetime:
    """The end of the follow-up window: 28 days after the return (or from now)."""
    return (episode.returned_at or clock.now()) + FOLLOW_UP


# --- the questions ---------------------------------------------------------------------


def risk(episode: Episode) -> Finding:
    gradings = sorted(episode.risk_history.all(), key=lambda r: (r.decided_at, r.pk))
    facts = [
        Fact(r.decided_at, f"Graded {r.get_grade_display().lower()}: {r.rationale[:120]}")
        for r in gradings
    ]
    changes = sorted(
        [t.occurred_at for t in episode.timeline.all() if t.kind in CHANGES]
        + [c.changed_at for c in episode.classification_history.all()][1:]
    )
    if changes:
        facts.append(Fact(changes[0], f"Things changed ({len(changes)} new pieces of information)"))
    if not gradings:
        return Finding([*facts, Fact(None, "No risk grading recorded")], Judgement.NOT_MET)
    if not changes:
        return Finding(facts, Judgement.MET)
    regraded = any(r.decided_at >= changes[0] for r in gradings[1:])
    if not regraded:
        facts.append(Fact(None, "Not re-graded after the change"))
    return Finding(facts, Judgement.MET if regraded else Judgement.PARTLY)


def check(episode: Episode, found: SafeAndWellCheck | None) -> Finding:
    if episode.returned_at is None:
        return Finding([Fact(None, "Not returned yet")], Judgement.NOT_APPLICABLE)
    if found is None:
        return Finding([Fact(None, "No safe and well check recorded")], Judgement.NOT_MET)
    if found.status != "done":
        text = f"Not done: {found.not_done_reason[:120]}"
        return Finding([Fact(found.recorded_at, text)], Judgement.NOT_MET)
    facts = [Fact(found.conducted_at, f"Done by {found.officer_name or 'the police'}")]
    if found.shared_with.strip():
        facts.append(Fact(found.recorded_at, f"Shared with {found.shared_with[:120]}"))
        return Finding(facts, Judgement.MET)
    facts.append(Fact(None, "Not recorded as shared"))
    return Finding(facts, Judgement.PARTLY)


def interview(episode: Episode, found: ReturnInterview | None) -> Finding:
    back = episode.returned_at
    if back is None:
        return Finding([Fact(None, "Not returned yet")], Judgement.NOT_APPLICABLE)
    if found is None or found.offered_at is None:
        reason = f": {found.outcome_reason[:120]}" if found and found.outcome_reason else ""
        return Finding([Fact(None, f"Not offered{reason}")], Judgement.NOT_MET)
    deadline = back + timedelta(hours=INTERVIEW_HOURS)
    facts = [Fact(found.offered_at, f"Offered by {found.offered_by or 'the council'}")]
    if found.done_at is not None:
        hours = (found.done_at - back).total_seconds() / 3600
        on_time = found.done_at <= deadline
        facts.append(Fact(found.done_at, f"Done {hours:.0f} hours after the return"))
        return Finding(facts, Judgement.MET if on_time else Judgement.PARTLY)
    if found.outcome == InterviewOutcome.DECLINED:
        facts.append(Fact(None, "Declined by the child"))
        return Finding(facts, Judgement.PARTLY)
    facts.append(Fact(None, "Not done"))
    return Finding(facts, Judgement.PARTLY if clock.now() < deadline else Judgement.NOT_MET)


def words(
    episode: Episode, found: ReturnInterview | None, seen: SafeAndWellCheck | None
) -> Finding:
    if episode.returned_at is None:
        return Finding([Fact(None, "Not returned yet")], Judgement.NOT_APPLICABLE)
    if found is not None and found.child_account.strip():
        text = "The child's account is in the return interview"
        return Finding([Fact(found.done_at, text)], Judgement.MET)
    if seen is not None and seen.child_account.strip():
        return Finding(
            [Fact(seen.conducted_at, "The child's account is in the safe and well check only")],
            Judgement.PARTLY,
        )
    return Finding([Fact(None, "No account in the child's words")], Judgement.NOT_MET)


@dataclass
class _ChildContext:
    """What the plan, meeting and board questions need about the child and the council,
    read once for a case."""

    versions: list[PlanVersion]
    reviews: list[PlanReview]
    meetings: list[Meeting]
    reports: dict[tuple[int, int], BoardReport]

    @classmethod
    def load(cls, child_id: int, council_id: int) -> _ChildContext:
        return cls(
            list(PlanVersion.objects.filter(plan__child_id=child_id).order_by("changed_at")),
            list(PlanReview.objects.filter(child_id=child_id).order_by("opened_at")),
            list(
                Meeting.objects.filter(child_id=child_id, kind=MeetingKind.STRATEGY).order_by(
                    "scheduled_for"
                )
            ),
            {
                (r.year, r.quarter): r
                for r in BoardReport.objects.filter(council_id=council_id).defer("pdf", "html")
            },
        )


def _within(when: datetime | None, episode: Episode) -> bool:
    return when is not None and episode.last_seen_at <= when <= _until(episode)


def plan(episode: Episode, context: _ChildContext) -> Finding:
    versions = [v for v in context.versions if _within(v.changed_at, episode)]
    facts = [Fact(v.changed_at, f"Plan version {v.number} written") for v in versions]
    done = [
        r for r in context.reviews if r.status == ReviewStatus.DONE and _within(r.done_at, episode)
    ]
    facts += [Fact(r.done_at, f"Plan reviewed ({r.get_trigger_display().lower()})") for r in done]
    if versions:
        return Finding(facts, Judgement.MET)
    if done:
        return Finding(facts, Judgement.PARTLY)
    if not context.versions:
        return Finding([Fact(None, "The child has no risk management plan")], Judgement.NOT_MET)
    return Finding([Fact(None, "The plan was not updated")], Judgement.NOT_MET)


def meeting(episode: Episode, context: _ChildContext, repeat: bool) -> Finding:
    grades = {r.grade for r in episode.risk_history.all()} | {episode.risk_grade}
    reasons = (["graded high risk"] if RiskGrade.HIGH in grades else []) + (
        ["met the repeat rule"] if repeat else []
    )
    if not reasons:
        return Finding([Fact(None, "Threshold not met")], Judgement.NOT_APPLICABLE)
    facts = [Fact(episode.last_seen_at, f"Threshold met: {' and '.join(reasons)}")]
    found = [m for m in context.meetings if _within(m.scheduled_for, episode)]
    facts += [
        Fact(m.held_at or m.scheduled_for, f"Strategy meeting {m.get_status_display().lower()}")
        for m in found
    ]
    if any(m.status == MeetingStatus.HELD for m in found):
        return Finding(facts, Judgement.MET)
    if any(m.status == MeetingStatus.PLANNED for m in found):
        return Finding(facts, Judgement.PARTLY)
    return Finding([*facts, Fact(None, "No strategy meeting held")], Judgement.NOT_MET)


def board(episode: Episode, context: _ChildContext) -> Finding:
    started = episode.last_seen_at.astimezone(clock.UK).date()
    year, quarter = counting.quarter_of(started)
    label = counting.quarter_label(year, quarter)
    report = context.reports.get((year, quarter))
    if report is not None:
        return Finding([Fact(report.generated_at, f"Board report for {label} made")], Judgement.MET)
    if clock.now().astimezone(clock.UK).date() < counting.quarter_bounds(year, quarter)[1]:
        return Finding([Fact(None, f"{label} has not ended yet")], Judgement.NOT_APPLICABLE)
    return Finding([Fact(None, f"No board report for {label}")], Judgement.NOT_MET)
