"""What a new user hit (issue 10): a late report of a past episode, every role's home page
leading to its work, and pages that offer only what the user can do now and say why a
step must wait."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import InterviewStatus
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services
from homeward.episodes.models import Episode, EpisodeStatus, ReturnMethod
from homeward.organisations.models import Organisation, OrganisationKind, Role, User
from tests import factories
from tests.actors import user_of
from tests.episodes.test_views import report_data, text, when

pytestmark = pytest.mark.django_db


def days_ago(days: float, hour: int = 18) -> datetime:
    day = timezone.localtime(clock.now()) - timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 4. a late report of a past episode ------------------------------------------------


def test_a_late_report_carries_its_return_past_a_later_episode(
    social_worker: Actor, child: Child
) -> None:
    """Last seen 1 March, back 3 March, reported later: not refused as overlapping the
    child's later, unrelated episode."""
    later = factories.report(social_worker, child, last_seen_at=days_ago(10))
    services.record_return(
        social_worker,
        later.reference,
        None,
        services.Return(days_ago(9), ReturnMethod.RETURNED_SELF),
    )
    client = signed_in(user_of(social_worker))
    form = text(client.get(f"/children/{child.pk}/report-missing"))
    assert 'name="still_missing"' in form
    assert 'name="returned_at_day"' in form
    response = client.post(
        f"/children/{child.pk}/report-missing",
        report_data(
            **when("last_seen_at", days_ago(30)),
            still_missing="no",
            **when("returned_at", days_ago(28)),
            return_method="found_by_carer",
            found_location="A friend's house in town",
        ),
    )
    episode = Episode.objects.exclude(pk=later.pk).get()
    assert response.status_code == 302
    assert episode.status == EpisodeStatus.RETURNED
    assert episode.returned_at == days_ago(28)
    page = text(client.get(response["Location"]))
    assert f"Episode {episode.reference} has been recorded, with the child&#x27;s return" in page
    assert "A friend&#x27;s house in town" in page
    assert "Record return or found" not in page  # it is over


def test_a_late_report_without_its_return_time_says_what_is_missing(
    worker_client: Client, child: Child
) -> None:
    response = worker_client.post(
        f"/children/{child.pk}/report-missing",
        report_data(**when("last_seen_at", days_ago(30)), still_missing="no"),
    )
    body = text(response)
    assert '<a href="#id_returned_at_day">Enter when the child returned or was found</a>' in body
    assert '<a href="#id_return_method_0">Select how the child returned or was found</a>' in body
    assert not Episode.objects.exists()


def test_a_report_still_missing_ignores_the_return_questions(
    worker_client: Client, child: Child
) -> None:
    worker_client.post(
        f"/children/{child.pk}/report-missing",
        report_data(still_missing="yes", return_method="found_by_police"),
    )
    assert Episode.objects.get().status == EpisodeStatus.MISSING


def test_a_homes_late_report_from_before_the_placement_is_kept_in_outline(
    council: Organisation,
) -> None:
    home = factories.CareProviderFactory(area_council=council)
    child = factories.ChildFactory(responsible_council=council)
    factories.looked_after(child)
    factories.place(child, provider=home, host=council, start=timezone.localdate() - timedelta(5))
    client = signed_in(factories.member(Role.CARE_STAFF, home))
    response = client.post(
        f"/children/{child.pk}/report-missing",
        report_data(
            **when("last_seen_at", days_ago(30)),
            last_seen_location="12 Pastmarker Road",
            still_missing="no",
            **when("returned_at", days_ago(29)),
            return_method="returned_self",
            reporter_type="home_staff",
        ),
    )
    episode = Episode.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    page = text(client.get(response["Location"]))
    assert f"Episode {episode.reference} has been recorded" in page
    assert 'id="earlier-episodes"' in page
    assert "12 Pastmarker Road" not in page


@pytest.fixture
def worker_client(social_worker: Actor) -> Client:
    return signed_in(user_of(social_worker))


# --- 8. every role's home page leads to its work ----------------------------------------


def work_links(body: str) -> dict[str, str]:
    """The "Your work" list: title to address."""
    section = body.split('id="your-work"', 1)
    assert len(section) == 2, "no Your work list on the home page"
    return {
        title: href
        for href, title in re.findall(
            r'<dt class="govuk-summary-list__key"><a class="govuk-link" href="([^"]+)">'
            r"([^<]+)</a>",
            section[1],
        )
    }


def home_world(council: Organisation, police: Organisation) -> dict[str, Organisation]:
    rhi = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews Ltd", code="RHI-1"
    )
    national = Organisation.objects.create(
        kind=OrganisationKind.NATIONAL, name="National Unit", code="NAT-1"
    )
    home = factories.CareProviderFactory(area_council=council)
    return {
        "council": council,
        "police": police,
        "care_provider": home,
        "rhi_provider": rhi,
        "national": national,
    }


