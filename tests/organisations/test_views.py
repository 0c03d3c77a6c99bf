"""Signing in and out, the page layout every user sees, and the error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db


def text(response: ClientResponse) -> str:
    return response.content.decode()


def test_signed_out_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in?next=/")


def test_sign_in_page_is_a_gov_uk_page(client: Client) -> None:
    response = client.get("/sign-in")
    body = text(response)
    assert response.status_code == 200
    assert "<title>Sign in - Homeward</title>" in body
    assert 'class="govuk-skip-link"' in body
    assert 'href="#main-content"' in body
    assert 'id="main-content"' in body
    assert "govuk-phase-banner" in body
    assert "govuk-footer" in body
    assert 'href="/static/css/app.css"' in body
    assert '<script type="module" src="/static/js/app.mjs"></script>' in body
    assert 'autocomplete="current-password"' in body


@pytest.mark.parametrize("path", ["/sign-in", "/", "/children/"])
def test_no_inline_script_or_style(client: Client, council: Organisation, path: str) -> None:
    client.force_login(factories.member(Role.SOCIAL_WORKER, council))
    body = text(client.get(path, follow=True))
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == []
    assert "<style" not in body
    assert " style=" not in body


def test_signing_in_shows_who_where_and_role(client: Client, police: Organisation) -> None:
    user = factories.member(
        Role.POLICE_MISSING_COORDINATOR, police, first_name="Priya", last_name="Shah"
    )
    response = client.post(
        "/sign-in", {"username": user.username, "password": factories.TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    body = text(client.get("/"))
    assert "Priya Shah" in body
    assert police.name in body
    assert "Police missing persons coordinator" in body
    assert 'action="/sign-out"' in body


def test_wrong_password_is_an_error_on_the_form(client: Client, police: Organisation) -> None:
    user = factories.member(Role.POLICE_OFFICER, police)
    response = client.post("/sign-in", {"username": user.username, "password": "not-it"})
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: Sign in - Homeward</title>" in body
    assert 'class="govuk-error-summary"' in body
    assert '<a href="#id_username">Enter a correct username and password</a>' in body
    assert "not-it" not in body  # a password is never sent back
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_names_each_missing_field(client: Client) -> None:
    body = text(client.post("/sign-in", {"username": "", "password": ""}))
    assert '<a href="#id_username">Enter your username</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body
    assert '<span class="govuk-visually-hidden">Error:</span> Enter your password' in body


def test_sign_out_is_post_only(client: Client, police: Organisation) -> None:
    client.force_login(factories.member(Role.POLICE_OFFICER, police))
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in"
    assert client.get("/").status_code == 302
    assert "You have signed out" in text(client.get("/sign-in"))


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.NATIONAL_ANALYST])
def test_aggregate_only_roles_see_no_identities(
    client: Client, council: Organisation, role: str
) -> None:
    child = factories.ChildFactory(
        first_name="Zephyrine", last_name="Quarmby", responsible_council=council
    )
    factories.report(factories.actor(Role.SOCIAL_WORKER, council), child)
    org = (
        council
        if role == Role.BOARD_MEMBER
        else factories.CouncilFactory(kind=OrganisationKind.NATIONAL)
    )
    client.force_login(factories.member(role, org))
    response = client.get("/")
    body = text(response)
    assert response.status_code == 200
    assert "never who they are" in body
    assert child.last_name not in body
    assert child.first_name not in body
    assert "Find a child" not in body
    assert client.get("/children/").status_code == 403
    detail = client.get(f"/children/{child.pk}/")
    assert detail.status_code == 404
    assert child.last_name not in text(detail)


def test_user_without_an_organisation_is_told_so(client: Client) -> None:
    client.force_login(factories.UserFactory())
    body = text(client.get("/"))
    assert "Your account is not linked to an organisation" in body


def test_unknown_page_is_a_gov_uk_404(client: Client, police: Organisation) -> None:
    client.force_login(factories.member(Role.POLICE_OFFICER, police))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "govuk-header" in text(response)


def test_server_error_page_needs_no_database(client: Client) -> None:
    from homeward.core.views import server_error

    response = server_error(None)  # type: ignore[arg-type]
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
