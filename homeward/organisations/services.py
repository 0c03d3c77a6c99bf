"""Managing an organisation's users, two-factor and API tokens.

An organisation's administrator (role org_admin) manages only the people in their own
organisation: anyone else is "not found", never "forbidden". Each function checks
permission, validates, saves, audits and emits a domain event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import person_name, text_errors
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.events import (
    ApiTokenRevoked,
    PasswordLinkIssued,
    UserAdded,
    UserDeactivated,
    UserMfaReset,
    UserRoleChanged,
)
from homeward.organisations.models import (
    ROLES_BY_KIND,
    ApiToken,
    Membership,
    Organisation,
    Role,
    User,
)
from homeward.organisations.policy import Action

USERNAME_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789.@+-_")


def _admin_organisation(actor: Actor) -> Organisation:
    policy.require_role(actor, Action.ADMINISTER)
    org = actor.organisation
    if org is None:  # pragma: no cover - a role always comes with an organisation
        raise AccessDenied("Your role does not allow you to do this.")
    return org


def roles_for(org: Organisation) -> list[tuple[str, str]]:
    """The roles people in ``org`` may hold, as (value, label), in the order Role lists."""
    allowed = ROLES_BY_KIND.get(org.kind, set())
    return [(value, label) for value, label in Role.choices if value in allowed]


def list_members(actor: Actor) -> QuerySet[Membership]:
    org = _admin_organisation(actor)
    return (
        Membership.objects.filter(organisation=org)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__username")
    )


def get_member(actor: Actor, user_id: object) -> Membership:
    """The user's membership of the admin's own organisation; anyone else is NotFound."""
    org = _admin_organisation(actor)
    try:
        pk = int(str(user_id))
    except ValueError:
        raise NotFound("No user was found.") from None
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=org, user_id=pk)
        .order_by("-is_active", "pk")
        .first()
    )
    if membership is None:
        raise NotFound("No user was found.")
    return membership


def set_password_path(user: User) -> str:
    """A one-time link for the user to choose their password (Django's reset tokens: it
    stops working once the password is set, or after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("organisations:set-password", kwargs={"uidb64": uid, "token": token})


@dataclass
class NewUser:
    first_name: str
    last_name: str
    email: str
    username: str
    role: str


def _check_role(org: Organisation, role: str, field: str = "role") -> None:
    if role not in {value for value, _ in roles_for(org)}:
        raise ValidationFailed({field: "Select a role from the list"})


@transaction.atomic
def add_user(actor: Actor, details: NewUser) -> tuple[User, str]:
    """Add a person to the admin's organisation. Returns the user and the path of their
    one-time set-password link, which the admin passes on to them."""
    org = _admin_organisation(actor)
    first_name, last_name = person_name(details.first_name), person_name(details.last_name)
    email, username = details.email.strip(), details.username.strip().lower()
    errors = text_errors(
        User,
        {"first_name": first_name, "last_name": last_name, "email": email, "username": username},
    )
    if not first_name:
        errors.setdefault("first_name", ["Enter their first name"])
    if not last_name:
        errors.setdefault("last_name", ["Enter their last name"])
    if not email:
        errors.setdefault("email", ["Enter their email address"])
    elif "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                "Enter an email address in the correct format, like name@example.com"
            ]
    if not username:
        errors.setdefault("username", ["Enter a username"])
    elif "username" not in errors:
        if not set(username) <= USERNAME_CHARACTERS:
            errors["username"] = [
                "Username must only include letters a to z, numbers, and . @ + - or _"
            ]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = ["That username is already in use: choose another"]
    try:
        _check_role(org, details.role)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organisation=org, role=details.role)
    record_change(
        actor,
        UserAdded(
            aggregate_id=user.pk,
            organisation=org.pk,
            role=details.role,
            by=actor.user.pk if actor.user else None,
        ),
        action="add_user",
        details={"username": username, "role": details.role, "organisation": org.pk},
    )
    return user, set_password_path(user)


def _not_yourself(actor: Actor, membership: Membership, what: str) -> None:
    if actor.user is not None and membership.user_id == actor.user.pk:
        raise ValidationFailed({"user": f"You cannot {what} yourself: ask another administrator"})


@transaction.atomic
def change_role(actor: Actor, user_id: object, role: str) -> Membership:
    membership = get_member(actor, user_id)
    org = membership.organisation
    _check_role(org, role)
    _not_yourself(actor, membership, "change the role of")
    if not membership.is_active:
        raise ValidationFailed({"role": "This person's account is switched off"})
    previous = membership.role
    if previous == role:
        return membership
    if Membership.objects.filter(user_id=membership.user_id, organisation=org, role=role).exists():
        raise ValidationFailed({"role": "They already hold that role here"})
    membership.role = role
    membership.save(update_fields=["role"])
    record_change(
        actor,
        UserRoleChanged(
            aggregate_id=membership.user_id, organisation=org.pk, from_=previous, to=role
        ),
        action="change_role",
        details={"from": previous, "to": role, "organisation": org.pk},
    )
    return membership


