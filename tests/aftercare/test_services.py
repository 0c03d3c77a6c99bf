from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import CouncilSettings, InterviewStatus, ReturnInterview
from homeward.children import visibility as children_visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.episodes import services as episodes
from homeward.episodes import visibility as episodes_visibility
from homeward.episodes.models import Episode
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.factories import report, returned_at

LONDON = ZoneInfo("Europe/London")


def returned(
    actor: Actor, child: Child, *, last_seen: datetime, back_after: timedelta = timedelta(hours=6)
) -> Episode:
    episode = report(actor, child, last_seen_at=last_seen)
    return episodes.record_return(
        actor,
        episode.reference,
        episode.version,
        episodes.Return(returned_at=last_seen + back_after, return_method="returned_self"),
    )


@pytest.fixture
def coordinator(council: Organisation) -> Actor:
    return factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)


def accept(actor: Actor, interview: ReturnInterview, offered_at: datetime) -> ReturnInterview:
    interview = aftercare.record_offer(
        actor,
        interview.pk,
        interview.version,
        offered_at=offered_at,
        offered_by="Missing coordinator",
        offer_method="phone",
    )
    return aftercare.record_outcome(actor, interview.pk, interview.version, outcome="accepted")


def done(actor: Actor, interview: ReturnInterview, done_at: datetime) -> ReturnInterview:
    return aftercare.record_interview(
        actor,
        interview.pk,
        interview.version,
        aftercare.InterviewRecord(
            done_at=done_at,
            interviewer_name="Independent worker",
            interviewer_kind="independent",
            child_account="I went to see my brother.",
            push_factors=["conflict_home"],
            pull_factors=["family"],
            risks_found=[],
        ),
    )


class TestClock:
    @pytest.mark.parametrize(
        ("after", "within"),
        [
            (timedelta(hours=71, minutes=59), True),
            (timedelta(hours=72), True),
            (timedelta(hours=72, minutes=1), False),
        ],
    )
    def test_72_hour_edges(
        self, social_worker: Actor, coordinator: Actor, child: Child, after: timedelta, within: bool
    ) -> None:
        seen = clock.now() - timedelta(days=10)
        episode = returned(social_worker, child, last_seen=seen)
        interview = episode.return_interviews.get()
        assert interview.due_at == returned_at(episode) + timedelta(hours=72)
        interview = accept(coordinator, interview, returned_at(episode) + timedelta(hours=1))
        interview = done(coordinator, interview, returned_at(episode) + after)
        assert interview.within_72_hours is within

    def test_across_the_autumn_clock_change_it_is_72_elapsed_hours(
        self, social_worker: Actor, child: Child
    ) -> None:
        # Back at noon BST on Saturday 24 October 2026; clocks go back on the 25th.
        back = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
        episode = returned(social_worker, child, last_seen=back - timedelta(hours=6))
        due = episode.return_interviews.get().due_at
        assert due - returned_at(episode) == timedelta(hours=72)
        assert due.astimezone(LONDON).strftime("%a %d %b %H:%M %Z") == "Tue 27 Oct 11:00 GMT"


