"""Factories for tests: every person and place here is synthetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import factory

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import SafeAndWellCheck
from homeward.children.codes import Ethnicity, LegalStatusKind, PlacementType, Sex
from homeward.children.models import Child, LegalStatus, Placement
from homeward.core import clock
from homeward.core.actor import CHANNEL_UI, Actor
from homeward.episodes import services as episode_services
from homeward.episodes.models import Classification, Episode, MissingFrom, ReporterType
from homeward.organisations.models import (
    ApiToken,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple-42"


def marker(stem: str, n: int) -> str:
    """A name that occurs nowhere else: ``stem`` and four letters from ``n``.

    Children's names are made this way so that a test asserting a child's name is *not*
    on a page cannot pass or fail by chance (a generated surname can also be a member of
    staff's, or part of an organisation's name). Every marker is the same length, so no
    child's name is part of another's."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return stem + letters


class PoliceForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.POLICE
    name = factory.Sequence(lambda n: f"Test Police {n}")
    code = factory.Sequence(lambda n: f"F{n:02d}")


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COUNCIL
    name = factory.Sequence(lambda n: f"Test Council {n}")
    code = factory.Sequence(lambda n: f"{800 + n}")
    police_force = factory.SubFactory(PoliceForceFactory)


class CareProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.CARE_PROVIDER
    name = factory.Sequence(lambda n: f"Test Children's Home {n}")
    code = factory.Sequence(lambda n: f"SC{n:06d}")
    area_council = factory.SubFactory(CouncilFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def member(role: str, organisation: Organisation, **user_kwargs: object) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def actor(role: str, organisation: Organisation, channel: str = CHANNEL_UI) -> Actor:
    return Actor.for_user(member(role, organisation), channel=channel)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Sequence(lambda n: marker("Ysolde", n))
    last_name = factory.Sequence(lambda n: marker("Quarrington", n))
    date_of_birth = factory.LazyFunction(lambda: clock.now().date() - timedelta(days=365 * 14))
    sex = Sex.FEMALE
    ethnicity = Ethnicity.WBRI
    responsible_council = factory.SubFactory(CouncilFactory)


def looked_after(child: Child, since: date | None = None) -> Child:
    LegalStatus.objects.create(
        child=child,
        status=LegalStatusKind.LOOKED_AFTER,
        start_date=since or child.date_of_birth + timedelta(days=365),
    )
    return child


def place(
    child: Child,
    provider: Organisation | None = None,
    host: Organisation | None = None,
    start: date | None = None,
    placement_type: str = PlacementType.K2,
) -> Placement:
    """Give the child a current placement (bypassing the service: test set-up only)."""
    if child.current_placement is not None:
        child.current_placement.end_date = start or clock.now().date()
        child.current_placement.save()
    placement = Placement.objects.create(
        child=child,
        placement_type=placement_type,
        provider=provider,
        host_council=host or child.responsible_council,
        start_date=start or clock.now().date() - timedelta(days=200),
    )
    child.current_placement = placement
    child.save()
    return placement


def report(
    by: Actor,
    child: Child,
    *,
    hours_ago: float = 6,
    grade: str = "medium",
    classification: str = Classification.MISSING,
    **overrides: object,
) -> Episode:
    """Report a child missing through the real service."""
    last_seen: datetime = overrides.pop("last_seen_at", None) or (  # type: ignore[assignment]
        clock.now() - timedelta(hours=hours_ago)
    )
    details = episode_services.Report(
        classification=classification,
        last_seen_at=last_seen,
        last_seen_location=str(overrides.pop("last_seen_location", "Outside the bus station")),
        missing_from=str(overrides.pop("missing_from", MissingFrom.HOME)),
        reporter_type=str(overrides.pop("reporter_type", ReporterType.PARENT)),
        risk_grade=grade,
        risk_rationale=str(overrides.pop("risk_rationale", "No previous episodes; upset at home")),
        **overrides,  # type: ignore[arg-type]
    )
    return episode_services.report_missing(by, child.pk, details).episode


def record_aftercare(episode: Episode) -> None:
    """Record a returned episode's safe and well check as not done and its return interview
    as not offered, each with a reason, through the real services: what closing needs."""
    if not SafeAndWellCheck.objects.filter(episode=episode).exists():
        aftercare.record_check(
            actor(Role.POLICE_OFFICER, episode.police_force),
            episode.reference,
            aftercare.CheckDetails(done=False, not_done_reason="The child was asleep"),
        )
    for interview in episode.return_interviews.filter(closed_at__isnull=True):
        aftercare.record_outcome(
            actor(Role.COUNCIL_MISSING_COORDINATOR, interview.council),
            interview.pk,
            None,
            outcome="not_offered",
            reason="The child moved out of the area the next morning",
        )


def returned_at(episode: Episode) -> datetime:
    """When a returned episode's child came back (the field is empty while they are missing)."""
    assert episode.returned_at is not None, f"{episode.reference} has not returned"
    return episode.returned_at


def api_token(user: User, days: int = 90) -> str:
    """An API bearer token for ``user``; returns the token itself (only its hash is kept)."""
    return ApiToken.issue(user, days=days)[1]


__all__ = ["Role"]
