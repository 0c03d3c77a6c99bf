"""Questions that say "Select all that apply" keep every answer: safeguarding disclosures
in the safe and well check; push factors, pull factors and risks found in the return
interview. Each is read from the page as drawn (checkboxes, not radios), several boxes
are ticked, and every answer is found on the record, in the council's view, in the API
and in the board report. Over-long answers are refused in the design system's words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import TextChoices
from django.test import Client

from homeward.aftercare import services as aftercare
from homeward.aftercare.codes import Disclosure, PullFactor, PushFactor, RiskFound
from homeward.aftercare.models import InterviewStatus, ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.insights import board
from homeward.insights import counting as c
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.aftercare.test_views import login, returned, text, when
from tests.core.htmlforms import HtmlForm, error_summary, post_forms
from tests.factories import returned_at

pytestmark = pytest.mark.django_db

CHECK_QUESTIONS: dict[str, type[TextChoices]] = {"disclosures": Disclosure}
INTERVIEW_QUESTIONS: dict[str, type[TextChoices]] = {
    "push_factors": PushFactor,
    "pull_factors": PullFactor,
    "risks_found": RiskFound,
}


@pytest.fixture
def episode(social_worker: Actor, child: Child) -> Episode:
    return returned(social_worker, child, hours_ago=30, back_after=6)


def the_form(client: Client, url: str) -> HtmlForm:
    response = client.get(url)
    assert response.status_code == 200
    [form] = [f for f in post_forms(text(response), url) if f.action == url]
    return form


def assert_ticks(form: HtmlForm, name: str, codes: type[TextChoices]) -> None:
    """The question is a group of checkboxes offering every code, hinted as such."""
    question = form.question(name)
    assert question.kind == "checkboxes", f"{name} is drawn as {question.kind}"
    assert [o.value for o in question.options] == list(codes.values)
    assert "Select all that apply" in question.hint


class TestDisclosures:
    def test_two_disclosures_ticked_are_both_kept_and_shown_to_the_council(
        self, client: Client, police: Organisation, council: Organisation, episode: Episode
    ) -> None:
        login(client, Role.POLICE_OFFICER, police)
        url = f"/aftercare/episodes/{episode.reference}/check/record"
        form = the_form(client, url)
        assert_ticks(form, "disclosures", Disclosure)
        ticked = [Disclosure.SEXUAL_EXPLOITATION.value, Disclosure.CRIME_VICTIM.value]
        response = client.post(
            url,
            {
                "done": "yes",
                **when("conducted_at", returned_at(episode) + timedelta(hours=1)),
                "child_account": "Two men drove me to a flat and took my phone.",
                "disclosures": ticked,
            },
        )
        assert response.status_code == 302, error_summary(text(response))
        assert SafeAndWellCheck.objects.get().disclosures == sorted(ticked)

        labels = ["Sexual exploitation", "Victim of a crime"]
        for role in (Role.SOCIAL_WORKER, Role.COUNCIL_MISSING_COORDINATOR):
            council_client = login(Client(), role, council)
            page = text(council_client.get(f"/aftercare/episodes/{episode.reference}/check"))
            for label in labels:
                assert f"<li>{label}</li>" in page
        work_list = text(council_client.get("/aftercare/"))
        received = work_list[work_list.index('id="checks-received"') :]
        assert all(f"<li>{label}</li>" in received for label in labels)

    def test_the_api_keeps_and_returns_every_disclosure(
        self, police: Organisation, episode: Episode
    ) -> None:
        officer = factories.member(Role.POLICE_OFFICER, police)
        api = Client(headers={"authorization": f"Bearer {factories.api_token(officer)}"})
        ticked = ["abuse", "criminal_exploitation", "crime_offender"]
        response = api.post(
            f"/api/v1/episodes/{episode.reference}/safe-and-well-check",
            {
                "done": True,
                "conducted_at": (returned_at(episode) + timedelta(hours=1)).isoformat(),
                "child_account": "They made me carry a bag.",
                "disclosures": ticked,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["disclosures"] == sorted(ticked)
        read = api.get(f"/api/v1/episodes/{episode.reference}").json()
        assert read["safe_and_well_check"]["disclosures"] == sorted(ticked)

    def test_an_overlong_answer_is_named_in_the_design_systems_words(
        self, client: Client, police: Organisation, episode: Episode
    ) -> None:
        login(client, Role.POLICE_OFFICER, police)
        url = f"/aftercare/episodes/{episode.reference}/check/record"
        response = client.post(
            url,
            {
                "done": "yes",
                **when("conducted_at", returned_at(episode) + timedelta(hours=1)),
                "location": "x" * 5000,
                "child_account": "y" * 5001,
            },
        )
        assert error_summary(text(response)) == [
            "Where the check was done must be 300 characters or fewer",
            "What the child said must be 5000 characters or fewer",
        ]
        assert "Ensure this value" not in text(response)
        assert not SafeAndWellCheck.objects.exists()


def accepted(coordinator: Actor, interview: ReturnInterview, episode: Episode) -> ReturnInterview:
    interview = aftercare.record_offer(
        coordinator,
        interview.pk,
        interview.version,
        offered_at=returned_at(episode) + timedelta(hours=2),
        offered_by="Priya Shah",
        offer_method="phone",
    )
    return aftercare.record_outcome(
        coordinator, interview.pk, interview.version, outcome="accepted"
    )


class TestInterviewReasons:
    def test_every_factor_and_risk_ticked_is_kept_shown_and_counted_for_the_board(
        self, client: Client, council: Organisation, episode: Episode
    ) -> None:
        coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
        interview = accepted(coordinator, episode.return_interviews.get(), episode)
        login(client, Role.COUNCIL_MISSING_COORDINATOR, council)
        url = f"/aftercare/interviews/{interview.pk}/interview"
        form = the_form(client, url)
        for name, codes in INTERVIEW_QUESTIONS.items():
            assert_ticks(form, name, codes)
        ticked = {
            "push_factors": ["conflict_home", "bullying", "school"],
            "pull_factors": ["friends", "older_associates"],
            "risks_found": ["criminal_exploitation", "substance_misuse"],
        }
        response = client.post(
            url,
            {
                "version": interview.version,
                **when("done_at", returned_at(episode) + timedelta(hours=20)),
                "interviewer_name": "Priya Shah",
                "interviewer_kind": "independent",
                "child_account": "Everyone shouts at home and school is worse.",
                "quote_consent": "yes",
                **ticked,
            },
        )
        assert response.status_code == 302, error_summary(text(response))
        interview.refresh_from_db()
        assert interview.status == InterviewStatus.DONE
        for name, chosen in ticked.items():
            assert getattr(interview, name) == sorted(chosen)

        labels = {
            name: [str(INTERVIEW_QUESTIONS[name](code).label) for code in codes]
            for name, codes in ticked.items()
        }
        page = text(client.get(f"/aftercare/interviews/{interview.pk}/"))
        for names in labels.values():
            for label in names:
                assert f"<li>{label}</li>" in page

        year, quarter = c.quarter_of(c.local_date(episode.last_seen_at))
        figures = board.figures(council, year, quarter)
        themes = {t["title"]: t for t in figures["themes"]}
        assert len(themes) == 3
        for table, (name, names) in zip(figures["themes"], labels.items(), strict=True):
            counted = {row["label"]: row["episodes"] for row in table["rows"]}
            assert counted == dict.fromkeys(names, 1), name
        report = board.render_html(figures)
        for names in labels.values():
            for label in names:
                assert label.replace("'", "&#x27;") in report

    def test_the_api_keeps_and_returns_every_factor(
        self, council: Organisation, episode: Episode
    ) -> None:
        user = factories.member(Role.COUNCIL_MISSING_COORDINATOR, council)
        coordinator = Actor.for_user(user)
        interview = accepted(coordinator, episode.return_interviews.get(), episode)
        api = Client(headers={"authorization": f"Bearer {factories.api_token(user)}"})
        sent = {
            "push_factors": ["mental_health", "boundaries"],
            "pull_factors": ["partner", "substances", "excitement"],
            "risks_found": ["self_harm", "gangs"],
        }
        response = api.post(
            f"/api/v1/return-interviews/{interview.pk}/interview",
            {
                "version": interview.version,
                "done_at": (returned_at(episode) + timedelta(hours=10)).isoformat(),
                "interviewer_name": "Priya Shah",
                "interviewer_kind": "independent",
                "child_account": "I wanted to be with my boyfriend.",
                **sent,
            },
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        body = api.get(f"/api/v1/return-interviews/{interview.pk}").json()
        for name, codes in sent.items():
            assert body[name] == sorted(codes)