class TestInterview:
    def test_opened_for_the_council_or_its_commissioned_provider(
        self, social_worker: Actor, council: Organisation, child: Child
    ) -> None:
        provider = Organisation.objects.create(
            kind=OrganisationKind.RHI_PROVIDER, name="Safe Return Ltd", code="RHI1"
        )
        CouncilSettings.objects.create(council=council, interview_provider=provider)
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        interview = episode.return_interviews.get()
        assert (interview.council, interview.provider) == (council, provider)

    def test_one_interview_covers_two_episodes_in_a_weekend(
        self, social_worker: Actor, child: Child
    ) -> None:
        friday = clock.now() - timedelta(days=3)
        first = returned(social_worker, child, last_seen=friday)
        second = returned(social_worker, child, last_seen=friday + timedelta(days=1))
        interview = ReturnInterview.objects.get()
        assert set(interview.episodes.all()) == {first, second}
        assert interview.due_at == returned_at(first) + timedelta(hours=72)

    def test_declined(self, social_worker: Actor, coordinator: Actor, child: Child) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        interview = episode.return_interviews.get()
        interview = aftercare.record_offer(
            coordinator,
            interview.pk,
            interview.version,
            offered_at=returned_at(episode) + timedelta(hours=2),
            offered_by="RHI worker",
            offer_method="in_person",
        )
        interview = aftercare.record_outcome(
            coordinator,
            interview.pk,
            interview.version,
            outcome="declined",
            reason="Did not want to talk to anyone new",
        )
        assert interview.status == InterviewStatus.DECLINED
        assert interview.closed_at is not None

    def test_not_offered_needs_a_reason(
        self, social_worker: Actor, coordinator: Actor, child: Child
    ) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        interview = episode.return_interviews.get()
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_outcome(
                coordinator, interview.pk, interview.version, outcome="not_offered"
            )
        assert error.value.errors == {"reason": ["Enter why the interview was not offered"]}
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.PENDING
        interview = aftercare.record_outcome(
            coordinator,
            interview.pk,
            interview.version,
            outcome="not_offered",
            reason="Child moved to a secure placement out of area",
        )
        assert interview.status == InterviewStatus.NOT_OFFERED

    def test_done_needs_the_childs_account_and_an_interviewer(
        self, social_worker: Actor, coordinator: Actor, child: Child
    ) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        interview = accept(
            coordinator, episode.return_interviews.get(), returned_at(episode) + timedelta(hours=1)
        )
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_interview(
                coordinator,
                interview.pk,
                interview.version,
                aftercare.InterviewRecord(
                    done_at=returned_at(episode) - timedelta(hours=1),
                    interviewer_name="",
                    interviewer_kind="",
                    child_account="",
                    push_factors=["made_up"],
                ),
            )
        assert set(error.value.errors) == {
            "done_at",
            "interviewer_name",
            "interviewer_kind",
            "child_account",
            "push_factors",
        }
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.ACCEPTED

    def test_social_worker_does_not_record_interviews(
        self, social_worker: Actor, child: Child
    ) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        interview = episode.return_interviews.get()
        with pytest.raises(AccessDenied):
            aftercare.record_outcome(
                social_worker, interview.pk, interview.version, outcome="not_offered", reason="x"
            )

    def test_another_council_cannot_touch_it(self, social_worker: Actor, child: Child) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        with pytest.raises(NotFound):
            aftercare.record_outcome(
                other, episode.return_interviews.get().pk, None, outcome="not_offered", reason="x"
            )


class TestProviderAccess:
    def test_provider_sees_only_what_its_interview_needs_until_30_days_after(
        self, social_worker: Actor, coordinator: Actor, council: Organisation, child: Child
    ) -> None:
        provider = Organisation.objects.create(
            kind=OrganisationKind.RHI_PROVIDER, name="Safe Return Ltd", code="RHI2"
        )
        worker = factories.actor(Role.RHI_WORKER, provider)
        older = returned(social_worker, child, last_seen=clock.now() - timedelta(days=40))
        interview = older.return_interviews.get()
        aftercare.record_outcome(
            coordinator,
            interview.pk,
            None,
            outcome="not_offered",
            reason="Before the provider was commissioned",
        )
        assert not children_visibility.can(worker, policy.Action.SEE_IDENTITY, child)

        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=2))
        interview = episode.return_interviews.get()
        aftercare.assign_provider(coordinator, interview.pk, provider.pk)
        assert children_visibility.can(worker, policy.Action.SEE_IDENTITY, child)
        assert list(episodes_visibility.visible_episodes(worker)) == [episode]  # not the older one

        interview.refresh_from_db()
        interview = accept(worker, interview, returned_at(episode) + timedelta(hours=1))
        interview = done(worker, interview, returned_at(episode) + timedelta(hours=20))
        assert children_visibility.can(worker, policy.Action.SEE_IDENTITY, child)
        ReturnInterview.objects.filter(pk=interview.pk).update(
            closed_at=clock.now() - timedelta(days=31)
        )
        assert not children_visibility.can(worker, policy.Action.SEE_IDENTITY, child)


class TestCheck:
    def test_check_done_is_recorded_and_shared(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        from homeward.events.models import DomainEvent

        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=1))
        check = aftercare.record_check(
            police_officer,
            episode.reference,
            aftercare.CheckDetails(
                done=True,
                conducted_at=returned_at(episode) + timedelta(hours=2),
                child_account="Stayed at a friend's, didn't want to go home",
                disclosures=["crime_victim"],
                shared_with="Children's services",
            ),
        )
        assert check.officer_name == police_officer.label
        event = DomainEvent.objects.get(name="aftercare.check_recorded")
        assert event.payload["disclosures"] == ["crime_victim"]
        assert aftercare.outstanding(episode).check == "done"

    def test_rules(self, social_worker: Actor, police_officer: Actor, child: Child) -> None:
        episode = report(social_worker, child)
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_check(
                police_officer,
                episode.reference,
                aftercare.CheckDetails(done=False, not_done_reason="x"),
            )
        assert "Record the child's return" in error.value.errors["status"][0]
        episode = episodes.record_return(
            social_worker,
            episode.reference,
            episode.version,
            episodes.Return(
                returned_at=clock.now() - timedelta(hours=1), return_method="returned_self"
            ),
        )
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_check(
                police_officer,
                episode.reference,
                aftercare.CheckDetails(done=True, conducted_at=episode.returned_at),
            )
        assert set(error.value.errors) == {"child_account"}
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_check(
                police_officer, episode.reference, aftercare.CheckDetails(done=False)
            )
        assert set(error.value.errors) == {"not_done_reason"}
        with pytest.raises(AccessDenied):
            aftercare.record_check(
                social_worker,
                episode.reference,
                aftercare.CheckDetails(done=False, not_done_reason="x"),
            )
        aftercare.record_check(
            police_officer,
            episode.reference,
            aftercare.CheckDetails(done=False, not_done_reason="Child refused to engage"),
        )
        assert aftercare.outstanding(episode).check == "not_done"


