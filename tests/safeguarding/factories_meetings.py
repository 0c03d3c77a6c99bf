"""A council's children with just enough of a story for each agenda section, written
straight to the tables (test set-up only: no handler runs), and meetings opened through
the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeward.aftercare.models import CheckStatus, ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, Role, User
from homeward.safeguarding.models import (
    HarbouringNotice,
    Meeting,
    MeetingKind,
    NoticeBreach,
    PersonLink,
    PersonOfConcern,
    Place,
    PlaceRole,
    PlanReview,
    ReviewTrigger,
)
from homeward.safeguarding.services import meetings, reviews
from tests import factories
from tests.safeguarding.factories_places import a_place, link
from tests.safeguarding.factories_plan import write_plan

_refs = itertools.count(1)


def days_ago(days: float) -> datetime:
    return clock.now() - timedelta(days=days)


def episode(child: Child, days: float, *, grade: str = "medium", checked: bool = True) -> Episode:
    """A returned episode ``days`` ago (back five hours later), its safe and well check
    recorded unless ``checked=False``."""
    council = child.responsible_council
    assert council.police_force is not None
    at = days_ago(days)
    found = Episode.objects.create(
        reference=f"HW-M{next(_refs):06d}",
        child=child,
        status="returned",
        classification="M",
        reported_at=at,
        reporting_organisation=council,
        reporter_type="parent",
        last_seen_at=at,
        last_seen_location="Synthetic",
        missing_from="home",
        police_force=council.police_force,
        risk_grade=grade,
        returned_at=at + timedelta(hours=5),
        return_method="returned_self",
    )
    if checked:
        SafeAndWellCheck.objects.create(
            episode=found,
            status=CheckStatus.DONE,
            conducted_at=at + timedelta(hours=8),
            organisation=council.police_force,
            recorded_at=at + timedelta(hours=8),
        )
    return found


def interview_due(child: Child, ep: Episode, due: datetime) -> ReturnInterview:
    interview = ReturnInterview.objects.create(
        child=child,
        council=child.responsible_council,
        due_at=due,
        created_at=due - timedelta(hours=72),
        provider=child.responsible_council,
    )
    interview.episodes.add(ep)
    return interview


def person(name: str, *children: Child) -> PersonOfConcern:
    now = clock.now()
    found = PersonOfConcern.objects.create(name=name, created_at=now, updated_at=now)
    for child in children:
        PersonLink.objects.create(
            person=found,
            child=child,
            nature="Seen with the child",
            source="Return interview",
            source_evaluation="B",
            information_assessment="2",
            recorded_at=now,
        )
    return found


@dataclass
class AgendaWorld:
    """Council K (force P) and its children A..D, each on the agenda for a reason; E of
    council X, on nobody's agenda of K's."""

    council: Organisation
    police: Organisation
    other: Organisation
    coordinator: Actor
    worker: User
    a: Child
    b: Child
    c: Child
    d: Child
    e: Child
    b_high: Episode
    d_episode: Episode
    d_interview: ReturnInterview
    c_review: int
    q: PersonOfConcern
    notice: HarbouringNotice
    place: Place


def agenda_world() -> AgendaWorld:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    other = factories.CouncilFactory(police_force=police)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    worker = factories.member(Role.SOCIAL_WORKER, council, first_name="Sam", last_name="Okafor")
    a, b, c, d = (factories.ChildFactory(responsible_council=council) for _ in range(4))
    e = factories.ChildFactory(responsible_council=other)
    a_eps = [episode(a, days) for days in (10, 30, 50)]  # three in 90 days: repeat
    b_high = episode(b, 20, grade="high")
    write_plan(Actor.for_user(worker), b, worker)
    episode(c, 120)  # before the period: C is on the agenda only for its review
    write_plan(Actor.for_user(worker), c, worker)
    reviews.open_review(c, ReviewTrigger.REVIEW_DATE, f"review_date:test:{c.pk}", "Review date")
    d_episode = episode(d, 5, checked=False)  # its check overdue (24 hours)
    d_interview = interview_due(d, d_episode, days_ago(2))
    for days in (3, 6, 9):
        episode(e, days)
    q = person("Quentin Marsh", a, b)
    person("Rory Vale", a)  # one child only: not on the agenda
    now = clock.now()
    notice = HarbouringNotice.objects.create(
        reference="CAWN-T1",
        person=q,
        force=police,
        issued_on=(now - timedelta(days=10)).date(),
        review_on=(now + timedelta(days=170)).date(),
        expires_on=(now + timedelta(days=355)).date(),
        issued_at=now - timedelta(days=10),
    )
    notice.children.add(a)
    NoticeBreach.objects.create(notice=notice, child=a, occurred_at=days_ago(5), recorded_at=now)
    place = a_place("Riverside bandstand", council, "AB1 2CD")
    for child, ep in ((a, a_eps[0]), (b, b_high), (d, d_episode)):
        link(place, child, PlaceRole.FOUND, ep.last_seen_at, episode=ep)
    return AgendaWorld(
        council,
        police,
        other,
        coordinator,
        worker,
        a,
        b,
        c,
        d,
        e,
        b_high,
        d_episode,
        d_interview,
        PlanReview.objects.get(source_key=f"review_date:test:{c.pk}").pk,
        q,
        notice,
        place,
    )


def open_panel(by: Actor, *, days_ahead: float = 0, **changes: object) -> Meeting:
    data = meetings.MeetingInput(
        kind=str(changes.pop("kind", MeetingKind.PANEL)),
        scheduled_for=clock.now() + timedelta(days=days_ahead),
        location=str(changes.pop("location", "Room 4, County Hall")),
        chair=str(changes.pop("chair", "Jo Reid, missing coordinator")),
        members=list(changes.pop("members", [])),  # type: ignore[call-overload]
        **changes,  # type: ignore[arg-type]
    )
    return meetings.open_meeting(by, data)