EXPECTED_WORK: dict[tuple[Role, str], set[str]] = {
    (Role.BOARD_MEMBER, "council"): {"Board reports"},
    (Role.NATIONAL_ANALYST, "national"): {
        "National figures",
        "Download the national figures",
        "Themes over time",
    },
    (Role.ORG_ADMIN, "council"): {"Users"},
    (Role.ORG_ADMIN, "police"): {"Users"},
    (Role.RHI_WORKER, "rhi_provider"): {
        "Return interviews",
        "Find a child",
        "Places",
        "Your actions from meetings",
    },
    (Role.CARE_STAFF, "care_provider"): {
        "Find a child",
        "Missing profiles to review",
        "Our missing protocol",
        "Your actions from meetings",
        "Places",
    },
    (Role.CARE_MANAGER, "care_provider"): {
        "Find a child",
        "Missing profiles to review",
        "Our missing protocol",
        "Protocol compliance",
        "Your actions from meetings",
        "Places",
    },
    (Role.POLICE_CALL_HANDLER, "police"): {
        "Find a child",
        "Add a child",
        "Children who go missing together",
        "Your actions from meetings",
        "Harbouring notices",
        "Hotspots",
        "Places",
    },
    (Role.POLICE_OFFICER, "police"): {
        "Find a child",
        "Add a child",
        "Children who go missing together",
        "Your actions from meetings",
        "Harbouring notices",
        "Persons of concern",
        "Hotspots",
        "Places",
    },
    (Role.POLICE_MISSING_COORDINATOR, "police"): {
        "Find a child",
        "Children who go missing together",
        "Add a child",
        "Checks and interviews",
        "Figures",
        "Themes over time",
        "Your actions from meetings",
        "Harbouring notices",
        "Persons of concern",
        "Hotspots",
        "Places",
    },
    (Role.SOCIAL_WORKER, "council"): {
        "Find a child",
        "Children who go missing together",
        "Add a child",
        "Plans to review",
        "Missing profiles to review",
        "Your actions from meetings",
        "Harbouring notices",
        "Hotspots",
        "Places",
    },
    (Role.COUNCIL_MISSING_COORDINATOR, "council"): {
        "Find a child",
        "Children who go missing together",
        "Add a child",
        "Return interviews",
        "Checks and interviews",
        "Plans to review",
        "Missing profiles to review",
        "Emergency access",
        "Possible duplicate records",
        "Protocol compliance",
        "Figures",
        "Board reports",
        "Themes in what children say",
        "Themes over time",
        "Meetings",
        "Your actions from meetings",
        "Harbouring notices",
        "Persons of concern",
        "Hotspots",
        "Places",
        "Case audits",
    },
    (Role.COUNCIL_MANAGER, "council"): {
        "Find a child",
        "Children who go missing together",
        "Add a child",
        "Return interviews",
        "Checks and interviews",
        "Plans to review",
        "Missing profiles to review",
        "Emergency access",
        "Possible duplicate records",
        "Protocol compliance",
        "Figures",
        "Board reports",
        "Themes in what children say",
        "Themes over time",
        "Meetings",
        "Your actions from meetings",
        "Harbouring notices",
        "Persons of concern",
        "Hotspots",
        "Places",
        "Case audits",
    },
}


@pytest.mark.parametrize(("role", "kind"), list(EXPECTED_WORK), ids=lambda v: str(v))
def test_every_roles_home_page_leads_to_its_work(
    role: Role, kind: str, council: Organisation, police: Organisation
) -> None:
    """Each role's home page lists the pages its work is on, and each one opens for them
    (no typing addresses, and no link that ends in "you do not have permission")."""
    orgs = home_world(council, police)
    client = signed_in(factories.member(role, orgs[kind]))
    body = text(client.get("/"))
    links = work_links(body)
    assert set(links) == EXPECTED_WORK[(role, kind)]
    for title, href in links.items():
        response = client.get(href)
        assert response.status_code == 200, (title, href, response.status_code)


def test_the_board_members_home_page_and_menu_lead_to_the_board_reports(
    council: Organisation,
) -> None:
    client = signed_in(factories.member(Role.BOARD_MEMBER, council))
    body = text(client.get("/"))
    assert 'href="/insights/board/"' in body
    assert "never who they are" in body
    assert '<a class="govuk-service-navigation__link" href="/insights/"' in body  # Figures
    assert "Find a child" not in body
    assert "Open episodes" not in body


