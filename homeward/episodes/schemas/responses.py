"""What the episode endpoints answer with. An episode's response covers the whole
episode: risk history, classification history, timeline, return, linked episodes, version."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from homeward.aftercare.schemas import CheckOut, InterviewSummaryOut
from homeward.aftercare.services import EpisodeAftercare, episode_aftercare
from homeward.core.actor import Actor
from homeward.core.api import Versioned
from homeward.core.schemas import OrganisationOut
from homeward.episodes import steps, visibility
from homeward.episodes.models import ClassificationChange, Episode, RiskAssessment, TimelineEntry
from homeward.episodes.services import Written
from homeward.organisations.models import Organisation, User
from homeward.safeguarding.schemas.profiles import ProfileForPoliceOut


def _org(org: Organisation | None) -> OrganisationOut | None:
    return OrganisationOut.model_validate(org) if org is not None else None


def _name(user: User | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class EpisodeChildOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date


class RiskAssessmentOut(Schema):
    grade: str
    legacy_grade: str
    rationale: str
    information_used: str
    information_source: str
    information_obtained_at: datetime | None
    decided_by: str | None
    decided_by_organisation: OrganisationOut | None
    decided_at: datetime


class ClassificationChangeOut(Schema):
    classification: str
    changed_at: datetime
    changed_by: str | None
    reason: str


class TimelineEntryOut(Schema):
    kind: str
    occurred_at: datetime
    summary: str
    location: str
    recorded_by: str | None
    recorded_by_organisation: OrganisationOut | None
    recorded_at: datetime


class ReturnOut(Schema):
    returned_at: datetime
    return_method: str
    found_location: str
    found_with: str
    harm_indicators: str
    found_police_force: OrganisationOut | None


class LinkedEpisodeOut(Schema):
    reference: str
    status: str
    last_seen_at: datetime


class StepOut(Schema):
    available: bool = Field(description="You can take this step now")
    reason: str = Field(
        description="Why not yet, when your role allows the step but the episode's state "
        "does not; blank otherwise"
    )


def _child_out(episode: Episode) -> EpisodeChildOut:
    child = episode.child
    return EpisodeChildOut(
        id=child.pk,
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
    )


def _return_out(episode: Episode) -> ReturnOut | None:
    if episode.returned_at is None:
        return None
    return ReturnOut(
        returned_at=episode.returned_at,
        return_method=episode.return_method,
        found_location=episode.found_location,
        found_with=episode.found_with,
        harm_indicators=episode.harm_indicators,
        found_police_force=_org(episode.found_police_force),
    )


def _risk_history(rows: Iterable[RiskAssessment]) -> list[RiskAssessmentOut]:
    return [
        RiskAssessmentOut(
            grade=r.grade,
            legacy_grade=r.legacy_grade,
            rationale=r.rationale,
            information_used=r.information_used,
            information_source=r.information_source,
            information_obtained_at=r.information_obtained_at,
            decided_by=_name(r.decided_by),
            decided_by_organisation=_org(r.decided_by_organisation),
            decided_at=r.decided_at,
        )
        for r in rows
    ]


def _classification_history(rows: Iterable[ClassificationChange]) -> list[ClassificationChangeOut]:
    return [
        ClassificationChangeOut(
            classification=c.classification,
            changed_at=c.changed_at,
            changed_by=_name(c.changed_by),
            reason=c.reason,
        )
        for c in rows
    ]


def _timeline(rows: Iterable[TimelineEntry]) -> list[TimelineEntryOut]:
    return [
        TimelineEntryOut(
            kind=t.kind,
            occurred_at=t.occurred_at,
            summary=t.summary,
            location=t.location,
            recorded_by=_name(t.recorded_by),
            recorded_by_organisation=_org(t.recorded_by_organisation),
            recorded_at=t.recorded_at,
        )
        for t in rows
    ]


def _linked_episodes(actor: Actor, episode: Episode) -> list[LinkedEpisodeOut]:
    """The episodes of children who went missing with this one, among those the actor
    may see."""
    linked = (
        visibility.visible_episodes(actor)
        .filter(pk__in=episode.went_missing_with.values("pk"))
        .order_by("last_seen_at", "pk")
    )
    return [
        LinkedEpisodeOut(reference=e.reference, status=e.status, last_seen_at=e.last_seen_at)
        for e in linked
    ]


def _histories(actor: Actor, episode: Episode, written: Written | None) -> dict[str, Any]:
    """The episode's risk and classification histories, timeline, linked episodes and
    aftercare: read, or, for an episode just reported, what the report wrote (it has no
    links, check or interview yet)."""
    risk: Iterable[RiskAssessment]
    classification: Iterable[ClassificationChange]
    timeline: Iterable[TimelineEntry]
    if written is not None:
        risk, classification = written.risk_history, written.classification_history
        timeline, linked = written.timeline, []
        aftercare = EpisodeAftercare(check=None, check_due_at=None, interview=None)
    else:
        risk = episode.risk_history.select_related("decided_by", "decided_by_organisation")
        classification = episode.classification_history.select_related("changed_by")
        timeline = episode.timeline.select_related("recorded_by", "recorded_by_organisation")
        linked = _linked_episodes(actor, episode)
        aftercare = episode_aftercare(episode)
    return {
        "risk_history": _risk_history(risk),
        "classification_history": _classification_history(classification),
        "timeline": _timeline(timeline),
        "linked_episodes": linked,
        "safe_and_well_check": (
            CheckOut.build(aftercare.check, episode.reference) if aftercare.check else None
        ),
        "return_interview": (
            InterviewSummaryOut.build(aftercare.interview) if aftercare.interview else None
        ),
    }


def _next_steps(actor: Actor, episode: Episode) -> dict[str, StepOut]:
    return {
        key: StepOut(available=step.available, reason=step.reason)
        for key, step in steps.for_episode(actor, episode).items()
        if step.allowed
    }


class EpisodeOut(Versioned):
    reference: str
    status: str = Field(description="missing, returned or closed")
    classification: str = Field(description="M missing, A away without authorisation")
    child: EpisodeChildOut
    reported_at: datetime
    reported_by: str | None
    reporting_organisation: OrganisationOut
    reporter_type: str
    reporter_name: str
    last_seen_at: datetime
    last_seen_location: str
    missing_from: str
    circumstances: str
    clothing: str
    last_seen_with: str = Field(description="Who the child was with when last seen")
    police_reference: str
    police_force: OrganisationOut
    risk_grade: str
    return_details: ReturnOut | None = Field(description="Null until the return is recorded")
    closed_at: datetime | None
    closed_by: str | None
    risk_history: list[RiskAssessmentOut]
    classification_history: list[ClassificationChangeOut]
    timeline: list[TimelineEntryOut]
    linked_episodes: list[LinkedEpisodeOut] = Field(
        description="Episodes of children who went missing together with this one, among "
        "those you may see"
    )
    safe_and_well_check: CheckOut | None = Field(
        description="The police safe and well check after the return; null until recorded"
    )
    return_interview: InterviewSummaryOut | None = Field(
        description="The return interview covering this episode (it may cover others too); "
        "null until the return. Its full record: /api/v1/return-interviews/{id}, for the "
        "interview's council and provider"
    )
    next_steps: dict[str, StepOut] = Field(
        description="Each change you may make to the episode (record_return, regrade, "
        "close, timeline, update, classify, link): whether you can make it now and, if "
        "your role allows it but not yet, why. Steps your role never allows are left out"
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def fields_for(
        cls, actor: Actor, episode: Episode, written: Written | None = None
    ) -> dict[str, Any]:
        """The response's fields; ``written``: what a report has just written of the
        episode, so that it is not read back."""
        return {
            "reference": episode.reference,
            "version": episode.version,
            "status": episode.status,
            "classification": episode.classification,
            "child": _child_out(episode),
            "reported_at": episode.reported_at,
            "reported_by": _name(episode.reported_by),
            "reporting_organisation": OrganisationOut.model_validate(
                episode.reporting_organisation
            ),
            "reporter_type": episode.reporter_type,
            "reporter_name": episode.reporter_name,
            "last_seen_at": episode.last_seen_at,
            "last_seen_location": episode.last_seen_location,
            "missing_from": episode.missing_from,
            "circumstances": episode.circumstances,
            "clothing": episode.clothing,
            "last_seen_with": episode.last_seen_with,
            "police_reference": episode.police_reference,
            "police_force": OrganisationOut.model_validate(episode.police_force),
            "risk_grade": episode.risk_grade,
            "return_details": _return_out(episode),
            "closed_at": episode.closed_at,
            "closed_by": _name(episode.closed_by),
            **_histories(actor, episode, written),
            "next_steps": _next_steps(actor, episode),
            "created_at": episode.created_at,
            "updated_at": episode.updated_at,
        }

    @classmethod
    def build(cls, actor: Actor, episode: Episode) -> "EpisodeOut":
        return cls(**cls.fields_for(actor, episode))


class PlanIfMissingOut(Schema):
    version: int = Field(description="The plan's version these steps are from")
    steps: list[str] = Field(description="The child's own steps, in order")
    report_after_minutes: int | None = Field(
        description="Tell the police once the child has been missing this long"
    )


class ReportOut(EpisodeOut):
    already_missing: bool = Field(
        description="True when the child already had an open episode: the report was added "
        "to that episode's timeline (status 200) instead of opening a new one (status 201)"
    )
    missing_profile: ProfileForPoliceOut | None = Field(
        None,
        description="The child's missing profile (Philomena Protocol part 1), given to the "
        "episode's police force with the report; null when the child has none, or your "
        "organisation may not see it",
    )
    plan_if_missing: PlanIfMissingOut | None = Field(
        None,
        description="What the child's risk management plan says to do now they are missing "
        "(shown to whoever reports them); null when the child has no plan, or your "
        "organisation may not see it",
    )


class EpisodeSummaryOut(Schema):
    reference: str
    version: int
    status: str
    classification: str
    risk_grade: str
    child: EpisodeChildOut
    last_seen_at: datetime
    missing_from: str
    returned_at: datetime | None
    police_force: OrganisationOut

    @classmethod
    def build(cls, episode: Episode) -> "EpisodeSummaryOut":
        return cls(
            reference=episode.reference,
            version=episode.version,
            status=episode.status,
            classification=episode.classification,
            risk_grade=episode.risk_grade,
            child=_child_out(episode),
            last_seen_at=episode.last_seen_at,
            missing_from=episode.missing_from,
            returned_at=episode.returned_at,
            police_force=OrganisationOut.model_validate(episode.police_force),
        )


class EpisodePageOut(Schema):
    count: int = Field(description="Episodes matching the filters, across all pages")
    page: int
    page_size: int
    items: list[EpisodeSummaryOut]