class TestReading:
    def test_council_and_provider_read_it_audited_others_get_not_found(
        self, social_worker: Actor, coordinator: Actor, council: Organisation, child: Child
    ) -> None:
        from homeward.audit.models import AuditEvent

        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=1))
        interview = episode.return_interviews.get()
        assert aftercare.read_interview(social_worker, interview.pk) == interview
        assert AuditEvent.objects.filter(
            action="view", object_type="return_interview", user=social_worker.user
        ).exists()
        provider = Organisation.objects.create(
            kind=OrganisationKind.RHI_PROVIDER, name="Safe Return Ltd", code="RHI3"
        )
        worker = factories.actor(Role.RHI_WORKER, provider)
        with pytest.raises(NotFound):
            aftercare.read_interview(worker, interview.pk)
        aftercare.assign_provider(coordinator, interview.pk, provider.pk, interview.version)
        assert aftercare.read_interview(worker, interview.pk) == interview
        other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        for bad in (interview.pk, "x", 0, 2**70):
            with pytest.raises(NotFound):
                aftercare.read_interview(other, bad)
        board = factories.actor(Role.BOARD_MEMBER, council)
        with pytest.raises(AccessDenied):
            aftercare.read_interview(board, interview.pk)

    def test_list_is_due_soonest_first_and_filters_overdue(
        self, social_worker: Actor, coordinator: Actor, council: Organisation
    ) -> None:
        now = clock.now()
        late, soon = (
            returned(
                social_worker,
                factories.ChildFactory(responsible_council=council),
                last_seen=now - timedelta(hours=hours),
            ).return_interviews.get()
            for hours in (100, 20)
        )
        assert list(aftercare.list_interviews(coordinator)) == [late, soon]
        assert list(aftercare.list_interviews(coordinator, overdue=True)) == [late]
        assert list(aftercare.list_interviews(coordinator, overdue=False)) == [soon]
        assert list(aftercare.list_interviews(coordinator, status="done")) == []
        assert aftercare.is_overdue(late)
        assert not aftercare.is_overdue(soon)
        with pytest.raises(AccessDenied):
            aftercare.list_interviews(social_worker)

    def test_assigning_checks_the_version(
        self, social_worker: Actor, coordinator: Actor, council: Organisation, child: Child
    ) -> None:
        from homeward.core.errors import StaleEdit

        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=1))
        interview = episode.return_interviews.get()
        with pytest.raises(StaleEdit):
            aftercare.assign_provider(coordinator, interview.pk, council.pk, interview.version + 1)
        assert aftercare.provider_choices(interview)[0] == council

    def test_episode_aftercare_reports_what_is_overdue(
        self, social_worker: Actor, police_officer: Actor, child: Child
    ) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=5))
        state = aftercare.episode_aftercare(episode)
        assert state.check is None
        assert state.check_overdue
        assert state.interview_overdue
        assert state.check_due_at == returned_at(episode) + timedelta(hours=24)
        aftercare.record_check(
            police_officer,
            episode.reference,
            aftercare.CheckDetails(done=False, not_done_reason="Could not be found"),
        )
        state = aftercare.episode_aftercare(episode)
        assert state.check is not None
        assert not state.check_overdue

    def test_over_long_text_and_nul_are_field_errors(
        self, social_worker: Actor, police_officer: Actor, coordinator: Actor, child: Child
    ) -> None:
        episode = returned(social_worker, child, last_seen=clock.now() - timedelta(days=1))
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_check(
                police_officer,
                episode.reference,
                aftercare.CheckDetails(
                    done=False, not_done_reason="Away\x00", officer_name="x" * 201
                ),
            )
        assert set(error.value.errors) == {"officer_name", "not_done_reason"}
        interview = episode.return_interviews.get()
        with pytest.raises(ValidationFailed) as error:
            aftercare.record_offer(
                coordinator,
                interview.pk,
                interview.version,
                offered_at=returned_at(episode) + timedelta(hours=1),
                offered_by="y" * 201,
                offer_method="phone",
            )
        assert set(error.value.errors) == {"offered_by"}
