"""`homeward demo`: the synthetic demo area loads, is deterministic, has the shape it
promises, keeps every rule the services keep, and its logins work and see what they should."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from itertools import pairwise
from typing import TypedDict

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker, Settings

from homeward.aftercare.models import (
    CLOSED_INTERVIEW_STATUSES,
    CheckStatus,
    InterviewStatus,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.aftercare.services import outstanding
from homeward.children.codes import LegalStatusKind, nhs_number_is_valid, upn_is_valid
from homeward.children.models import Child, Placement, WorkerAllocation
from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import (
    Classification,
    ClassificationChange,
    Episode,
    EpisodeStatus,
    RiskAssessment,
    TimelineEntry,
    TimelineKind,
)
from homeward.episodes.services import Report, report_missing
from homeward.events.models import DomainEvent
from homeward.insights import queries as q
from homeward.insights import tally
from homeward.insights.board import last_complete_quarter
from homeward.insights.counting import period_end_instant
from homeward.insights.models import EpisodeFact, ReasonFact
from homeward.notifications import delivery
from homeward.notifications.models import Notification
from homeward.organisations.models import Organisation, OrganisationKind, Role, User
from homeward.seed import demo, duplicates
from homeward.seed.plan import DemoResult
from tests import factories
from tests.factories import returned_at
from tests.insights import recount

# A fixed "now" keeps the shape checks exact. It is half an hour before the clocks go
# forward in Britain, so the window's ends straddle a clock change.
NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="class")
def demo_area(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoResult]:
    """The default-size demo, loaded once for TestDefaultArea and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=MD5),
        transaction.atomic(),
    ):
        result = demo.load(now=NOW)
        yield result
        transaction.set_rollback(True)


class Snapshot(TypedDict):
    children: list[tuple[str, str, date]]
    references: list[str]
    last_seen: list[datetime]
    police_references: list[str]
    counts: dict[str, int]


def snapshot() -> Snapshot:
    return {
        "children": list(
            Child.objects.order_by("pk").values_list("first_name", "last_name", "date_of_birth")
        ),
        "references": list(Episode.objects.order_by("pk").values_list("reference", flat=True)),
        "last_seen": list(Episode.objects.order_by("pk").values_list("last_seen_at", flat=True)),
        "police_references": list(
            Episode.objects.order_by("pk").values_list("police_reference", flat=True)
        ),
        "counts": demo.counts(),
    }


def check_invariants(now: datetime) -> None:
    """Every rule the episode services enforce, over every demo episode."""
    episodes = list(
        Episode.objects.select_related("child", "placement").prefetch_related(
            "child__legal_statuses"
        )
    )
    assert episodes
    by_child: dict[int, list[Episode]] = defaultdict(list)
    for e in episodes:
        by_child[e.child_id].append(e)
        check_episode(e, now)
    for child_episodes in by_child.values():
        check_one_childs_episodes(child_episodes)
    check_change_rows(episodes, now)
    check_aftercare(episodes, now)


def check_episode(e: Episode, now: datetime) -> None:
    """One episode's own fields: its times in order, its status and what it needs."""
    assert e.last_seen_at <= e.reported_at <= now, e.reference
    assert timezone.localdate(e.last_seen_at) >= e.child.date_of_birth
    if e.status == EpisodeStatus.MISSING:
        assert e.returned_at is None, e.reference
        assert e.closed_at is None, e.reference
    else:
        assert e.returned_at is not None, e.reference
        assert e.return_method, e.reference
        assert e.reported_at <= e.returned_at <= now, e.reference
    if e.status == EpisodeStatus.CLOSED:
        assert e.closed_at is not None
        assert returned_at(e) <= e.closed_at <= now
        assert e.closed_by_id is not None
    else:
        assert e.closed_at is None
    if e.classification == Classification.AWAY:
        day = timezone.localdate(e.last_seen_at)
        assert e.child.legal_status_on(day) == LegalStatusKind.LOOKED_AFTER, e.reference
    if e.placement is not None:
        assert e.placement.child_id == e.child_id


