"""The rules of a missing episode, each shown with its error and that nothing was half-saved."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from homeward.aftercare import services as aftercare
from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.episodes import services
from homeward.episodes.models import (
    Classification,
    Episode,
    EpisodeStatus,
    ReturnMethod,
    RiskGrade,
    TimelineKind,
)
from homeward.events.models import DomainEvent
from homeward.organisations.models import Organisation, Role
from homeward.organisations.policy import Step
from tests import factories
from tests.factories import report


def snapshot() -> tuple[int, int, int]:
    return Episode.objects.count(), AuditEvent.objects.count(), DomainEvent.objects.count()


def a_report(**overrides: Any) -> services.Report:
    values: dict[str, Any] = {
        "classification": Classification.MISSING,
        "last_seen_at": clock.now() - timedelta(hours=3),
        "last_seen_location": "Near the canal bridge",
        "missing_from": "home",
        "reporter_type": "parent",
        "risk_grade": "medium",
        "risk_rationale": "First time missing; phone switched off",
    }
    values.update(overrides)
    return services.Report(**values)


def a_return(episode: Episode, **overrides: Any) -> services.Return:
    values: dict[str, Any] = {
        "returned_at": episode.last_seen_at + timedelta(hours=5),
        "return_method": ReturnMethod.FOUND_BY_POLICE,
        "found_location": "Friend's flat",
    }
    values.update(overrides)
    return services.Return(**values)


class TestReport:
    def test_report_records_grade_classification_timeline_audit_and_event(
        self, social_worker: Actor, child: Child
    ) -> None:
        result = services.report_missing(social_worker, child.pk, a_report())
        episode = result.episode
        assert result.created
        assert episode.reference.startswith("HW-")
        assert episode.status == EpisodeStatus.MISSING
        assert episode.police_force == child.responsible_council.police_force
        assert [r.grade for r in episode.risk_history.all()] == [RiskGrade.MEDIUM]
        assert [c.classification for c in episode.classification_history.all()] == ["M"]
        assert [t.kind for t in episode.timeline.all()] == [TimelineKind.REPORT]
        assert AuditEvent.objects.filter(action="report", object_id=episode.reference).exists()
        event = DomainEvent.objects.get(name="episode.reported")
        assert event.child_id == child.pk

    def test_last_seen_in_the_future_is_refused_and_nothing_saved(
        self, social_worker: Actor, child: Child
    ) -> None:
        before = snapshot()
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker, child.pk, a_report(last_seen_at=clock.now() + timedelta(hours=2))
            )
        assert error.value.errors["last_seen_at"] == [
            "When the child was last seen cannot be in the future"
        ]
        assert snapshot() == before

    def test_report_before_last_seen_is_refused(self, social_worker: Actor, child: Child) -> None:
        seen = clock.now() - timedelta(hours=2)
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(last_seen_at=seen, reported_at=seen - timedelta(hours=1)),
            )
        assert "reported_at" in error.value.errors
        assert not Episode.objects.exists()

    def test_every_missing_field_is_named(self, social_worker: Actor, child: Child) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(
                    last_seen_at=None,
                    last_seen_location=" ",
                    missing_from="",
                    reporter_type="",
                    risk_grade="",
                    risk_rationale="",
                ),
            )
        assert set(error.value.errors) == {
            "last_seen_at",
            "last_seen_location",
            "missing_from",
            "reporter_type",
            "risk_grade",
            "risk_rationale",
        }
        assert not Episode.objects.exists()

    def test_second_report_for_a_missing_child_updates_the_open_episode(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        first = services.report_missing(social_worker, child.pk, a_report()).episode
        second = services.report_missing(
            police_officer, child.pk, a_report(reporter_type="home_staff")
        )
        assert not second.created
        assert second.episode.pk == first.pk
        assert Episode.objects.filter(child=child).count() == 1
        kinds = list(first.timeline.values_list("kind", flat=True))
        assert kinds == [TimelineKind.REPORT, TimelineKind.FURTHER_REPORT]

    def test_a_further_report_that_sees_more_risk_says_so_on_the_timeline(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        first = services.report_missing(social_worker, child.pk, a_report()).episode
        services.report_missing(
            police_officer,
            child.pk,
            a_report(risk_grade="high", risk_rationale="Seen getting into a car with older men"),
        )
        first.refresh_from_db()
        assert first.risk_grade == RiskGrade.MEDIUM  # grading stays a deliberate act
        further = first.timeline.get(kind=TimelineKind.FURTHER_REPORT)
        assert (
            "The reporter assessed the risk as high (Seen getting into a car with older men); "
            "the episode is graded medium." in further.summary
        )

    def test_the_database_itself_refuses_a_second_open_episode(
        self, social_worker: Actor, child: Child
    ) -> None:
        first = report(social_worker, child)
        with pytest.raises(IntegrityError), transaction.atomic():
            Episode.objects.create(
                reference="HW-DUPLICATE",
                child=child,
                classification="M",
                reported_at=first.reported_at,
                reporting_organisation=first.reporting_organisation,
                reporter_type="parent",
                last_seen_at=first.last_seen_at,
                last_seen_location="x",
                missing_from="home",
                police_force=first.police_force,
                risk_grade="low",
            )

    def test_child_may_go_missing_again_once_returned(
        self, social_worker: Actor, child: Child
    ) -> None:
        first = report(social_worker, child, hours_ago=30)
        services.record_return(social_worker, first.reference, first.version, a_return(first))
        second = services.report_missing(social_worker, child.pk, a_report())
        assert second.created
        assert second.episode.pk != first.pk

    def test_away_applies_only_to_a_looked_after_child(
        self, social_worker: Actor, child: Child
    ) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(social_worker, child.pk, a_report(classification="A"))
        assert "looked-after" in error.value.errors["classification"][0]
        factories.looked_after(child)
        episode = services.report_missing(
            social_worker, child.pk, a_report(classification="A", missing_from="placement")
        ).episode
        assert episode.classification == Classification.AWAY

    def test_legacy_grade_is_mapped_and_kept(
        self, police_officer: Actor, council: Organisation
    ) -> None:
        child = factories.ChildFactory(responsible_council=council)
        factories.looked_after(child)
        # The police see the child through an earlier episode in their area.
        social = factories.actor(Role.SOCIAL_WORKER, council)
        earlier = report(social, child, hours_ago=100)
        services.record_return(social, earlier.reference, earlier.version, a_return(earlier))
        episode = services.report_missing(
            police_officer, child.pk, a_report(risk_grade="No apparent risk (absent)")
        ).episode
        assessment = episode.risk_history.get()
        assert episode.risk_grade == RiskGrade.VERY_LOW
        assert assessment.legacy_grade == "No apparent risk (absent)"

    def test_unknown_grade_is_refused(self, social_worker: Actor, child: Child) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(social_worker, child.pk, a_report(risk_grade="severe"))
        assert "risk_grade" in error.value.errors

    def test_another_councils_child_cannot_be_found_to_report(self, child: Child) -> None:
        stranger = factories.actor(Role.SOCIAL_WORKER, factories.CouncilFactory())
        with pytest.raises(NotFound):
            services.report_missing(stranger, child.pk, a_report())
        assert not Episode.objects.exists()

    def test_aggregate_roles_cannot_report(self, council: Organisation, child: Child) -> None:
        board = factories.actor(Role.BOARD_MEMBER, council)
        with pytest.raises(NotFound):
            services.report_missing(board, child.pk, a_report())


class TestRegrade:
    def test_regrade_keeps_every_grading_with_its_basis(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        episode = report(social_worker, child)
        obtained = clock.now() - timedelta(minutes=20)
        episode = services.regrade(
            police_officer,
            episode.reference,
            episode.version,
            services.Regrading(
                grade="high",
                rationale="Seen getting into a car with an older male",
                information_used="Sighting by a bus driver",
                information_source="Bus company control room",
                information_obtained_at=obtained,
            ),
        )
        assert episode.risk_grade == RiskGrade.HIGH
        history = list(episode.risk_history.all())
        assert [h.grade for h in history] == [RiskGrade.MEDIUM, RiskGrade.HIGH]
        latest = history[-1]
        assert latest.information_source == "Bus company control room"
        assert latest.information_obtained_at == obtained
        assert latest.decided_by == police_officer.user
        assert DomainEvent.objects.filter(name="episode.regraded").count() == 1

    def test_only_police_roles_regrade(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        with pytest.raises(AccessDenied):
            services.regrade(
                social_worker,
                episode.reference,
                episode.version,
                services.Regrading(grade="high", rationale="worried"),
            )
        episode.refresh_from_db()
        assert episode.risk_grade == RiskGrade.MEDIUM

    def test_rationale_is_required_and_nothing_saved(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        episode = report(social_worker, child)
        before = snapshot()
        with pytest.raises(ValidationFailed) as error:
            services.regrade(
                police_officer,
                episode.reference,
                episode.version,
                services.Regrading(grade="high", rationale=""),
            )
        assert error.value.errors == {"rationale": ["Enter the reason for the new grade"]}
        assert snapshot() == before
        assert episode.risk_history.count() == 1


class TestClassification:
    def test_change_keeps_history(self, social_worker: Actor, child: Child) -> None:
        factories.looked_after(child)
        episode = report(social_worker, child, missing_from="placement")
        episode = services.change_classification(
            social_worker, episode.reference, episode.version, "A", "Whereabouts now known"
        )
        assert episode.classification == "A"
        assert [c.classification for c in episode.classification_history.all()] == ["M", "A"]

    def test_reason_is_required(self, social_worker: Actor, child: Child) -> None:
        factories.looked_after(child)
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.change_classification(
                social_worker, episode.reference, episode.version, "A", ""
            )
        assert "reason" in error.value.errors
        episode.refresh_from_db()
        assert episode.classification == "M"


class TestReturnAndClose:
    def test_return_before_last_seen_is_refused_and_nothing_saved(
        self, social_worker: Actor, child: Child
    ) -> None:
        episode = report(social_worker, child)
        before = snapshot()
        with pytest.raises(ValidationFailed) as error:
            services.record_return(
                social_worker,
                episode.reference,
                episode.version,
                a_return(episode, returned_at=episode.last_seen_at - timedelta(minutes=1)),
            )
        assert error.value.errors["returned_at"][0].startswith(
            "The return cannot be before the child was last seen"
        )
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.MISSING
        assert episode.returned_at is None
        assert snapshot() == before

    def test_return_in_the_future_is_refused(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.record_return(
                social_worker,
                episode.reference,
                episode.version,
                a_return(episode, returned_at=clock.now() + timedelta(hours=1)),
            )
        assert "cannot be in the future" in error.value.errors["returned_at"][0]

    def test_return_then_close(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        episode = services.record_return(
            social_worker, episode.reference, episode.version, a_return(episode)
        )
        assert episode.status == EpisodeStatus.RETURNED
        factories.record_aftercare(episode)
        episode.refresh_from_db()
        episode = services.close_episode(social_worker, episode.reference, episode.version)
        assert episode.status == EpisodeStatus.CLOSED
        assert episode.closed_by == social_worker.user
        names = list(DomainEvent.objects.values_list("name", flat=True))
        assert names[:3] == ["episode.reported", "episode.returned", "aftercare.interview_opened"]
        assert names[-1] == "episode.closed"

    def test_closing_is_refused_until_the_check_and_interview_are_recorded(
        self, social_worker: Actor, child: Child
    ) -> None:
        episode = report(social_worker, child)
        episode = services.record_return(
            social_worker, episode.reference, episode.version, a_return(episode)
        )
        with pytest.raises(ValidationFailed) as error:
            services.close_episode(social_worker, episode.reference, None)
        assert error.value.errors == {
            "status": [
                "The episode cannot be closed yet: the safe and well check is not recorded "
                "and the return interview is not recorded"
            ]
        }
        officer = factories.actor(Role.POLICE_OFFICER, episode.police_force)
        aftercare.record_check(
            officer,
            episode.reference,
            aftercare.CheckDetails(done=False, not_done_reason="Child refused to speak to us"),
        )
        with pytest.raises(ValidationFailed) as error:
            services.close_episode(social_worker, episode.reference, None)
        assert error.value.errors == {
            "status": ["The episode cannot be closed yet: the return interview is not recorded"]
        }
        interview = episode.return_interviews.get()
        coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, interview.council)
        aftercare.record_offer(
            coordinator,
            interview.pk,
            None,
            offered_at=clock.now(),
            offered_by="Sam Ellery",
            offer_method="phone",
        )
        # Offered is not enough: the interview must be done, declined or not offered.
        with pytest.raises(ValidationFailed):
            services.close_episode(social_worker, episode.reference, None)
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.RETURNED
        assert episode.closed_at is None
        aftercare.record_outcome(
            coordinator, interview.pk, None, outcome="declined", reason="Does not want to talk"
        )
        episode = services.close_episode(social_worker, episode.reference, None)
        assert episode.status == EpisodeStatus.CLOSED

    def test_closing_before_return_is_refused(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.close_episode(social_worker, episode.reference, episode.version)
        assert error.value.errors == {
            "status": ["Record the child's return before closing the episode"]
        }

    def test_a_closed_episode_cannot_be_edited(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        episode = services.record_return(
            social_worker, episode.reference, episode.version, a_return(episode)
        )
        factories.record_aftercare(episode)
        episode = services.close_episode(social_worker, episode.reference, None)
        with pytest.raises(ValidationFailed):
            services.update_episode(
                social_worker, episode.reference, episode.version, {"clothing": "Red coat"}
            )

    def test_another_force_cannot_see_the_episode(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        other_force = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
        with pytest.raises(NotFound):
            services.read_episode(other_force, episode.reference)
        home_force = factories.actor(Role.POLICE_OFFICER, episode.police_force)
        assert services.read_episode(home_force, episode.reference) == episode


class TestConcurrency:
    def test_stale_edit_is_refused_with_what_changed_and_by_whom(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        episode = report(social_worker, child)
        seen_version = episode.version
        services.regrade(
            police_officer,
            episode.reference,
            seen_version,
            services.Regrading(grade="high", rationale="New intelligence"),
        )
        with pytest.raises(StaleEdit) as error:
            services.update_episode(
                social_worker, episode.reference, seen_version, {"clothing": "Grey hoodie"}
            )
        message = error.value.message
        assert "risk grade changed" in message
        assert police_officer.user is not None
        assert police_officer.user.get_full_name() in message
        assert "have not been saved" in message
        episode.refresh_from_db()
        assert episode.clothing == ""
        assert episode.version == seen_version + 1

    def test_current_version_is_accepted(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        updated = services.update_episode(
            social_worker, episode.reference, episode.version, {"clothing": "Grey hoodie"}
        )
        assert updated.clothing == "Grey hoodie"
        assert updated.version == episode.version + 1


class TestTogether:
    def test_children_who_went_missing_together_are_linked_both_ways(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        a = report(social_worker, factories.ChildFactory(responsible_council=council))
        b = report(social_worker, factories.ChildFactory(responsible_council=council))
        services.link_episodes(social_worker, a.reference, b.reference)
        assert list(b.went_missing_with.all()) == [a]

    def test_cannot_link_an_episode_the_user_cannot_see(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        a = report(social_worker, factories.ChildFactory(responsible_council=council))
        other_council = factories.CouncilFactory()
        other = report(
            factories.actor(Role.SOCIAL_WORKER, other_council),
            factories.ChildFactory(responsible_council=other_council),
        )
        with pytest.raises(ValidationFailed) as error:
            services.link_episodes(social_worker, a.reference, other.reference)
        assert "other_reference" in error.value.errors
        assert not a.went_missing_with.exists()


class TestTimeline:
    def test_sighting_in_the_future_is_refused(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.add_timeline_entry(
                social_worker,
                episode.reference,
                TimelineKind.SIGHTING,
                clock.now() + timedelta(hours=1),
                "Seen at the station",
            )
        assert "occurred_at" in error.value.errors
        assert episode.timeline.count() == 1

    def test_sighting_is_added(self, social_worker: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        services.add_timeline_entry(
            social_worker,
            episode.reference,
            TimelineKind.SIGHTING,
            clock.now() - timedelta(minutes=10),
            "Seen at the station",
            "Central station",
        )
        sighting = episode.timeline.get(kind=TimelineKind.SIGHTING)
        assert (sighting.summary, sighting.location) == ("Seen at the station", "Central station")
        assert sighting.recorded_by == social_worker.user


class TestHostileInput:
    def test_overlong_text_is_a_field_error_not_a_crash(
        self, social_worker: Actor, child: Child
    ) -> None:
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.update_episode(
                social_worker,
                episode.reference,
                episode.version,
                {"last_seen_location": "x" * 301},
            )
        assert error.value.errors["last_seen_location"] == [
            "Last seen location must be 300 characters or fewer"
        ]

    def test_nul_characters_are_refused(self, social_worker: Actor, child: Child) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker, child.pk, a_report(last_seen_location="Park\x00gate")
            )
        assert "last_seen_location" in error.value.errors
        assert not Episode.objects.exists()

    def test_year_one_is_a_field_error(self, social_worker: Actor, child: Child) -> None:
        from datetime import UTC

        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker, child.pk, a_report(last_seen_at=datetime(1, 1, 2, tzinfo=UTC))
            )
        assert error.value.errors["last_seen_at"] == [
            "Enter a real date for when the child was last seen"
        ]


# --- a late report of an episode that is already over ---------------------------------------

UK = timezone.get_default_timezone()


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UK)


def days_ago(days: float, hour: int = 18) -> datetime:
    day = timezone.localtime(clock.now()) - timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


class TestLateReport:
    """A practitioner records an episode that is already over: last seen on one day, back
    two days later, reported afterwards. It carries its return; the overlap check uses it."""

    def test_a_past_episode_before_a_later_one_is_recorded_as_returned(
        self, social_worker: Actor, child: Child
    ) -> None:
        later = report(social_worker, child, last_seen_at=days_ago(10))
        later = services.record_return(
            social_worker, later.reference, None, a_return(later, returned_at=days_ago(9))
        )
        events_before = DomainEvent.objects.count()
        result = services.report_missing(
            social_worker,
            child.pk,
            a_report(
                last_seen_at=days_ago(30),
                returned=services.Return(
                    returned_at=days_ago(28),
                    return_method=ReturnMethod.RETURNED_SELF,
                    found_location="Back at home",
                ),
            ),
        )
        episode = result.episode
        assert result.created
        assert episode.status == EpisodeStatus.RETURNED
        assert episode.returned_at == days_ago(28)
        assert episode.return_method == ReturnMethod.RETURNED_SELF
        # In the order things happened: the return, then (later) the report of it.
        kinds = list(episode.timeline.values_list("kind", flat=True))
        assert kinds == [TimelineKind.RETURN, TimelineKind.REPORT]
        assert "late report" in episode.timeline.get(kind=TimelineKind.RETURN).summary
        # A return of any kind: the check falls due and the interview covers it.
        names = list(
            DomainEvent.objects.order_by("pk")[events_before:].values_list("name", flat=True)
        )
        assert names[:2] == ["episode.reported", "episode.returned"]
        interview = episode.return_interviews.get()
        assert aftercare.outstanding(episode).check == "outstanding"
        assert interview.child == child

    def test_without_its_return_the_same_report_overlaps_the_later_episode(
        self, social_worker: Actor, child: Child
    ) -> None:
        later = report(social_worker, child, last_seen_at=days_ago(10))
        services.record_return(
            social_worker, later.reference, None, a_return(later, returned_at=days_ago(9))
        )
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(social_worker, child.pk, a_report(last_seen_at=days_ago(30)))
        assert f"This overlaps episode {later.reference}" in error.value.errors["last_seen_at"][0]

    def test_a_late_report_overlapping_another_episode_is_refused(
        self, social_worker: Actor, child: Child
    ) -> None:
        first = report(social_worker, child, last_seen_at=days_ago(30))
        services.record_return(
            social_worker, first.reference, None, a_return(first, returned_at=days_ago(28))
        )
        before = snapshot()
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(
                    last_seen_at=days_ago(31),
                    returned=services.Return(
                        returned_at=days_ago(29), return_method=ReturnMethod.RETURNED_SELF
                    ),
                ),
            )
        assert f"This overlaps episode {first.reference}" in error.value.errors["last_seen_at"][0]
        assert snapshot() == before

    def test_a_late_report_ending_as_the_next_begins_is_allowed(
        self, social_worker: Actor, child: Child
    ) -> None:
        later = report(social_worker, child, last_seen_at=days_ago(10))
        result = services.report_missing(
            social_worker,
            child.pk,
            a_report(
                last_seen_at=days_ago(12),
                returned=services.Return(
                    returned_at=later.last_seen_at, return_method=ReturnMethod.RETURNED_SELF
                ),
            ),
        )
        assert result.created
        assert result.episode != later
        later.refresh_from_db()
        assert later.status == EpisodeStatus.MISSING  # still missing now: untouched

    def test_while_missing_now_a_return_after_this_episode_began_is_refused(
        self, social_worker: Actor, child: Child
    ) -> None:
        current = report(social_worker, child, last_seen_at=days_ago(2))
        before = snapshot()
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(
                    last_seen_at=days_ago(3),
                    returned=services.Return(
                        returned_at=days_ago(1), return_method=ReturnMethod.RETURNED_SELF
                    ),
                ),
            )
        message = error.value.errors["returned_at"][0]
        assert current.reference in message
        assert "record it there" in message
        assert snapshot() == before

    def test_the_return_is_checked_like_any_return(
        self, social_worker: Actor, child: Child
    ) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(
                    last_seen_at=days_ago(5),
                    returned=services.Return(returned_at=days_ago(6), return_method="flew"),
                ),
            )
        assert "cannot be before the child was last seen" in error.value.errors["returned_at"][0]
        assert error.value.errors["return_method"] == ["Select how the child returned or was found"]
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(
                    last_seen_at=days_ago(5),
                    returned=services.Return(returned_at=None, return_method="returned_self"),
                ),
            )
        assert error.value.errors["returned_at"] == ["Enter when the child returned or was found"]
        assert not Episode.objects.exists()

    def test_the_placement_is_the_one_the_child_was_in_then(
        self, social_worker: Actor, child: Child
    ) -> None:
        today = timezone.localdate()
        old_home, new_home = factories.CareProviderFactory(), factories.CareProviderFactory()
        earlier = factories.place(child, provider=old_home, start=today - timedelta(days=90))
        factories.place(child, provider=new_home, start=today - timedelta(days=20))
        result = services.report_missing(
            social_worker,
            child.pk,
            a_report(
                last_seen_at=days_ago(40),
                missing_from="placement",
                returned=services.Return(
                    returned_at=days_ago(39), return_method=ReturnMethod.RETURNED_SELF
                ),
            ),
        )
        assert result.episode.placement == earlier

    def test_the_figures_recount_after_a_late_report(
        self, social_worker: Actor, child: Child
    ) -> None:
        from homeward.insights import facts
        from homeward.insights.models import EpisodeFact

        def rows() -> list[tuple[Any, ...]]:
            names = [f.name for f in EpisodeFact._meta.concrete_fields if f.name != "refreshed_at"]
            return list(EpisodeFact.objects.order_by("episode_id").values_list(*names))

        services.report_missing(
            social_worker,
            child.pk,
            a_report(
                last_seen_at=days_ago(30),
                returned=services.Return(
                    returned_at=days_ago(28), return_method=ReturnMethod.RETURNED_SELF
                ),
            ),
        )
        kept = rows()
        assert len(kept) == 1
        facts.rebuild()
        assert rows() == kept


# --- the steps a page offers are the steps the services accept ----------------------------


class TestSteps:
    def test_closing_waits_for_the_check_and_the_interview_and_says_so(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        from homeward.episodes import steps

        episode = report(social_worker, child)
        assert not steps.close(police_officer, episode)
        assert steps.close(police_officer, episode).reason == (
            "Record the child's return before closing the episode"
        )
        episode = services.record_return(police_officer, episode.reference, None, a_return(episode))
        close = steps.close(police_officer, episode)
        assert close.allowed
        assert close.waiting
        assert not close.available
        assert close.reason == (
            "The episode cannot be closed yet: the safe and well check is not recorded and "
            "the return interview is not recorded"
        )
        with pytest.raises(ValidationFailed) as error:
            services.close_episode(police_officer, episode.reference, None)
        assert error.value.errors["status"] == [close.reason]
        factories.record_aftercare(episode)
        assert steps.close(police_officer, episode).available
        # Care staff may never close: no step, and no reason to show them.
        staff = factories.actor(Role.CARE_STAFF, factories.CareProviderFactory())
        assert steps.close(staff, episode) == policy_step(allowed=False)

    @pytest.mark.parametrize(
        "role",
        [
            Role.POLICE_CALL_HANDLER,
            Role.POLICE_OFFICER,
            Role.SOCIAL_WORKER,
            Role.COUNCIL_MISSING_COORDINATOR,
            Role.CARE_STAFF,
            Role.CARE_MANAGER,
        ],
    )
    @pytest.mark.parametrize("state", ["missing", "returned", "aftercare done", "closed"])
    def test_every_offered_step_succeeds_and_every_other_is_refused(
        self, role: Role, state: str, council: Organisation, police: Organisation
    ) -> None:
        """For each role and each state of an episode, a step is offered exactly when the
        service accepts it (each tried in a transaction rolled back afterwards)."""
        from homeward.episodes import steps

        home: Organisation = factories.CareProviderFactory()
        child = factories.ChildFactory(responsible_council=council)
        factories.looked_after(child)
        factories.place(child, provider=home, host=council)
        coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
        episode = report(coordinator, child)
        if state != "missing":
            episode = services.record_return(
                coordinator, episode.reference, None, a_return(episode)
            )
        if state in {"aftercare done", "closed"}:
            factories.record_aftercare(episode)
        if state == "closed":
            episode = services.close_episode(coordinator, episode.reference, None)
        org: Organisation = {"police": police, "council": council, "care_provider": home}[
            {
                Role.POLICE_CALL_HANDLER: "police",
                Role.POLICE_OFFICER: "police",
                Role.SOCIAL_WORKER: "council",
                Role.COUNCIL_MISSING_COORDINATOR: "council",
                Role.CARE_STAFF: "care_provider",
                Role.CARE_MANAGER: "care_provider",
            }[role]
        ]
        actor = factories.actor(role, org)
        # Another child in the same home, whom the user may see: linking depends only on
        # this episode's state.
        sibling = factories.ChildFactory(responsible_council=council)
        factories.place(sibling, provider=home, host=council)
        other = report(coordinator, sibling)
        attempts: dict[str, Callable[[], object]] = {
            "record_return": lambda: services.record_return(
                actor, episode.reference, None, a_return(episode)
            ),
            "regrade": lambda: services.regrade(
                actor, episode.reference, None, services.Regrading("high", "New information")
            ),
            "close": lambda: services.close_episode(actor, episode.reference, None),
            "timeline": lambda: services.add_timeline_entry(
                actor, episode.reference, "note", clock.now(), "Called the school"
            ),
            "update": lambda: services.update_episode(
                actor, episode.reference, None, {"clothing": "A red coat"}
            ),
            "classify": lambda: services.change_classification(
                actor, episode.reference, None, "A", "Whereabouts now known"
            ),
            "link": lambda: services.link_episodes(actor, episode.reference, other.reference),
        }
        offered = steps.for_episode(actor, Episode.objects.get(pk=episode.pk))
        assert set(offered) == set(attempts)
        for key, attempt in attempts.items():
            try:
                with transaction.atomic():
                    attempt()
                    transaction.set_rollback(True)
                accepted = True
            except (ValidationFailed, AccessDenied, NotFound):
                accepted = False
            assert accepted == offered[key].available, (key, state, role, offered[key])


def policy_step(**kwargs: Any) -> Step:
    return Step(**kwargs)
