"""Return interviews with known words, recorded through the real services, for the theme
tests: ``said`` writes one child's interview (report, return, offer, accept, record)."""

from __future__ import annotations

from datetime import datetime, timedelta

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import ReturnInterview
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.organisations.models import Organisation, Role
from tests import factories


def said(
    council: Organisation,
    last_seen_at: datetime,
    *,
    account: str = "",
    would_help: str = "",
    push: list[str] | None = None,
    pull: list[str] | None = None,
    risks: list[str] | None = None,
    consent: bool = False,
    child: Child | None = None,
) -> ReturnInterview:
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    child = child or factories.ChildFactory(responsible_council=council)
    episode = factories.report(worker, child, last_seen_at=last_seen_at)
    episode.refresh_from_db()
    episodes.record_return(
        worker,
        episode.reference,
        episode.version,
        episodes.Return(last_seen_at + timedelta(hours=5), "returned_self"),
    )
    interview = ReturnInterview.objects.get(episodes=episode)
    return record(
        coordinator, interview, last_seen_at, account, would_help, push, pull, risks, consent
    )


def record(
    coordinator: Actor,
    interview: ReturnInterview,
    when: datetime,
    account: str,
    would_help: str,
    push: list[str] | None,
    pull: list[str] | None,
    risks: list[str] | None,
    consent: bool,
) -> ReturnInterview:
    interview = aftercare.record_offer(
        coordinator,
        interview.pk,
        interview.version,
        offered_at=when + timedelta(hours=6),
        offered_by="Alex Merrow",
        offer_method="phone",
    )
    interview = aftercare.record_outcome(
        coordinator, interview.pk, interview.version, outcome="accepted"
    )
    return aftercare.record_interview(
        coordinator,
        interview.pk,
        interview.version,
        aftercare.InterviewRecord(
            done_at=when + timedelta(hours=30),
            interviewer_name="Alex Merrow",
            interviewer_kind="independent",
            child_account=account,
            what_would_help=would_help,
            push_factors=push or [],
            pull_factors=pull or [],
            risks_found=risks or [],
            quote_consent=consent,
        ),
    )
