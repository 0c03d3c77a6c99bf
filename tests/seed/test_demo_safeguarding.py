"""The demo's profiles, plans and home protocols: there to be seen on `make run`, and
keeping the rules the services keep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.organisations.models import Membership
from homeward.safeguarding.models import (
    HomeProtocol,
    MissingProfile,
    PlanVersion,
    ProtocolRun,
    RiskPlan,
)
from homeward.seed import demo
from homeward.seed.plan import DemoResult

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def demo_area(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoResult]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=MD5),
        transaction.atomic(),
    ):
        result = demo.load(now=NOW)
        yield result
        transaction.set_rollback(True)


class TestDemoSafeguarding:
    def test_children_who_go_missing_again_have_profiles_some_needing_attention(
        self, db: None, demo_area: DemoResult
    ) -> None:
        repeaters = Child.objects.filter(added_by_organisation__isnull=True).filter(
            pk__in=Episode.objects.values("child_id")
        )
        profiles = MissingProfile.objects.all()
        assert demo_area.counts["missing profiles"] == profiles.count()
        assert profiles.count() > repeaters.count() // 2
        assert profiles.filter(review_date__lt=NOW.date()).exists()
        for profile in profiles.select_related("child__current_placement", "owner"):
            placement = profile.child.current_placement
            home = placement.provider_id if placement is not None else None
            assert profile.owner_id in {home, profile.child.responsible_council_id}
            assert profile.associates, "someone to ring"
            assert all(a["phone"].startswith("07700 900") for a in profile.associates)

    def test_plans_are_versioned_from_one_and_owned_at_the_responsible_council(
        self, db: None, demo_area: DemoResult
    ) -> None:
        plans = RiskPlan.objects.select_related("child").prefetch_related("versions")
        assert plans.exists()
        revised = 0
        for plan in plans:
            numbers = sorted(v.number for v in plan.versions.all())
            assert numbers == list(range(1, plan.current_version + 1))
            revised += plan.current_version > 1
            assert plan.owner_organisation_id == plan.child.responsible_council_id
            assert Membership.objects.filter(
                user_id=plan.owner_id, organisation_id=plan.owner_organisation_id
            ).exists()
            current = next(v for v in plan.versions.all() if v.number == plan.current_version)
            assert current.if_missing, "what to do if this child goes missing"
        assert revised > 0
        assert PlanVersion.objects.filter(number=2).exclude(change_note="").exists()

    def test_every_home_has_a_protocol_and_runs_keep_its_steps_in_time(
        self, db: None, demo_area: DemoResult
    ) -> None:
        assert HomeProtocol.objects.count() == 3
        runs = ProtocolRun.objects.select_related("episode").prefetch_related("steps")
        assert runs.exists()
        for run in runs:
            protocol = HomeProtocol.objects.get(home_id=run.home_id)
            assert [s.text for s in run.steps.all()] == [s.text for s in protocol.steps.all()]
            assert run.episode.placement is not None
            assert run.episode.placement.provider_id == run.home_id
            done = [s.done_at for s in run.steps.all() if s.done_at is not None]
            assert all(t >= run.episode.last_seen_at for t in done)
            assert all(t <= NOW for t in done)
            if run.signed_off_at is not None:
                assert all(s.done_at or s.not_done_reason for s in run.steps.all())
                assert run.signed_off_at >= max(done)
        late = [r for r in runs if r.signed_off_at and r.signed_off_at > r.sign_off_due_at]
        assert late, "a few sign-offs are late, so the figures show it"
        assert any(
            r.police_told_at is not None
            and r.police_told_at - r.noticed_at > timedelta(minutes=r.police_due_minutes or 0)
            for r in runs
        )