def test_care_staff_see_the_children_placed_with_them_and_can_report_each(
    council: Organisation,
) -> None:
    home = factories.CareProviderFactory(area_council=council)
    here = factories.ChildFactory(responsible_council=council)
    missing = factories.ChildFactory(responsible_council=council)
    elsewhere = factories.ChildFactory(responsible_council=council)
    for child in (here, missing):
        factories.looked_after(child)
        factories.place(child, provider=home, host=council)
    episode = factories.report(factories.actor(Role.CARE_STAFF, home), missing)
    body = text(signed_in(factories.member(Role.CARE_STAFF, home)).get("/"))
    assert "Children placed with you (2)" in body
    assert f'href="/children/{here.pk}/report-missing"' in body
    assert f'href="/episodes/{episode.reference}/"' in body
    assert f'href="/children/{missing.pk}/report-missing"' not in body  # already missing
    assert elsewhere.last_name not in body
    assert "To report a child missing" not in body  # they report from the list instead


def test_the_interviewers_home_page_is_their_interviews(
    council: Organisation, social_worker: Actor, child: Child
) -> None:
    rhi = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews Ltd", code="RHI-1"
    )
    episode = factories.report(social_worker, child)
    services.record_return(
        social_worker,
        episode.reference,
        None,
        services.Return(clock.now(), ReturnMethod.RETURNED_SELF),
    )
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    aftercare.assign_provider(coordinator, episode.return_interviews.get().pk, rhi.pk)
    body = text(signed_in(factories.member(Role.RHI_WORKER, rhi)).get("/"))
    assert "1 interview to do." in body
    assert 'href="/aftercare/interviews/"' in body
    assert "To report a child missing" not in body
    assert "Report missing" not in body


def test_only_those_who_may_add_a_child_are_told_to(
    council: Organisation, police: Organisation
) -> None:
    handler = signed_in(factories.member(Role.POLICE_CALL_HANDLER, police))
    assert "To report a child missing, find them first" in text(handler.get("/"))
    home = factories.CareProviderFactory(area_council=council)
    staff = signed_in(factories.member(Role.CARE_STAFF, home))
    assert "To report a child missing" not in text(staff.get("/"))


# --- 9. offer only what can be done now, and say why not ---------------------------------


@pytest.fixture
def returned(social_worker: Actor, child: Child) -> Episode:
    episode = factories.report(social_worker, child, hours_ago=5)
    return services.record_return(
        social_worker,
        episode.reference,
        None,
        services.Return(clock.now() - timedelta(hours=1), ReturnMethod.FOUND_BY_POLICE),
    )


def test_close_is_not_offered_to_the_police_until_it_can_be_done(
    returned: Episode, police: Organisation
) -> None:
    client = signed_in(factories.member(Role.POLICE_OFFICER, police))
    body = text(client.get(f"/episodes/{returned.reference}/"))
    assert "Close episode" not in body
    assert "The episode cannot be closed yet: the safe and well check is not recorded" in body
    factories.record_aftercare(returned)
    body = text(client.get(f"/episodes/{returned.reference}/"))
    assert "Close episode</a>" in body
    assert "cannot be closed yet" not in body


def test_a_step_that_comes_later_says_why_instead_of_refusing_the_role(
    returned: Episode, police: Organisation
) -> None:
    client = signed_in(factories.member(Role.POLICE_OFFICER, police))
    for path, reason in (
        ("risk", "Risk can only be re-graded while the child is missing."),
        ("return", "The return has already been recorded for this episode."),
        ("classification", "Classification can only change while the episode is open."),
    ):
        response = client.get(f"/episodes/{returned.reference}/{path}")
        assert response.status_code == 302, path
        assert response["Location"] == f"/episodes/{returned.reference}/"
        page = text(client.get(response["Location"]))
        assert reason in page.replace("&#x27;", "'"), path
        assert "Your role does not allow this" not in page
    # A step the role never allows is still refused as such.
    staff = signed_in(factories.member(Role.CARE_STAFF, factories.CareProviderFactory()))
    assert staff.get(f"/episodes/{returned.reference}/risk").status_code == 404  # not theirs


def test_an_interview_before_the_child_accepted_says_so(
    returned: Episode, council: Organisation
) -> None:
    """The interviewer may record interviews; this one just is not accepted yet."""
    rhi = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews Ltd", code="RHI-1"
    )
    interview = returned.return_interviews.get()
    aftercare.assign_provider(
        factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council), interview.pk, rhi.pk
    )
    client = signed_in(factories.member(Role.RHI_WORKER, rhi))
    response = client.get(f"/aftercare/interviews/{interview.pk}/interview")
    assert response.status_code == 302
    assert response["Location"] == f"/aftercare/interviews/{interview.pk}/"
    page = text(client.get(response["Location"]))
    assert "Record that the child accepted the interview first" in page
    assert "Your role does not allow this" not in page
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.PENDING
    # Someone whose role never records interviews is still refused.
    board = signed_in(factories.member(Role.BOARD_MEMBER, council))
    assert board.get(f"/aftercare/interviews/{interview.pk}/interview").status_code in {403, 404}
