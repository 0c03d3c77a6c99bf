"""GET /api/v1/me: who the token acts as, what they may do and where their work is, the
same answers the pages draw their menu and home page from, and no child's data."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from homeward import navigation
from homeward.audit.models import AuditEvent
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, OrganisationKind, Role, User
from tests import factories
from tests.apiclient import ApiClient, token_for

ME = "/api/v1/me"


def _home_links(user: User) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    body = client.get("/").content.decode()
    section = body.split('id="your-work"', 1)
    if len(section) < 2:
        return {}
    return {
        title: href
        for href, title in re.findall(
            r'<dt class="govuk-summary-list__key"><a class="govuk-link" href="([^"]+)">'
            r"([^<]+)</a>",
            section[1],
        )
    }


def test_a_social_worker_sees_their_council_role_and_work(
    api: ApiClient, social_worker: Actor, council: Organisation
) -> None:
    before = AuditEvent.objects.count()
    response = api.get(ME, token=token_for(social_worker))
    assert response.status == 200
    body = response.body
    assert social_worker.user is not None
    assert body["username"] == social_worker.user.get_username()
    assert body["organisation"] == {"name": council.name, "code": council.code, "kind": "council"}
    assert body["role"] == Role.SOCIAL_WORKER
    assert body["role_label"] == Role.SOCIAL_WORKER.label
    assert body["may"]["see_episodes"] is True
    assert body["may"]["add_child"] is True
    assert body["may"]["see_figures"] is False
    assert body["may"]["administer"] is False
    assert [link["title"] for link in body["work"]] == [
        "Find a child",
        "Add a child",
        "Plans to review",
        "Children who go missing together",
        "Hotspots",
        "Places",
        "Missing profiles to review",
        "Harbouring notices",
        "Your actions from meetings",
    ]
    assert AuditEvent.objects.count() == before  # no child was read


ROLES = [
    (Role.POLICE_CALL_HANDLER, "police"),
    (Role.POLICE_MISSING_COORDINATOR, "police"),
    (Role.COUNCIL_MISSING_COORDINATOR, "council"),
    (Role.CARE_STAFF, "home"),
    (Role.RHI_WORKER, "rhi"),
    (Role.BOARD_MEMBER, "council"),
    (Role.NATIONAL_ANALYST, "national"),
    (Role.ORG_ADMIN, "council"),
]


@pytest.mark.parametrize(("role", "where"), ROLES)
def test_the_api_and_the_home_page_give_the_same_work(
    api: ApiClient, police: Organisation, council: Organisation, role: str, where: str
) -> None:
    organisations: dict[str, Organisation] = {
        "police": police,
        "council": council,
        "home": factories.CareProviderFactory(area_council=council),
        "rhi": Organisation.objects.create(
            kind=OrganisationKind.RHI_PROVIDER, name="Interviews Ltd", code="RHI-1"
        ),
        "national": Organisation.objects.create(
            kind=OrganisationKind.NATIONAL, name="National Unit", code="NAT-1"
        ),
    }
    actor = factories.actor(role, organisations[where])
    body = api.get(ME, token=token_for(actor)).body
    assert actor.user is not None
    assert {link["title"]: link["url"] for link in body["work"]} == _home_links(actor.user)
    assert body["may"] == navigation.may(actor).as_dict()
    assert body["role"] == role


def test_a_user_with_no_organisation_may_do_nothing(api: ApiClient) -> None:
    user = factories.UserFactory()
    body = api.get(ME, token=token_for(user)).body
    assert body["organisation"] is None
    assert body["role"] is None
    assert not any(body["may"].values())
    assert body["work"] == []
