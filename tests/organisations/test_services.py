"""An organisation administrator manages their own organisation's users, and no one else's:
adding people with a one-time set-password link, changing roles, switching accounts off
(which revokes their API tokens), resetting two-factor; and revoking API tokens."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.audit.models import AuditEvent
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.notifications import events
from homeward.organisations import services
from homeward.organisations.models import ApiToken, Membership, Organisation, Role, User
from tests import factories
from tests.actors import user_of
from tests.organisations.totp import give_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(council: Organisation) -> Actor:
    return factories.actor(Role.ORG_ADMIN, council)


@pytest.fixture
def worker(council: Organisation) -> User:
    return factories.member(Role.SOCIAL_WORKER, council, username="sam.worker")


@pytest.fixture
def outsider(police: Organisation) -> User:
    return factories.member(Role.POLICE_OFFICER, police, username="pat.outsider")


def new_user(**overrides: str) -> services.NewUser:
    values = {
        "first_name": "Robin",
        "last_name": "Ashby",
        "email": "robin.ashby@example.test",
        "username": "robin.ashby",
        "role": Role.COUNCIL_MISSING_COORDINATOR,
    }
    values.update(overrides)
    return services.NewUser(**values)


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COUNCIL_MANAGER, Role.BOARD_MEMBER])
def test_only_administrators_manage_users(council: Organisation, worker: User, role: Role) -> None:
    someone = factories.actor(role, council)
    for call in (
        lambda: services.list_members(someone),
        lambda: services.add_user(someone, new_user()),
        lambda: services.change_role(someone, worker.pk, Role.COUNCIL_MANAGER),
        lambda: services.deactivate_user(someone, worker.pk),
        lambda: services.reset_mfa(someone, worker.pk),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert not AuditEvent.objects.exists()


def test_an_admin_of_another_organisation_finds_no_such_user(admin: Actor, outsider: User) -> None:
    for call in (
        lambda: services.get_member(admin, outsider.pk),
        lambda: services.change_role(admin, outsider.pk, Role.SOCIAL_WORKER),
        lambda: services.deactivate_user(admin, outsider.pk),
        lambda: services.reset_mfa(admin, outsider.pk),
        lambda: services.member_tokens(admin, outsider.pk),
        lambda: services.get_member(admin, 999_999),
        lambda: services.get_member(admin, "not-a-number"),
    ):
        with pytest.raises(NotFound):
            call()
    outsider.refresh_from_db()
    assert outsider.is_active


def test_the_list_is_this_organisation_only(admin: Actor, worker: User, outsider: User) -> None:
    listed = {m.user for m in services.list_members(admin)}
    assert worker in listed
    assert admin.user in listed
    assert outsider not in listed


def test_administrators_never_see_children(admin: Actor, child: Child) -> None:
    assert not visibility.visible_children(admin).exists()
    with pytest.raises(NotFound):
        visibility.get_child(admin, child.pk)


# --- adding a user ------------------------------------------------------------------------


def test_adding_a_user_gives_a_one_time_set_password_link(
    admin: Actor, council: Organisation
) -> None:
    user, path = services.add_user(admin, new_user(username="Robin.Ashby"))
    assert user.username == "robin.ashby"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert membership.organisation == council
    assert membership.role == Role.COUNCIL_MISSING_COORDINATOR
    assert path.startswith("/set-password/")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert default_token_generator.check_token(user, token)
    event = AuditEvent.objects.get(action="add_user")
    assert event.user == admin.user
    assert event.object_id == str(user.pk)
    assert token not in str(event.details)
    assert DomainEvent.objects.filter(name=events.USER_ADDED, aggregate_id=str(user.pk)).exists()


def test_a_role_must_be_one_this_kind_of_organisation_holds(admin: Actor) -> None:
    with pytest.raises(ValidationFailed) as raised:
        services.add_user(admin, new_user(role=Role.POLICE_OFFICER))
    assert raised.value.errors == {"role": ["Select a role from the list"]}
    assert not User.objects.filter(username="robin.ashby").exists()


def test_roles_offered_follow_the_organisation_kind(
    council: Organisation, police: Organisation
) -> None:
    council_roles = {value for value, _ in services.roles_for(council)}
    assert Role.SOCIAL_WORKER in council_roles
    assert Role.ORG_ADMIN in council_roles
    assert Role.POLICE_OFFICER not in council_roles
    assert Role.POLICE_OFFICER in {value for value, _ in services.roles_for(police)}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": " "}, "first_name", "Enter their first name"),
        ({"last_name": ""}, "last_name", "Enter their last name"),
        ({"email": ""}, "email", "Enter their email address"),
        ({"email": "not-an-address"}, "email", "Enter an email address in the correct format"),
        ({"username": ""}, "username", "Enter a username"),
        ({"username": "has spaces"}, "username", "Username must only include"),
        ({"username": "sam.worker"}, "username", "That username is already in use"),
        ({"username": "SAM.WORKER"}, "username", "That username is already in use"),
        ({"first_name": "x" * 151}, "first_name", "First name must be 150 characters or fewer"),
        ({"last_name": "a\x00b"}, "last_name", "Remove the invisible control characters"),
    ],
)
def test_adding_a_user_checks_every_field(
    admin: Actor, worker: User, overrides: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        services.add_user(admin, new_user(**overrides))
    assert field in raised.value.errors
    assert raised.value.errors[field][0].startswith(message)
    assert not AuditEvent.objects.filter(action="add_user").exists()


# --- changing roles -----------------------------------------------------------------------


def test_changing_a_role(admin: Actor, worker: User) -> None:
    membership = services.change_role(admin, worker.pk, Role.COUNCIL_MANAGER)
    assert membership.role == Role.COUNCIL_MANAGER
    assert Membership.objects.get(user=worker).role == Role.COUNCIL_MANAGER
    event = AuditEvent.objects.get(action="change_role")
    assert event.details["from"] == Role.SOCIAL_WORKER
    assert event.details["to"] == Role.COUNCIL_MANAGER
    assert DomainEvent.objects.filter(name=events.USER_ROLE_CHANGED).exists()


def test_a_role_from_another_kind_is_refused(admin: Actor, worker: User) -> None:
    with pytest.raises(ValidationFailed):
        services.change_role(admin, worker.pk, Role.CARE_STAFF)
    assert Membership.objects.get(user=worker).role == Role.SOCIAL_WORKER


def test_admins_cannot_change_their_own_role_or_switch_themselves_off(admin: Actor) -> None:
    with pytest.raises(ValidationFailed):
        services.change_role(admin, user_of(admin).pk, Role.SOCIAL_WORKER)
    with pytest.raises(ValidationFailed):
        services.deactivate_user(admin, user_of(admin).pk)
    with pytest.raises(ValidationFailed):
        services.reset_mfa(admin, user_of(admin).pk)
    assert Membership.objects.get(user=admin.user).role == Role.ORG_ADMIN


# --- switching off ------------------------------------------------------------------------


def test_switching_off_ends_sign_in_and_revokes_api_tokens(
    client: Client, admin: Actor, worker: User, child: Child
) -> None:
    token = factories.api_token(worker)
    assert (
        client.get(
            f"/api/v1/children/{child.pk}", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    services.deactivate_user(admin, worker.pk)
    worker.refresh_from_db()
    assert not worker.is_active
    assert not Membership.objects.get(user=worker).is_active
    assert ApiToken.objects.get(user=worker).revoked_at is not None
    assert (
        client.get(
            f"/api/v1/children/{child.pk}", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 401
    )
    signing_in = client.post(
        "/sign-in", {"username": worker.username, "password": factories.TEST_PASSWORD}
    )
    assert signing_in.status_code == 200
    event = AuditEvent.objects.get(action="deactivate_user")
    assert event.details["account_off"] is True
    assert len(event.details["tokens_revoked"]) == 1
    assert token not in str(event.details)
    assert DomainEvent.objects.filter(name=events.USER_DEACTIVATED).exists()


def test_switching_off_ends_an_open_session(client: Client, admin: Actor, worker: User) -> None:
    client.force_login(worker)
    assert client.get("/").status_code == 200
    services.deactivate_user(admin, worker.pk)
    assert client.get("/").status_code == 302


def test_someone_in_two_organisations_keeps_the_other(
    admin: Actor, worker: User, police: Organisation
) -> None:
    Membership.objects.create(user=worker, organisation=police, role=Role.POLICE_OFFICER)
    services.deactivate_user(admin, worker.pk)
    worker.refresh_from_db()
    assert worker.is_active
    membership = worker.active_membership()
    assert membership is not None
    assert membership.organisation == police


# --- two-factor ---------------------------------------------------------------------------


def test_resetting_two_factor_removes_the_app(admin: Actor, worker: User) -> None:
    give_app(worker)
    services.reset_mfa(admin, worker.pk)
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not services.has_mfa(worker)
    event = AuditEvent.objects.get(action="reset_mfa")
    assert event.details["devices_removed"] == 1
    assert DomainEvent.objects.filter(name=events.USER_MFA_RESET).exists()


# --- API tokens ---------------------------------------------------------------------------


def test_users_revoke_their_own_tokens_only(worker: User, outsider: User) -> None:
    mine, _ = ApiToken.issue(worker)
    theirs, _ = ApiToken.issue(outsider)
    actor = Actor.for_user(worker)
    services.revoke_token(actor, mine.pk)
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    with pytest.raises(NotFound):
        services.revoke_token(actor, theirs.pk)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    event = AuditEvent.objects.get(action="revoke_token")
    assert event.details == {"user": worker.pk, "prefix": mine.prefix}


def test_admins_revoke_their_organisations_tokens_only(
    admin: Actor, worker: User, outsider: User
) -> None:
    theirs, _ = ApiToken.issue(worker)
    elsewhere, _ = ApiToken.issue(outsider)
    services.revoke_token(admin, theirs.pk)
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None
    with pytest.raises(NotFound):
        services.revoke_token(admin, elsewhere.pk)
    with pytest.raises(NotFound):
        services.revoke_token(admin, 999_999)


def test_revoking_twice_is_harmless(worker: User) -> None:
    token, _ = ApiToken.issue(worker)
    actor = Actor.for_user(worker)
    first = services.revoke_token(actor, token.pk).revoked_at
    assert services.revoke_token(actor, token.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="revoke_token").count() == 1


def revoke(*args: str) -> str:
    out = io.StringIO()
    call_command("revoke_token", *args, stdout=out)
    return out.getvalue()


def test_revoke_token_command_by_prefix(client: Client, worker: User, child: Child) -> None:
    token, secret = ApiToken.issue(worker)
    other, _ = ApiToken.issue(worker)
    printed = revoke(token.prefix)
    assert token.prefix in printed
    assert worker.username in printed
    token.refresh_from_db()
    other.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_at <= clock.now()
    assert other.revoked_at is None
    response = client.get(
        f"/api/v1/children/{child.pk}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 401
    event = AuditEvent.objects.get(action="revoke_token")
    assert event.channel == "cli"
    assert event.user is None


def test_revoke_token_command_accepts_the_whole_token(worker: User) -> None:
    token, secret = ApiToken.issue(worker)
    revoke(secret)
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("prefix", ["hw_", "hw_abc", "abcdefghijk", ""])
def test_revoke_token_command_refuses_a_short_prefix(worker: User, prefix: str) -> None:
    ApiToken.issue(worker)
    with pytest.raises(CommandError):
        revoke(prefix)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_revoke_token_command_says_when_nothing_matched(db: None) -> None:
    with pytest.raises(CommandError, match="No unrevoked token"):
        revoke("hw_zzzzzzzz")
