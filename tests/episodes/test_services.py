"""The rules of a missing episode, each shown with its error and that nothing was half-saved."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from homeward.aftercare import services as aftercare
from homeward.audit.models import AuditEvent
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
from homeward.notifications.models import DomainEvent
from homeward.organisations.models import Role
from tests import factories
from tests.factories import report


def snapshot() -> tuple[int, int, int]:
    return Episode.objects.count(), AuditEvent.objects.count(), DomainEvent.objects.count()


def a_report(**overrides):
    values = dict(
        classification=Classification.MISSING,
        last_seen_at=timezone.now() - timedelta(hours=3),
        last_seen_location="Near the canal bridge",
        missing_from="home",
        reporter_type="parent",
        risk_grade="medium",
        risk_rationale="First time missing; phone switched off",
    )
    values.update(overrides)
    return services.Report(**values)


def a_return(episode, **overrides):
    values = dict(
        returned_at=episode.last_seen_at + timedelta(hours=5),
        return_method=ReturnMethod.FOUND_BY_POLICE,
        found_location="Friend's flat",
    )
    values.update(overrides)
    return services.Return(**values)


class TestReport:
    def test_report_records_grade_classification_timeline_audit_and_event(
        self, social_worker, child
    ):
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

    def test_last_seen_in_the_future_is_refused_and_nothing_saved(self, social_worker, child):
        before = snapshot()
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker, child.pk, a_report(last_seen_at=timezone.now() + timedelta(hours=2))
            )
        assert error.value.errors["last_seen_at"] == [
            "When the child was last seen cannot be in the future"
        ]
        assert snapshot() == before

    def test_report_before_last_seen_is_refused(self, social_worker, child):
        seen = timezone.now() - timedelta(hours=2)
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker,
                child.pk,
                a_report(last_seen_at=seen, reported_at=seen - timedelta(hours=1)),
            )
        assert "reported_at" in error.value.errors
        assert not Episode.objects.exists()

    def test_every_missing_field_is_named(self, social_worker, child):
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
        self, social_worker, police_officer, child
    ):
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
        self, social_worker, police_officer, child
    ):
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

    def test_the_database_itself_refuses_a_second_open_episode(self, social_worker, child):
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

    def test_child_may_go_missing_again_once_returned(self, social_worker, child):
        first = report(social_worker, child, hours_ago=30)
        services.record_return(social_worker, first.reference, first.version, a_return(first))
        second = services.report_missing(social_worker, child.pk, a_report())
        assert second.created and second.episode.pk != first.pk

    def test_away_applies_only_to_a_looked_after_child(self, social_worker, child):
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(social_worker, child.pk, a_report(classification="A"))
        assert "looked-after" in error.value.errors["classification"][0]
        factories.looked_after(child)
        episode = services.report_missing(
            social_worker, child.pk, a_report(classification="A", missing_from="placement")
        ).episode
        assert episode.classification == Classification.AWAY

    def test_legacy_grade_is_mapped_and_kept(self, police_officer, council):
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

    def test_unknown_grade_is_refused(self, social_worker, child):
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(social_worker, child.pk, a_report(risk_grade="severe"))
        assert "risk_grade" in error.value.errors

    def test_another_councils_child_cannot_be_found_to_report(self, child):
        stranger = factories.actor(Role.SOCIAL_WORKER, factories.CouncilFactory())
        with pytest.raises(NotFound):
            services.report_missing(stranger, child.pk, a_report())
        assert not Episode.objects.exists()

    def test_aggregate_roles_cannot_report(self, council, child):
        board = factories.actor(Role.BOARD_MEMBER, council)
        with pytest.raises(NotFound):
            services.report_missing(board, child.pk, a_report())


class TestRegrade:
    def test_regrade_keeps_every_grading_with_its_basis(self, social_worker, police_officer, child):
        episode = report(social_worker, child)
        obtained = timezone.now() - timedelta(minutes=20)
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

    def test_only_police_roles_regrade(self, social_worker, child):
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

    def test_rationale_is_required_and_nothing_saved(self, social_worker, police_officer, child):
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
    def test_change_keeps_history(self, social_worker, child):
        factories.looked_after(child)
        episode = report(social_worker, child, missing_from="placement")
        episode = services.change_classification(
            social_worker, episode.reference, episode.version, "A", "Whereabouts now known"
        )
        assert episode.classification == "A"
        assert [c.classification for c in episode.classification_history.all()] == ["M", "A"]

    def test_reason_is_required(self, social_worker, child):
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
    def test_return_before_last_seen_is_refused_and_nothing_saved(self, social_worker, child):
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
        assert episode.status == EpisodeStatus.MISSING and episode.returned_at is None
        assert snapshot() == before

    def test_return_in_the_future_is_refused(self, social_worker, child):
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.record_return(
                social_worker,
                episode.reference,
                episode.version,
                a_return(episode, returned_at=timezone.now() + timedelta(hours=1)),
            )
        assert "cannot be in the future" in error.value.errors["returned_at"][0]

    def test_return_then_close(self, social_worker, child):
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
        self, social_worker, child
    ):
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
            offered_at=timezone.now(),
            offered_by="Sam Ellery",
            offer_method="phone",
        )
        # Offered is not enough: the interview must be done, declined or not offered.
        with pytest.raises(ValidationFailed):
            services.close_episode(social_worker, episode.reference, None)
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.RETURNED and episode.closed_at is None
        aftercare.record_outcome(
            coordinator, interview.pk, None, outcome="declined", reason="Does not want to talk"
        )
        episode = services.close_episode(social_worker, episode.reference, None)
        assert episode.status == EpisodeStatus.CLOSED

    def test_closing_before_return_is_refused(self, social_worker, child):
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.close_episode(social_worker, episode.reference, episode.version)
        assert error.value.errors == {
            "status": ["Record the child's return before closing the episode"]
        }

    def test_a_closed_episode_cannot_be_edited(self, social_worker, child):
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

    def test_another_force_cannot_see_the_episode(self, social_worker, child):
        episode = report(social_worker, child)
        other_force = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
        with pytest.raises(NotFound):
            services.read_episode(other_force, episode.reference)
        home_force = factories.actor(Role.POLICE_OFFICER, episode.police_force)
        assert services.read_episode(home_force, episode.reference) == episode


class TestConcurrency:
    def test_stale_edit_is_refused_with_what_changed_and_by_whom(
        self, social_worker, police_officer, child
    ):
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
        assert police_officer.user.get_full_name() in message
        assert "have not been saved" in message
        episode.refresh_from_db()
        assert episode.clothing == ""
        assert episode.version == seen_version + 1

    def test_current_version_is_accepted(self, social_worker, child):
        episode = report(social_worker, child)
        updated = services.update_episode(
            social_worker, episode.reference, episode.version, {"clothing": "Grey hoodie"}
        )
        assert updated.clothing == "Grey hoodie"
        assert updated.version == episode.version + 1


class TestTogether:
    def test_children_who_went_missing_together_are_linked_both_ways(self, social_worker, council):
        a = report(social_worker, factories.ChildFactory(responsible_council=council))
        b = report(social_worker, factories.ChildFactory(responsible_council=council))
        services.link_episodes(social_worker, a.reference, b.reference)
        assert list(b.went_missing_with.all()) == [a]

    def test_cannot_link_an_episode_the_user_cannot_see(self, social_worker, council):
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
    def test_sighting_in_the_future_is_refused(self, social_worker, child):
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            services.add_timeline_entry(
                social_worker,
                episode.reference,
                TimelineKind.SIGHTING,
                timezone.now() + timedelta(hours=1),
                "Seen at the station",
            )
        assert "occurred_at" in error.value.errors
        assert episode.timeline.count() == 1

    def test_sighting_is_added(self, social_worker, child):
        episode = report(social_worker, child)
        services.add_timeline_entry(
            social_worker,
            episode.reference,
            TimelineKind.SIGHTING,
            timezone.now() - timedelta(minutes=10),
            "Seen at the station",
            "Central station",
        )
        sighting = episode.timeline.get(kind=TimelineKind.SIGHTING)
        assert (sighting.summary, sighting.location) == ("Seen at the station", "Central station")
        assert sighting.recorded_by == social_worker.user


class TestHostileInput:
    def test_overlong_text_is_a_field_error_not_a_crash(self, social_worker, child):
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

    def test_nul_characters_are_refused(self, social_worker, child):
        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker, child.pk, a_report(last_seen_location="Park\x00gate")
            )
        assert "last_seen_location" in error.value.errors
        assert not Episode.objects.exists()

    def test_year_one_is_a_field_error(self, social_worker, child):
        from datetime import UTC, datetime

        with pytest.raises(ValidationFailed) as error:
            services.report_missing(
                social_worker, child.pk, a_report(last_seen_at=datetime(1, 1, 2, tzinfo=UTC))
            )
        assert error.value.errors["last_seen_at"] == [
            "Enter a real date for when the child was last seen"
        ]