def check_one_childs_episodes(child_episodes: list[Episode]) -> None:
    """At most one open, and none overlapping."""
    assert sum(e.status == EpisodeStatus.MISSING for e in child_episodes) <= 1
    ordered = sorted(child_episodes, key=lambda e: e.last_seen_at)
    for earlier, later in pairwise(ordered):
        assert earlier.returned_at is not None, "only the latest episode can be open"
        assert earlier.returned_at < later.last_seen_at, "one child's episodes overlap"


def check_change_rows(episodes: list[Episode], now: datetime) -> None:
    """The rows the services write for each change, consistent with the episode."""
    latest_grade: dict[int, str] = {}
    for r in RiskAssessment.objects.order_by("decided_at", "pk"):
        assert r.rationale
        assert r.decided_at <= now
        latest_grade[r.episode_id] = r.grade
    latest_class: dict[int, str] = {}
    for c in ClassificationChange.objects.select_related("episode__child").order_by(
        "changed_at", "pk"
    ):
        latest_class[c.episode_id] = c.classification
        if c.classification == Classification.AWAY:
            day = timezone.localdate(c.episode.last_seen_at)
            assert c.episode.child.legal_status_on(day) == LegalStatusKind.LOOKED_AFTER
    kinds: dict[int, Counter[str]] = defaultdict(Counter)
    for t in TimelineEntry.objects.select_related("episode"):
        kinds[t.episode_id][t.kind] += 1
        assert t.episode.last_seen_at <= t.occurred_at <= now
        assert t.recorded_at == t.occurred_at
    for e in episodes:
        assert latest_grade[e.pk] == e.risk_grade, e.reference
        assert latest_class[e.pk] == e.classification, e.reference
        assert kinds[e.pk][TimelineKind.REPORT] == 1
        assert kinds[e.pk][TimelineKind.RETURN] == (e.returned_at is not None)
        assert kinds[e.pk][TimelineKind.CLOSE] == (e.status == EpisodeStatus.CLOSED)


def check_aftercare(episodes: list[Episode], now: datetime) -> None:
    """The rules of the check and interview services; a closed episode has both recorded."""
    checks = {c.episode_id: c for c in SafeAndWellCheck.objects.all()}
    interviews = {}
    for interview in ReturnInterview.objects.prefetch_related("episodes"):
        covered = list(interview.episodes.all())
        assert covered
        assert all(e.child_id == interview.child_id for e in covered)
        first_return = min(returned_at(e) for e in covered)
        assert interview.due_at == first_return + timedelta(hours=72)
        if interview.offered_at:
            assert first_return <= interview.offered_at <= now
        if interview.done_at:
            assert interview.outcome == "accepted"
            assert interview.offered_at
            assert interview.offered_at <= interview.done_at <= now
            assert interview.child_account
            assert interview.interviewer_name
        if interview.status == InterviewStatus.NOT_OFFERED:
            assert interview.offered_at is None
            assert interview.outcome_reason
        closed = interview.status in CLOSED_INTERVIEW_STATUSES
        assert (interview.closed_at is not None) == closed
        if closed:
            assert interview.closed_at is not None
            assert interview.closed_at <= now
        for e in covered:
            assert e.pk not in interviews, "each return is covered by one interview"
            interviews[e.pk] = interview
    for e in episodes:
        check = checks.get(e.pk)
        if e.returned_at is None:
            assert check is None
            assert e.pk not in interviews
            continue
        assert e.pk in interviews, e.reference
        if check is not None:
            assert check.recorded_at <= now
            if check.status == CheckStatus.DONE:
                assert check.conducted_at is not None
                assert returned_at(e) <= check.conducted_at <= now
                assert check.child_account
            else:
                assert check.not_done_reason
                assert check.conducted_at is None
        if e.status == EpisodeStatus.CLOSED:
            assert check is not None, e.reference
            assert not outstanding(e).blocks_closing, e.reference


def organisation_of(username: str) -> Organisation:
    """The organisation a demo user works for."""
    membership = User.objects.get(username=username).active_membership()
    assert membership is not None, username
    return membership.organisation