def _revoke_tokens(user_id: int) -> list[str]:
    tokens = list(ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True))
    now = clock.now()
    for token in tokens:
        token.revoked_at = now
    ApiToken.objects.bulk_update(tokens, ["revoked_at"])
    return [token.prefix for token in tokens]


@transaction.atomic
def deactivate_user(actor: Actor, user_id: object) -> Membership:
    """Switch off their membership of this organisation and revoke all their API tokens;
    with no other organisation left, the account itself is switched off (which ends its
    sessions: Django lets no inactive user back in)."""
    membership = get_member(actor, user_id)
    _not_yourself(actor, membership, "switch off")
    org = membership.organisation
    Membership.objects.filter(user_id=membership.user_id, organisation=org).update(is_active=False)
    membership.is_active = False
    user = membership.user
    if not user.memberships.filter(is_active=True).exists() and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    revoked = _revoke_tokens(user.pk)
    record_change(
        actor,
        UserDeactivated(aggregate_id=user.pk, organisation=org.pk),
        action="deactivate_user",
        details={
            "organisation": org.pk,
            "tokens_revoked": revoked,
            "account_off": not user.is_active,
        },
    )
    return membership


@transaction.atomic
def reset_mfa(actor: Actor, user_id: object) -> Membership:
    """Remove their authenticator app: at their next sign-in they set up a new one. A session
    verified with the old app is no longer verified."""
    membership = get_member(actor, user_id)
    _not_yourself(actor, membership, "reset two-factor for")
    removed, _ = TOTPDevice.objects.filter(user_id=membership.user_id).delete()
    record_change(
        actor,
        UserMfaReset(aggregate_id=membership.user_id, organisation=membership.organisation_id),
        action="reset_mfa",
        details={"organisation": membership.organisation_id, "devices_removed": removed},
    )
    return membership


@transaction.atomic
def new_password_link(actor: Actor, user_id: object) -> tuple[Membership, str]:
    """A new one-time set-password link for someone who forgot their password or lost
    their first link. Their current password keeps working until they choose a new one.
    Returns the membership and the link's path, which the admin passes on to them."""
    membership = get_member(actor, user_id)
    _not_yourself(actor, membership, "make a set-password link for")
    if not (membership.is_active and membership.user.is_active):
        raise ValidationFailed(
            {"user": "Their account is switched off: add them again if they need access"}
        )
    record_change(
        actor,
        PasswordLinkIssued(
            aggregate_id=membership.user_id, organisation=membership.organisation_id
        ),
        action="password_link",
        details={"organisation": membership.organisation_id},
    )
    return membership, set_password_path(membership.user)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def member_tokens(actor: Actor, user_id: object) -> QuerySet[ApiToken]:
    return tokens_of(get_member(actor, user_id).user)


@transaction.atomic
def revoke_token(actor: Actor, token_id: object) -> ApiToken:
    """Revoke an API token: one's own, or (for an administrator) one belonging to someone in
    their organisation. Anyone else's is NotFound. Revoking twice is harmless."""
    try:
        pk = int(str(token_id))
    except ValueError:
        raise NotFound("No token was found.") from None
    token = ApiToken.objects.select_for_update().filter(pk=pk).first()
    if token is None or actor.user is None:
        raise NotFound("No token was found.")
    if token.user_id != actor.user.pk:
        if not policy.role_allows(actor, Action.ADMINISTER):
            raise NotFound("No token was found.")
        get_member(actor, token.user_id)  # NotFound unless they are in the admin's organisation
    return _revoke(actor, token)


def _revoke(actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    record_change(
        actor,
        ApiTokenRevoked(aggregate_id=token.pk, user=token.user_id),
        action="revoke_token",
        details={"user": token.user_id, "prefix": token.prefix},
    )
    return token


@transaction.atomic
def revoke_tokens_by_prefix(actor: Actor, prefix: str) -> list[ApiToken]:
    """For the command line: every unrevoked token starting with ``prefix`` (the part of a
    token people may show, as printed when it was made). At least 8 characters after hw_,
    so one command cannot revoke everyone's tokens by accident."""
    prefix = prefix.strip().rstrip("…")
    from homeward.organisations.models import API_TOKEN_PREFIX

    if not prefix.startswith(API_TOKEN_PREFIX) or len(prefix) < len(API_TOKEN_PREFIX) + 8:
        raise ValidationFailed(
            {
                "prefix": f"Give the token's prefix as shown: {API_TOKEN_PREFIX} "
                "and 8 more characters"
            }
        )
    tokens = list(
        ApiToken.objects.select_for_update().filter(
            prefix=prefix[: len(API_TOKEN_PREFIX) + 8], revoked_at__isnull=True
        )
    )
    # The token itself may have been given: then only the token it is.
    if len(prefix) > len(API_TOKEN_PREFIX) + 8:
        from homeward.organisations.models import hash_api_token

        tokens = [t for t in tokens if t.token_hash == hash_api_token(prefix)]
    return [_revoke(actor, token) for token in tokens]


def has_mfa(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())
