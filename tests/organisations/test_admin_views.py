"""The administrator's pages under /organisation/users/, the set-password link, and the
account pages where users see and revoke their own API tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.audit.models import AuditEvent
from homeward.organisations.models import ApiToken, Membership, Organisation, Role, User
from tests import factories
from tests.organisations.totp import give_app
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db


def text(response: ClientResponse) -> str:
    return response.content.decode()


@pytest.fixture
def admin_user(council: Organisation) -> User:
    return factories.member(Role.ORG_ADMIN, council, first_name="Alex", last_name="Admin")


@pytest.fixture
def admin(client: Client, admin_user: User) -> Client:
    client.force_login(admin_user)
    return client


@pytest.fixture
def worker(council: Organisation) -> User:
    return factories.member(
        Role.SOCIAL_WORKER, council, username="sam.worker", first_name="Sam", last_name="Worker"
    )


@pytest.fixture
def outsider(police: Organisation) -> User:
    return factories.member(Role.POLICE_OFFICER, police, username="pat.outsider")


def test_the_list_shows_this_organisations_users(
    admin: Client, council: Organisation, worker: User, outsider: User
) -> None:
    response = admin.get("/organisation/users/")
    body = text(response)
    assert response.status_code == 200
    assert "<title>Users - Homeward</title>" in body
    assert council.name in body
    assert "Sam Worker" in body
    assert "sam.worker" in body
    assert "Social worker" in body
    assert f'href="/organisation/users/{worker.pk}/"' in body
    assert "pat.outsider" not in body


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COUNCIL_MANAGER])
def test_other_roles_are_refused(
    client: Client, council: Organisation, worker: User, role: Role
) -> None:
    client.force_login(factories.member(role, council))
    for path in (
        "/organisation/users/",
        "/organisation/users/add",
        f"/organisation/users/{worker.pk}/",
    ):
        assert client.get(path).status_code == 403


def test_signed_out_visitors_go_to_sign_in(client: Client, worker: User) -> None:
    response = client.get("/organisation/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


def test_another_organisations_user_is_not_found(admin: Client, outsider: User) -> None:
    assert admin.get(f"/organisation/users/{outsider.pk}/").status_code == 404
    for action in ("role", "deactivate", "reset-mfa"):
        response = admin.post(
            f"/organisation/users/{outsider.pk}/", {"action": action, "role": "police_officer"}
        )
        assert response.status_code == 404
    token, _ = ApiToken.issue(outsider)
    assert (
        admin.post(f"/organisation/users/{outsider.pk}/tokens/{token.pk}/revoke").status_code == 404
    )
    outsider.refresh_from_db()
    token.refresh_from_db()
    assert outsider.is_active
    assert token.revoked_at is None
    assert "pat.outsider" not in text(admin.get(f"/organisation/users/{outsider.pk}/"))


def test_adding_a_user_shows_their_link_once_and_it_sets_their_password(
    admin: Client, council: Organisation
) -> None:
    page = admin.get("/organisation/users/add")
    body = text(page)
    assert page.status_code == 200
    assert "Social worker" in body
    assert "Police officer" not in body
    response = admin.post(
        "/organisation/users/add",
        {
            "first_name": "Robin",
            "last_name": "Ashby",
            "email": "robin@example.test",
            "username": "robin.ashby",
            "role": Role.COUNCIL_MANAGER,
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert "User added" in body
    link = re.search(r'id="set-password-link">(http://testserver/set-password/[^<]+)<', body)
    assert link
    user = User.objects.get(username="robin.ashby")
    assert Membership.objects.get(user=user).organisation == council

    # The new user opens the link (in their own browser) and chooses a password.
    newcomer = Client()
    path = link.group(1).removeprefix("http://testserver")
    opened = newcomer.get(path)
    assert opened.status_code == 302  # Django hides the token from the page's address
    form_page = newcomer.get(opened["Location"])
    assert "Choose your password" in text(form_page)
    assert "robin.ashby" in text(form_page)
    short = newcomer.post(opened["Location"], {"new_password1": "short", "new_password2": "short"})
    assert "at least 12 characters" in text(short)
    chosen = "kettle-harbour-meadow-lantern"
    done = newcomer.post(opened["Location"], {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 302
    assert done["Location"] == "/sign-in"
    assert "Your password has been set" in text(newcomer.get("/sign-in"))
    user.refresh_from_db()
    assert user.check_password(chosen)
    assert AuditEvent.objects.filter(action="set_password", user=user).exists()
    # The link works once only.
    again = Client().get(path, follow=True)
    assert "This link has expired" in text(again)
    signed_in = Client().post("/sign-in", {"username": "robin.ashby", "password": chosen})
    assert signed_in.status_code == 302


def test_adding_a_user_shows_errors_on_the_form(admin: Client, worker: User) -> None:
    response = admin.post(
        "/organisation/users/add",
        {"first_name": "", "last_name": "Ashby", "email": "nope", "username": "sam.worker"},
    )
    body = text(response)
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in body
    assert '<a href="#id_first_name">Enter their first name</a>' in body
    assert '<a href="#id_role_0">Select a role</a>' in body
    assert not User.objects.filter(last_name="Ashby").exists()
    duplicate = admin.post(
        "/organisation/users/add",
        {
            "first_name": "Sam",
            "last_name": "Again",
            "email": "nope",
            "username": "sam.worker",
            "role": Role.SOCIAL_WORKER,
        },
    )
    body = text(duplicate)
    assert "Enter an email address in the correct format" in body
    assert "That username is already in use" in body


def test_the_user_page_changes_their_role(admin: Client, worker: User) -> None:
    page = text(admin.get(f"/organisation/users/{worker.pk}/"))
    assert "Sam Worker" in page
    assert "Not set up" in page
    response = admin.post(
        f"/organisation/users/{worker.pk}/", {"action": "role", "role": Role.COUNCIL_MANAGER}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=worker).role == Role.COUNCIL_MANAGER
    assert "Their role has been changed" in text(admin.get(response["Location"]))


def test_a_role_from_another_kind_is_an_error(admin: Client, worker: User) -> None:
    response = admin.post(
        f"/organisation/users/{worker.pk}/", {"action": "role", "role": Role.POLICE_OFFICER}
    )
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in text(response)
    assert Membership.objects.get(user=worker).role == Role.SOCIAL_WORKER


def test_the_user_page_switches_them_off_and_revokes_their_tokens(
    admin: Client, worker: User
) -> None:
    token, _ = ApiToken.issue(worker)
    response = admin.post(f"/organisation/users/{worker.pk}/", {"action": "deactivate"})
    assert response.status_code == 302
    worker.refresh_from_db()
    token.refresh_from_db()
    assert not worker.is_active
    assert token.revoked_at is not None
    body = text(admin.get(response["Location"]))
    assert "Switched off" in body
    assert "Revoked" in body


def test_a_user_who_forgot_their_password_gets_a_new_link_from_the_admin(
    admin: Client, worker: User
) -> None:
    response = admin.post(f"/organisation/users/{worker.pk}/", {"action": "password-link"})
    body = text(response)
    assert response.status_code == 200
    assert "Give Sam Worker this link" in body
    link = re.search(r'id="set-password-link">http://testserver(/set-password/[^<]+)<', body)
    assert link
    assert AuditEvent.objects.filter(action="password_link", object_id=str(worker.pk)).exists()

    person = Client()
    opened = person.get(link.group(1))
    chosen = "orchard-lantern-copper-field"
    done = person.post(opened["Location"], {"new_password1": chosen, "new_password2": chosen})
    assert done.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(chosen)
    assert "This link has expired" in text(Client().get(link.group(1), follow=True))


def test_no_password_link_for_a_switched_off_account(admin: Client, worker: User) -> None:
    admin.post(f"/organisation/users/{worker.pk}/", {"action": "deactivate"})
    response = admin.post(f"/organisation/users/{worker.pk}/", {"action": "password-link"})
    assert "Their account is switched off" in text(response)
    assert "set-password-link" not in text(response)


def test_the_user_page_resets_two_factor(admin: Client, worker: User) -> None:
    give_app(worker)
    assert "Set up" in text(admin.get(f"/organisation/users/{worker.pk}/"))
    response = admin.post(f"/organisation/users/{worker.pk}/", {"action": "reset-mfa"})
    assert response.status_code == 302
    assert "Two-factor authentication has been reset" in text(admin.get(response["Location"]))
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_the_admins_own_page_offers_no_changes(admin: Client, admin_user: User) -> None:
    body = text(admin.get(f"/organisation/users/{admin_user.pk}/"))
    assert "This is your own account" in body
    assert 'value="deactivate"' not in body
    response = admin.post(f"/organisation/users/{admin_user.pk}/", {"action": "deactivate"})
    assert response.status_code == 200
    assert "You cannot switch off yourself" in text(response)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_unknown_action_is_not_found(admin: Client, worker: User) -> None:
    assert admin.post(f"/organisation/users/{worker.pk}/", {"action": "delete"}).status_code == 404


def test_an_admin_revokes_a_members_token(
    admin: Client, worker: User, council: Organisation
) -> None:
    token, _ = ApiToken.issue(worker)
    body = text(admin.get(f"/organisation/users/{worker.pk}/"))
    action = f"/organisation/users/{worker.pk}/tokens/{token.pk}/revoke"
    assert f'action="{action}"' in body
    assert token.prefix in body
    assert admin.get(action).status_code == 405
    response = admin.post(action)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    # A token of another member, through this member's address: not found.
    colleague = factories.member(Role.SOCIAL_WORKER, council)
    theirs, _ = ApiToken.issue(colleague)
    wrong = admin.post(f"/organisation/users/{worker.pk}/tokens/{theirs.pk}/revoke")
    assert wrong.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


# --- the user's own account ---------------------------------------------------------------


def test_users_see_and_revoke_their_own_tokens(
    client: Client, worker: User, outsider: User
) -> None:
    mine, _ = ApiToken.issue(worker)
    theirs, _ = ApiToken.issue(outsider)
    client.force_login(worker)
    account = text(client.get("/account/"))
    assert "1 in use" in account
    assert 'href="/account/tokens"' in account
    page = text(client.get("/account/tokens"))
    assert mine.prefix in page
    assert theirs.prefix not in page
    response = client.post(f"/account/tokens/{mine.pk}/revoke")
    assert response.status_code == 302
    assert response["Location"] == "/account/tokens"
    assert f"API token {mine.prefix}… has been revoked" in text(client.get("/account/tokens"))
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert client.post(f"/account/tokens/{theirs.pk}/revoke").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@pytest.mark.parametrize(
    "path", ["/account/", "/account/tokens", "/account/password", "/organisation/users/"]
)
def test_account_pages_have_no_inline_script_or_style(admin: Client, path: str) -> None:
    body = text(admin.get(path))
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == []
    assert "<style" not in body
    assert " style=" not in body
