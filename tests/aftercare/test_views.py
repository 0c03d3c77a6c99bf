"""The safe and well check, return interview, interviews list and work list pages: what
each user sees, each form's errors shown with nothing saved, and who is refused."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from homeward.aftercare import services as aftercare
from homeward.aftercare.compliance import months_before
from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.aftercare.templatetags.aftercare import clock_text, span
from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories

if TYPE_CHECKING:
    # What the test client returns (django-stubs names the type for type checking only).
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
from tests.factories import returned_at

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")


def text(response: Response) -> str:
    return response.content.decode()


def when(field: str, value: datetime) -> dict[str, str]:
    local = value.astimezone(UK)
    return {
        f"{field}_day": str(local.day),
        f"{field}_month": str(local.month),
        f"{field}_year": str(local.year),
        f"{field}_hour": str(local.hour),
        f"{field}_minute": f"{local.minute:02d}",
    }


def error_summary(body: str) -> list[str]:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert match, "no error summary on the page"
    items = re.findall(r"<li>(.*?)</li>", match[0])
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def returned(
    actor: Actor, child: Child, *, hours_ago: float = 30, back_after: float = 6
) -> Episode:
    episode = factories.report(actor, child, hours_ago=hours_ago)
    return episodes.record_return(
        actor,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=episode.last_seen_at + timedelta(hours=back_after),
            return_method="returned_self",
        ),
    )


def login(client: Client, role: str, organisation: Organisation) -> Client:
    client.force_login(factories.member(role, organisation))
    return client


@pytest.fixture
def episode(social_worker: Actor, child: Child) -> Episode:
    return returned(social_worker, child)


@pytest.fixture
def interview(episode: Episode) -> ReturnInterview:
    return episode.return_interviews.get()


@pytest.fixture
def police_client(client: Client, police: Organisation) -> Client:
    return login(client, Role.POLICE_OFFICER, police)


@pytest.fixture
def coordinator_client(client: Client, council: Organisation) -> Client:
    return login(client, Role.COUNCIL_MISSING_COORDINATOR, council)


@pytest.fixture
def provider() -> Organisation:
    return Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Safe Return Ltd", code="RHI7"
    )


def version_in(body: str) -> int:
    match = re.search(r'name="version" value="(\d+)"', body)
    assert match, "no version field on the form"
    return int(match.group(1))


class TestClockWords:
    def test_left_and_overdue(self, interview: ReturnInterview) -> None:
        now = interview.due_at - timedelta(hours=5, minutes=20)
        words = clock_text(interview, now)
        local = interview.due_at.astimezone(UK)
        assert words.startswith(f"due by {local:%H:%M} on {local:%A} {local.day} {local:%B}")
        assert words.endswith("— 5 hours left")
        late = clock_text(interview, interview.due_at + timedelta(hours=3, minutes=10))
        assert late.startswith("overdue by 3 hours")

    def test_spans(self) -> None:
        assert span(timedelta(days=2, hours=3, minutes=5)) == "2 days 3 hours"
        assert span(timedelta(hours=1)) == "1 hour"
        assert span(timedelta(minutes=40)) == "40 minutes"
        assert span(timedelta(seconds=10)) == "1 minute"

    def test_the_autumn_clock_change_day_is_named_in_uk_time(
        self, social_worker: Actor, child: Child
    ) -> None:
        back = datetime(2026, 10, 24, 14, 0, tzinfo=UK)
        episode = factories.report(social_worker, child, last_seen_at=back - timedelta(hours=3))
        episode = episodes.record_return(
            social_worker,
            episode.reference,
            episode.version,
            episodes.Return(returned_at=back, return_method="returned_self"),
        )
        interview = episode.return_interviews.get()
        # Elapsed hours: add them in UTC (adding to a UK wall-clock time would not be).
        words = clock_text(interview, back.astimezone(UTC) + timedelta(hours=67))
        assert words == "due by 13:00 on Tuesday 27 October — 5 hours left"

    def test_three_months_back(self) -> None:
        assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
        assert months_before(date(2026, 1, 15), 3) == date(2025, 10, 15)


class TestCheckForm:
    def url(self, episode: Episode, record: bool = True) -> str:
        return f"/aftercare/episodes/{episode.reference}/check" + ("/record" if record else "")

    def test_shows_both_groups_without_javascript(
        self, police_client: Client, episode: Episode
    ) -> None:
        body = text(police_client.get(self.url(episode)))
        assert 'data-aria-controls="conditional-done-yes"' in body
        assert 'id="conditional-done-no"' in body
        assert "Why was the check not done?" in body
        assert "What did the child say, in their own words?" in body
        for label in ("Sexual exploitation", "Criminal exploitation or county lines"):
            assert label in body

    @pytest.mark.parametrize(
        ("data", "messages"),
        [
            ({}, ["Select yes if the safe and well check was done"]),
            (
                {"done": "yes"},
                [
                    "Enter when the check was done",
                    "Enter what the child said, in their own words (or that they chose not "
                    "to speak)",
                ],
            ),
            ({"done": "no"}, ["Enter why the safe and well check was not done"]),
            (
                {"done": "yes", "child_account": "Fine", "disclosures": ["made_up"]},
                ["Enter when the check was done", "Select from the list"],
            ),
        ],
    )
    def test_errors_are_shown_and_nothing_saved(
        self,
        police_client: Client,
        episode: Episode,
        data: dict[str, str | list[str]],
        messages: list[str],
    ) -> None:
        response = police_client.post(self.url(episode), data)
        assert response.status_code == 200
        assert error_summary(text(response)) == messages
        assert "govuk-form-group--error" in text(response)
        assert SafeAndWellCheck.objects.count() == 0

    def test_the_service_refuses_a_time_before_the_return(
        self, police_client: Client, episode: Episode
    ) -> None:
        data = {
            "done": "yes",
            **when("conducted_at", returned_at(episode) - timedelta(hours=2)),
            "child_account": "I was at my friend's.",
        }
        response = police_client.post(self.url(episode), data)
        assert error_summary(text(response)) == ["The check cannot be before the child returned"]
        assert SafeAndWellCheck.objects.count() == 0

    def test_not_done_ignores_the_other_group(
        self, police_client: Client, episode: Episode
    ) -> None:
        data = {
            "done": "no",
            "conducted_at_day": "99",
            "not_done_reason": "The child could not be found at the address",
        }
        response = police_client.post(self.url(episode), data)
        assert response.status_code == 302
        check = SafeAndWellCheck.objects.get()
        assert check.status == "not_done"
        assert check.conducted_at is None

    def test_done_is_recorded_and_shown_to_the_council(
        self, police_client: Client, episode: Episode, council: Organisation
    ) -> None:
        data = {
            "done": "yes",
            **when("conducted_at", returned_at(episode) + timedelta(hours=1)),
            "location": "At home",
            "child_account": "I went to the park with older boys. They gave me a phone.",
            "disclosures": ["criminal_exploitation"],
            "shared_with": "Duty social worker",
        }
        response = police_client.post(self.url(episode), data)
        assert response.status_code == 302
        assert response["Location"] == f"/episodes/{episode.reference}/"
        check = SafeAndWellCheck.objects.get()
        assert check.disclosures == ["criminal_exploitation"]

        council_client = login(Client(), Role.SOCIAL_WORKER, council)
        page = text(council_client.get(self.url(episode, record=False)))
        assert "They gave me a phone." in page
        assert "Criminal exploitation or county lines" in page
        episode_page = text(council_client.get(f"/episodes/{episode.reference}/"))
        assert "After the return" in episode_page
        assert "govuk-task-list" in episode_page
        assert "Completed" in episode_page

    def test_a_social_worker_cannot_record_it(
        self, client: Client, council: Organisation, episode: Episode
    ) -> None:
        login(client, Role.SOCIAL_WORKER, council)
        assert client.get(self.url(episode)).status_code == 403
        response = client.post(self.url(episode), {"done": "no", "not_done_reason": "x"})
        assert response.status_code == 403
        assert SafeAndWellCheck.objects.count() == 0

    def test_another_force_gets_404_without_the_childs_name(
        self, client: Client, episode: Episode
    ) -> None:
        login(client, Role.POLICE_OFFICER, factories.PoliceForceFactory())
        for url in (self.url(episode), self.url(episode, record=False)):
            response = client.get(url)
            assert response.status_code == 404
            assert episode.child.last_name not in text(response)

    def test_recorded_once(self, police_client: Client, episode: Episode) -> None:
        police_client.post(self.url(episode), {"done": "no", "not_done_reason": "Not found"})
        again = police_client.get(self.url(episode))
        assert again.status_code == 302
        assert SafeAndWellCheck.objects.count() == 1


class TestTaskList:
    def test_statuses_on_the_episode_page(
        self, client: Client, council: Organisation, social_worker: Actor, child: Child
    ) -> None:
        login(client, Role.COUNCIL_MISSING_COORDINATOR, council)
        missing = factories.report(social_worker, child)
        body = text(client.get(f"/episodes/{missing.reference}/"))
        assert body.count("Cannot start yet") == 2

        late = episodes.record_return(
            social_worker,
            missing.reference,
            missing.version,
            episodes.Return(
                returned_at=clock.now() - timedelta(minutes=1), return_method="returned_self"
            ),
        )
        body = text(client.get(f"/episodes/{late.reference}/"))
        assert "Not started" in body
        interview = late.return_interviews.get()
        assert f'href="/aftercare/interviews/{interview.pk}/"' in body
        assert "left" in body

    def test_overdue_and_not_done_with_reason(
        self, client: Client, council: Organisation, police_officer: Actor, child: Child
    ) -> None:
        worker = factories.actor(Role.SOCIAL_WORKER, council)
        episode = returned(worker, child, hours_ago=24 * 5)
        login(client, Role.SOCIAL_WORKER, council)
        body = text(client.get(f"/episodes/{episode.reference}/"))
        assert body.count("govuk-tag--red") >= 2  # the check and the interview
        assert "Overdue" in body
        aftercare.record_check(
            police_officer,
            episode.reference,
            aftercare.CheckDetails(done=False, not_done_reason="Child refused to engage"),
        )
        body = text(client.get(f"/episodes/{episode.reference}/"))
        assert "Not done" in body
        assert "Reason: Child refused to engage" in body


class TestInterviewPages:
    def url(self, interview: ReturnInterview, action: str = "") -> str:
        return f"/aftercare/interviews/{interview.pk}/" + action

    def test_page_shows_status_clock_and_episodes_and_is_audited(
        self, coordinator_client: Client, interview: ReturnInterview, episode: Episode
    ) -> None:
        body = text(coordinator_client.get(self.url(interview)))
        assert "Not yet offered" in body
        assert "left" in body
        assert episode.reference in body
        assert "Record the offer" in body
        assert "Assign to a provider" in body
        assert AuditEvent.objects.filter(
            action="view", object_type="return_interview", object_id=str(interview.pk)
        ).exists()

    def test_offer_errors_then_offer_accept_and_record(
        self, coordinator_client: Client, interview: ReturnInterview, episode: Episode
    ) -> None:
        response = coordinator_client.post(self.url(interview, "offer"), {"version": 1})
        assert error_summary(text(response)) == [
            "Enter when the interview was offered",
            "Enter who offered the interview",
            "Select how the interview was offered",
        ]
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.PENDING
        assert interview.version == 1

        offered_at = returned_at(episode) + timedelta(hours=2)
        response = coordinator_client.post(
            self.url(interview, "offer"),
            {
                "version": 1,
                **when("offered_at", offered_at),
                "offered_by": "Jo Reid, coordinator",
                "offer_method": "phone",
            },
        )
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.OFFERED

        response = coordinator_client.post(self.url(interview, "outcome"), {"version": 2})
        assert error_summary(text(response)) == ["Select accepted, declined or not offered"]
        response = coordinator_client.post(
            self.url(interview, "outcome"), {"version": 2, "outcome": "accepted"}
        )
        assert response.status_code == 302

        form = coordinator_client.get(self.url(interview, "interview"))
        assert version_in(text(form)) == 3
        response = coordinator_client.post(self.url(interview, "interview"), {"version": 3})
        assert error_summary(text(response)) == [
            "Enter when the interview was done",
            "Enter who did the interview",
            "Select whether the interviewer was independent or a trusted person the child chose",
            "Enter the child's account in their own words",
            "Select yes if the child agreed to anonymised quotes",
        ]
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.ACCEPTED

        response = coordinator_client.post(
            self.url(interview, "interview"),
            {
                "version": 3,
                **when("done_at", returned_at(episode) + timedelta(hours=20)),
                "interviewer_name": "Priya Shah",
                "interviewer_kind": "independent",
                "done_location": "Youth centre",
                "child_account": "Mum and me keep arguing so I went to my nan's.",
                "push_factors": ["conflict_home"],
                "pull_factors": ["family"],
                "risks_found": [],
                "what_would_help": "Family mediation",
                "actions": "Referral to early help",
                "quote_consent": "no",
            },
        )
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.DONE
        assert interview.push_factors == ["conflict_home"]
        assert interview.quote_consent is False
        page = text(coordinator_client.get(self.url(interview)))
        assert "Within 72 hours" in page
        assert "Conflict at home or in placement" in page
        assert "Record the offer" not in page

    def test_not_offered_needs_its_reason_and_declined_reason_is_kept(
        self, coordinator_client: Client, interview: ReturnInterview
    ) -> None:
        response = coordinator_client.post(
            self.url(interview, "outcome"), {"version": 1, "outcome": "not_offered"}
        )
        assert error_summary(text(response)) == ["Enter why the interview was not offered"]
        response = coordinator_client.post(
            self.url(interview, "outcome"), {"version": 1, "outcome": "declined"}
        )
        # Declining needs the offer first: the service says so against the answer.
        assert error_summary(text(response)) == [
            "Record when and how the interview was offered first"
        ]
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.PENDING
        response = coordinator_client.post(
            self.url(interview, "outcome"),
            {
                "version": 1,
                "outcome": "not_offered",
                "declined_reason": "ignored",
                "not_offered_reason": "Moved to a secure unit out of area",
            },
        )
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.outcome_reason == "Moved to a secure unit out of area"

    def test_a_stale_offer_is_refused_and_says_so(
        self, coordinator_client: Client, interview: ReturnInterview, episode: Episode
    ) -> None:
        data = {
            "version": 1,
            **when("offered_at", returned_at(episode) + timedelta(hours=1)),
            "offered_by": "Jo Reid",
            "offer_method": "text",
        }
        ReturnInterview.objects.filter(pk=interview.pk).update(version=2)
        response = coordinator_client.post(self.url(interview, "offer"), data)
        assert response.status_code == 200
        assert "changed after you opened it" in text(response)
        assert version_in(text(response)) == 2
        interview.refresh_from_db()
        assert interview.offered_at is None

    def test_assign_to_a_provider_who_then_sees_it(
        self,
        coordinator_client: Client,
        interview: ReturnInterview,
        provider: Organisation,
        client: Client,
    ) -> None:
        form = text(coordinator_client.get(self.url(interview, "provider")))
        assert "Safe Return Ltd" in form
        response = coordinator_client.post(self.url(interview, "provider"), {"version": 1})
        assert error_summary(text(response)) == ["Select who will do the return interview"]
        response = coordinator_client.post(
            self.url(interview, "provider"), {"version": 1, "provider": str(provider.pk)}
        )
        assert response.status_code == 302
        worker = login(Client(), Role.RHI_WORKER, provider)
        assert worker.get(self.url(interview)).status_code == 200
        listed = text(worker.get("/aftercare/interviews/"))
        assert interview.child.full_name in listed
        # The provider records; only the council assigns.
        assert worker.get(self.url(interview, "provider")).status_code == 403

    def test_a_social_worker_reads_but_cannot_record(
        self, client: Client, council: Organisation, interview: ReturnInterview
    ) -> None:
        login(client, Role.SOCIAL_WORKER, council)
        page = text(client.get(self.url(interview)))
        assert "Record the offer" not in page
        assert client.get(self.url(interview, "offer")).status_code == 403
        assert client.get("/aftercare/interviews/").status_code == 403

    def test_another_council_gets_404_without_the_childs_name(
        self, client: Client, interview: ReturnInterview
    ) -> None:
        login(client, Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        for action in ("", "offer", "outcome", "interview", "provider"):
            response = client.get(self.url(interview, action))
            assert response.status_code == 404, action
            assert interview.child.last_name not in text(response)
        response = client.post(
            self.url(interview, "outcome"),
            {"version": 1, "outcome": "not_offered", "not_offered_reason": "x"},
        )
        assert response.status_code == 404
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.PENDING

    def test_finished_interviews_offer_nothing_more(
        self, coordinator_client: Client, interview: ReturnInterview
    ) -> None:
        coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, interview.council)
        aftercare.record_outcome(
            coordinator, interview.pk, 1, outcome="not_offered", reason="In hospital"
        )
        response = coordinator_client.get(self.url(interview, "offer"))
        assert response.status_code == 302


class TestInterviewList:
    def test_due_soonest_first_with_overdue_tagged_red(
        self, coordinator_client: Client, social_worker: Actor, council: Organisation
    ) -> None:
        names = {}
        for hours, surname in ((10, "Early"), (100, "Late"), (50, "Middle")):
            child = factories.ChildFactory(responsible_council=council, last_name=surname)
            returned(social_worker, child, hours_ago=hours + 6)
            names[surname] = child.full_name
        body = text(coordinator_client.get("/aftercare/interviews/"))
        positions = [body.index(names[s]) for s in ("Late", "Middle", "Early")]
        assert positions == sorted(positions)
        first_row = body[body.index("<tbody") : body.index(names["Middle"])]
        assert "govuk-tag--red" in first_row
        assert "Overdue" in first_row
        assert body.count("govuk-tag--red") == 1
        assert AuditEvent.objects.filter(action="list_result").count() >= 3

    def test_another_councils_interviews_are_not_listed(
        self, client: Client, interview: ReturnInterview
    ) -> None:
        login(client, Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        body = text(client.get("/aftercare/interviews/"))
        assert interview.child.last_name not in body


class TestWorkList:
    def test_coordinator_sees_figures_and_overdue_lists(
        self,
        coordinator_client: Client,
        social_worker: Actor,
        police_officer: Actor,
        council: Organisation,
    ) -> None:
        late_child = factories.ChildFactory(responsible_council=council, last_name="Overdue")
        late = returned(social_worker, late_child, hours_ago=24 * 6)
        on_time = returned(
            social_worker, factories.ChildFactory(responsible_council=council), hours_ago=10
        )
        aftercare.record_check(
            police_officer,
            on_time.reference,
            aftercare.CheckDetails(
                done=True,
                conducted_at=returned_at(on_time) + timedelta(minutes=30),
                child_account="I'm fine",
            ),
        )
        body = text(coordinator_client.get("/aftercare/"))
        assert "Checks and interviews" in body
        assert "<strong>50.0%</strong> (1 of 2)" in body  # checks done
        overdue_checks = body[
            body.index('id="overdue-checks"') : body.index('id="overdue-interviews"')
        ]
        assert late.reference in overdue_checks
        assert on_time.reference not in overdue_checks
        overdue_interviews = body[body.index('id="overdue-interviews"') :]
        assert late_child.full_name in overdue_interviews
        assert AuditEvent.objects.filter(action="list_result", child_id=late_child.pk).exists()

    def test_the_coordinators_home_page_counts_what_is_overdue(
        self,
        coordinator_client: Client,
        client: Client,
        council: Organisation,
        social_worker: Actor,
    ) -> None:
        late_child = factories.ChildFactory(responsible_council=council, last_name="Overdue")
        returned(social_worker, late_child, hours_ago=24 * 6)
        body = text(coordinator_client.get("/"))
        summary = body[body.index('id="after-returns"') :]
        assert "Overdue safe and well checks" in summary
        assert summary.count("1 overdue</strong>") == 2  # the check and the interview
        assert "<strong>0.0%</strong> (0 of 1)" in summary
        assert 'href="/aftercare/"' in summary
        login(client, Role.SOCIAL_WORKER, council)
        assert 'id="after-returns"' not in text(client.get("/"))

    def test_checks_the_police_recorded_reach_the_councils_work_list(
        self,
        coordinator_client: Client,
        social_worker: Actor,
        police_officer: Actor,
        council: Organisation,
    ) -> None:
        told = factories.ChildFactory(responsible_council=council, last_name="Disclosed")
        episode = returned(social_worker, told, hours_ago=10)
        refused = returned(
            social_worker, factories.ChildFactory(responsible_council=council), hours_ago=10
        )
        body = text(coordinator_client.get("/aftercare/"))
        assert "No safe and well checks have been recorded for your children" in body
        aftercare.record_check(
            police_officer,
            episode.reference,
            aftercare.CheckDetails(
                done=True,
                conducted_at=returned_at(episode) + timedelta(minutes=30),
                child_account="An older man gave me a phone",
                disclosures=["criminal_exploitation"],
            ),
        )
        aftercare.record_check(
            police_officer,
            refused.reference,
            aftercare.CheckDetails(done=False, not_done_reason="Would not open the door"),
        )
        body = text(coordinator_client.get("/aftercare/"))
        received = body[body.index('id="checks-received"') : body.index('id="overdue-checks"')]
        assert "(2)" in received
        assert told.full_name in received
        assert "Disclosure</strong>" in received
        assert f'href="/aftercare/episodes/{episode.reference}/check"' in received
        assert "Not done</strong> Would not open the door" in received
        assert AuditEvent.objects.filter(action="list_result", child_id=told.pk).exists()

    def test_police_coordinator_sees_the_forces_figures(
        self, client: Client, police: Organisation, episode: Episode
    ) -> None:
        login(client, Role.POLICE_MISSING_COORDINATOR, police)
        response = client.get("/aftercare/")
        assert response.status_code == 200
        assert "children missing in your force's area" in text(response)

    @pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.POLICE_OFFICER])
    def test_others_are_refused(
        self, client: Client, council: Organisation, police: Organisation, role: str
    ) -> None:
        org = police if role == Role.POLICE_OFFICER else council
        login(client, role, org)
        assert client.get("/aftercare/").status_code == 403

    def test_nav_links_the_work_list_for_coordinators(self, coordinator_client: Client) -> None:
        body = text(coordinator_client.get("/"))
        assert 'href="/aftercare/"' in body