class TestDeterminism:
    def test_same_seed_gives_the_same_area(self, db: None) -> None:
        with transaction.atomic():
            demo.load(seed=7, children=30, episodes=120, now=NOW)
            first = snapshot()
            transaction.set_rollback(True)
        assert not Organisation.objects.exists()
        demo.load(seed=7, children=30, episodes=120, now=NOW)
        second = snapshot()
        assert first == second
        assert second["counts"]["children"] == 30
        assert second["counts"]["episodes"] == 120

    def test_another_seed_gives_other_children(self, db: None) -> None:
        with transaction.atomic():
            demo.load(seed=7, children=30, episodes=120, now=NOW)
            first = snapshot()
            transaction.set_rollback(True)
        demo.load(seed=8, children=30, episodes=120, now=NOW)
        assert snapshot()["children"] != first["children"]

    def test_relative_to_today_and_invariants_hold(self, db: None) -> None:
        """Loaded against the real clock: two years up to now, nothing in the future."""
        before = clock.now()
        demo.load(children=30, episodes=120)
        check_invariants(clock.now())
        oldest = Episode.objects.order_by("last_seen_at").first()
        assert oldest is not None
        assert before - oldest.last_seen_at <= timedelta(days=731)


class TestDefaultArea:
    """One load at the default size: its shape, its rules and its logins."""

    def test_sizes(self, db: None, demo_area: DemoResult) -> None:
        assert Child.objects.filter(added_by_organisation=None).count() == demo.DEFAULT_CHILDREN
        # And the second records police made of some of them (homeward/seed/duplicates.py).
        went_missing = Child.objects.filter(added_by_organisation=None, episodes__isnull=False)
        assert demo_area.counts["second records made by police"] == math.ceil(
            went_missing.distinct().count() / duplicates.ONE_IN
        )
        assert Episode.objects.count() == demo.DEFAULT_EPISODES
        assert demo_area.seconds < 30

    def test_organisations(self, db: None, demo_area: DemoResult) -> None:
        kinds = Counter(Organisation.objects.values_list("kind", flat=True))
        assert kinds == {
            OrganisationKind.COUNCIL: 3,
            OrganisationKind.POLICE: 1,
            OrganisationKind.CARE_PROVIDER: 3,
            OrganisationKind.RHI_PROVIDER: 1,
            OrganisationKind.NATIONAL: 1,
        }
        force = Organisation.objects.get(kind=OrganisationKind.POLICE)
        for council in Organisation.objects.filter(kind=OrganisationKind.COUNCIL):
            assert council.police_force == force
            assert len(council.code) == 3
            assert council.code.isdigit()
        for home in Organisation.objects.filter(kind=OrganisationKind.CARE_PROVIDER):
            assert home.area_council is not None

    def test_durations_mostly_under_two_days_with_a_long_tail(
        self, db: None, demo_area: DemoResult
    ) -> None:
        returned = Episode.objects.exclude(returned_at=None)
        hours = [(returned_at(e) - e.last_seen_at).total_seconds() / 3600 for e in returned]
        under_48 = sum(h < 48 for h in hours) / len(hours)
        assert 0.85 <= under_48 <= 0.95
        assert max(hours) > 5 * 24

    def test_repeat_linked_open_and_unclosed_episodes(
        self, db: None, demo_area: DemoResult
    ) -> None:
        per_child = Counter(Episode.objects.values_list("child_id", flat=True))
        assert max(per_child.values()) >= 10
        assert 3 <= sum(15 <= n <= 40 for n in per_child.values()) <= 8
        linked = Episode.objects.exclude(went_missing_with=None).distinct()
        assert linked.count() >= 10
        for episode in linked:
            for other in episode.went_missing_with.all():
                assert other.child_id != episode.child_id
                assert abs(other.last_seen_at - episode.last_seen_at) < timedelta(hours=1)
        statuses = Counter(Episode.objects.values_list("status", flat=True))
        assert 1 <= statuses[EpisodeStatus.MISSING] <= 10
        assert statuses[EpisodeStatus.RETURNED] >= 1
        assert statuses[EpisodeStatus.CLOSED] > 900

    def test_aftercare(self, db: None, demo_area: DemoResult) -> None:
        returns = Episode.objects.exclude(returned_at=None).count()
        checks = Counter(SafeAndWellCheck.objects.values_list("status", flat=True))
        assert checks[CheckStatus.DONE] > 0.8 * returns
        assert checks[CheckStatus.NOT_DONE]
        interviews = list(ReturnInterview.objects.all())
        assert len(interviews) < returns  # some interviews cover several returns
        done = [i for i in interviews if i.done_at]
        in_time = sum(bool(i.within_72_hours) for i in done) / len(done)
        assert 0.5 <= in_time <= 0.75
        statuses = Counter(i.status for i in interviews)
        assert statuses[InterviewStatus.DECLINED]
        assert statuses[InterviewStatus.NOT_OFFERED]
        providers = Counter(i.provider.kind for i in interviews)
        assert providers[OrganisationKind.RHI_PROVIDER]
        assert providers[OrganisationKind.COUNCIL]

    def test_classifications_and_risk(self, db: None, demo_area: DemoResult) -> None:
        classes = Counter(Episode.objects.values_list("classification", flat=True))
        assert classes[Classification.MISSING] > 3 * classes[Classification.AWAY] > 0
        grades = Counter(Episode.objects.values_list("risk_grade", flat=True))
        assert grades["low"] + grades["medium"] > 0.6 * sum(grades.values())
        assert 0 < grades["very_low"] < grades["high"]
        regraded = RiskAssessment.objects.values("episode").distinct().count()
        assert RiskAssessment.objects.count() > regraded  # some episodes were re-graded
        assert ClassificationChange.objects.count() > Episode.objects.count()

    def test_children(self, db: None, demo_area: DemoResult) -> None:
        today = timezone.localdate(NOW)
        children = list(Child.objects.prefetch_related("legal_statuses", "aliases"))
        assert all(8 <= c.age_on(today) <= 17 for c in children)
        assert all(upn_is_valid(c.upn) for c in children if c.upn)
        assert all(nhs_number_is_valid(c.nhs_number) for c in children if c.nhs_number)
        assert sum(bool(c.upn) for c in children) > 50
        assert sum(bool(c.nhs_number) for c in children) > 50
        assert sum(bool(c.aliases.all()) for c in children) > 10
        assert len({c.ethnicity for c in children}) >= 8
        statuses = Counter(c.legal_status_on(today) for c in children)
        assert 0.3 < statuses[LegalStatusKind.LOOKED_AFTER] / len(children) < 0.6
        assert statuses[LegalStatusKind.CHILD_IN_NEED]
        assert statuses[LegalStatusKind.NONE]
        assert statuses[LegalStatusKind.CHILD_PROTECTION]

    def test_placements_and_workers(self, db: None, demo_area: DemoResult) -> None:
        placements = list(Placement.objects.select_related("child"))
        assert any(p.out_of_area for p in placements)
        assert any(p.placement_type == "K2" and p.provider_id for p in placements)
        assert any(p.placement_type.startswith("U") for p in placements)
        for child in Child.objects.exclude(current_placement=None).select_related(
            "current_placement"
        ):
            assert child.current_placement is not None
            assert child.current_placement.child_id == child.pk
            assert child.current_placement.end_date is None
        allocations = Counter(WorkerAllocation.objects.values_list("child_id", flat=True))
        assert max(allocations.values()) >= 3
        for allocation in WorkerAllocation.objects.select_related("worker", "child"):
            membership = allocation.worker.active_membership()
            assert membership is not None
            assert membership.role == Role.SOCIAL_WORKER
            assert membership.organisation_id == allocation.child.responsible_council_id

    def test_every_episode_keeps_the_services_rules(self, db: None, demo_area: DemoResult) -> None:
        check_invariants(NOW)

    def test_the_demo_social_worker_is_allocated_to_the_children_users_meet_first(
        self, db: None, demo_area: DemoResult
    ) -> None:
        worker = User.objects.get(username="social.worker")
        council = organisation_of("social.worker")
        home = organisation_of("care.staff")

        def allocated(child: Child) -> str | None:
            current = child.allocations.filter(end_date__isnull=True).first()
            return current.worker.username if current else None

        mine = Child.objects.filter(allocations__worker=worker, allocations__end_date=None)
        assert mine.count() >= 15
        in_the_home = Child.objects.filter(
            responsible_council=council, current_placement__provider=home
        )
        missing_now = Child.objects.filter(
            responsible_council=council, episodes__status=EpisodeStatus.MISSING
        )
        assert in_the_home.exists()
        assert missing_now.exists()
        for child in [*in_the_home, *missing_now]:
            assert allocated(child) in ("social.worker", None), child.pk
        assert all(allocated(child) == "social.worker" for child in in_the_home)
        # Their earlier allocations stayed with others: a change of worker is still one.
        for child in mine:
            allocations = child.allocations.order_by("start_date")
            workers = list(allocations.values_list("worker", flat=True))
            assert all(a != b for a, b in pairwise(workers)), child.pk

    def test_a_report_reaches_the_allocated_worker_and_the_host_council(
        self, db: None, demo_area: DemoResult, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The police report missing a main-council child placed in Eastwold: the child's
        allocated worker (social.worker) and both councils' missing coordinators are told."""
        monkeypatch.setattr(clock, "now", lambda: NOW)
        council = organisation_of("social.worker")
        host = Organisation.objects.get(name="Eastwold County Council")
        child = (
            Child.objects.filter(responsible_council=council, current_placement__host_council=host)
            .exclude(episodes__status=EpisodeStatus.MISSING)
            .order_by("pk")
            .first()
        )
        assert child is not None
        assert council != host
        handler = User.objects.get(username="police.handler")
        with transaction.atomic():
            episode = report_missing(
                Actor.for_user(handler),
                child.pk,
                Report(
                    classification=Classification.MISSING,
                    last_seen_at=NOW - timedelta(minutes=20),
                    last_seen_location="Outside the placement",
                    missing_from="placement",
                    reporter_type="carer",
                    risk_grade="medium",
                    risk_rationale="Phone switched off",
                ),
            ).episode
            for event in DomainEvent.objects.filter(delivered_at__isnull=True):
                delivery.deliver(event.pk)
            told = set(
                Notification.objects.filter(episode_reference=episode.reference).values_list(
                    "recipient__username", flat=True
                )
            )
            transaction.set_rollback(True)
        assert {"social.worker", "council.coordinator", "eastwold.coordinator"} <= told

    def test_the_figures_are_a_recount_from_the_records(
        self, db: None, demo_area: DemoResult, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The dashboards, board reports and national CSV count the whole demo history as
        soon as it is loaded (no `homeward rebuild-facts` needed): every figure equals a
        recount from the records."""
        monkeypatch.setattr(clock, "now", lambda: NOW)

        assert recount.assert_figures_are_a_recount() == demo.DEFAULT_EPISODES

        # Full, not nearly empty: the main council's last complete quarter, as its
        # coordinator and board member see it, holds what its records hold.
        main = User.objects.get(username="council.coordinator").active_membership()
        assert main is not None
        year, quarter = last_complete_quarter(timezone.localdate(NOW))
        period = q.Period(year, quarter)
        start, end = period_end_instant(period.start), period_end_instant(period.end)
        in_records = Episode.objects.filter(
            child__responsible_council=main.organisation,
            last_seen_at__gte=start,
            last_seen_at__lt=end,
        ).count()
        assert in_records > 40
        assert q.headline(q.Scope.of(main.organisation), period).episodes == in_records

    def test_one_login_per_role_signs_in_with_the_demo_password(
        self, db: None, demo_area: DemoResult, client: Client
    ) -> None:
        roles = {login.role for login in demo_area.logins}
        assert roles == set(Role.values)
        for login in demo_area.logins:
            assert client.login(
                username=login.username, password=settings.HOMEWARD_DEMO_PASSWORD
            ), login.username
            client.logout()

    def test_practitioners_see_children_and_aggregate_roles_see_none(
        self, db: None, demo_area: DemoResult, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # As of the demo's "now": the provider sees children of its recent interviews.
        monkeypatch.setattr(clock, "now", lambda: NOW)
        sees = {
            "rhi.worker",
            "police.handler",
            "police.officer",
            "police.coordinator",
            "social.worker",
            "council.coordinator",
            "council.manager",
            "care.staff",
            "care.manager",
        }
        for username in sees:
            actor = Actor.for_user(User.objects.get(username=username))
            assert visible_children(actor).exists(), username
        care = Actor.for_user(User.objects.get(username="care.staff"))
        assert visible_children(care).count() >= 3  # a home with several children now
        for username in ("board.member", "national.analyst"):
            actor = Actor.for_user(User.objects.get(username=username))
            assert not visible_children(actor).exists(), username

    def test_council_users_work_for_the_council_with_most_children(
        self, db: None, demo_area: DemoResult
    ) -> None:
        busiest = Counter(Child.objects.values_list("responsible_council", flat=True))
        top = busiest.most_common(1)[0][0]
        for username in ("social.worker", "council.coordinator", "council.manager"):
            membership = User.objects.get(username=username).active_membership()
            assert membership is not None
            assert membership.organisation_id == top
        for council in Organisation.objects.filter(kind=OrganisationKind.COUNCIL):
            workers = council.memberships.filter(role=Role.SOCIAL_WORKER).count()
            assert workers >= 3
            # Every council has a missing coordinator: each may be a host council.
            assert council.memberships.filter(role=Role.COUNCIL_MISSING_COORDINATOR).exists()
        assert demo_area.other_coordinators == ["eastwold.coordinator", "sedgecombe.coordinator"]


class TestCommand:
    def run(self, *args: str) -> str:
        out = StringIO()
        call_command("demo", *args, stdout=out)
        return out.getvalue()

    def test_loads_and_prints_the_logins(self, db: None) -> None:
        output = self.run("--children", "30", "--episodes", "120", "--seed", "3")
        assert Child.objects.filter(added_by_organisation=None).count() == 30
        assert Episode.objects.count() == 120
        for username in demo.DEMO_USERNAMES:
            assert username in output
        assert "eastwold.coordinator" in output
        assert "http://127.0.0.1:8000" in output
        assert settings.HOMEWARD_DEMO_PASSWORD in output

    def test_if_empty_does_nothing_on_a_database_with_data_but_prints_logins(
        self, db: None
    ) -> None:
        self.run("--children", "30", "--episodes", "120")
        before = demo.counts()
        output = self.run("--if-empty")
        assert demo.counts() == before
        assert "not loaded" in output
        assert "police.handler" in output
        assert settings.HOMEWARD_DEMO_PASSWORD in output

    def test_if_empty_makes_the_statistics_an_older_load_left_out(self, db: None) -> None:
        """A var/ loaded before the demo made its own statistics: `make run` (demo
        --if-empty) makes them, and the figures are a recount from the records."""
        self.run("--children", "30", "--episodes", "120")
        EpisodeFact.objects.all().delete()
        ReasonFact.objects.all().delete()
        tally.clear()

        output = self.run("--if-empty")

        assert "made again from the records" in output
        assert recount.assert_facts_and_totals_are_a_recount() == 120
        assert "made again" not in self.run("--if-empty")

    def test_if_empty_leaves_a_real_database_alone(self, db: None) -> None:
        factories.CouncilFactory()
        output = self.run("--if-empty")
        assert not Child.objects.exists()
        assert not User.objects.filter(username__in=demo.DEMO_USERNAMES).exists()
        assert "not loaded" in output
        assert "No demo logins" in output

    def test_refuses_a_database_with_data_without_if_empty(self, db: None) -> None:
        factories.CouncilFactory()
        with pytest.raises(CommandError, match="empty"):
            self.run()

    def test_refuses_impossible_sizes(self, db: None) -> None:
        with pytest.raises(CommandError):
            self.run("--children", "2", "--episodes", "1000")
        assert not Organisation.objects.exists()

    def test_refuses_production(self, db: None, settings: Settings) -> None:
        settings.PRODUCTION = True
        with pytest.raises(CommandError, match="production"):
            self.run("--children", "30", "--episodes", "120")
        assert not Organisation.objects.exists()
