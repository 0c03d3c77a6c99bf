from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council (local authority)"
    POLICE = "police", "Police force"
    CARE_PROVIDER = "care_provider", "Care provider"
    RHI_PROVIDER = "rhi_provider", "Return interview provider"
    SCHOOL = "school", "School"
    HEALTH = "health", "Health body"
    NATIONAL = "national", "National body"


class Organisation(models.Model):
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    # DfE LA number for a council, force code for police, Ofsted URN for a provider.
    code = models.CharField(max_length=20)
    # For a council: the police force that covers its area.
    police_force = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_areas",
        limit_choices_to={"kind": OrganisationKind.POLICE},
    )
    # For a care provider: the council whose area it sits in.
    area_council = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="providers_in_area",
        limit_choices_to={"kind": OrganisationKind.COUNCIL},
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="organisation_kind_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    POLICE_CALL_HANDLER = "police_call_handler", "Police call handler"
    POLICE_OFFICER = "police_officer", "Police officer"
    POLICE_MISSING_COORDINATOR = "police_missing_coordinator", "Police missing persons coordinator"
    SOCIAL_WORKER = "social_worker", "Social worker"
    COUNCIL_MISSING_COORDINATOR = (
        "council_missing_coordinator",
        "Council missing children coordinator",
    )
    COUNCIL_MANAGER = "council_manager", "Council manager"
    CARE_STAFF = "care_staff", "Care staff"
    CARE_MANAGER = "care_manager", "Care manager"
    RHI_WORKER = "rhi_worker", "Return interview worker"
    BOARD_MEMBER = "board_member", "Corporate parenting board member"
    NATIONAL_ANALYST = "national_analyst", "National analyst"
    ORG_ADMIN = "org_admin", "Organisation administrator"
    # A national body's inspector: sees no child except the sampled cases of a case audit
    # they are a member of, while it is open (homeward.case_audits).
    INSPECTOR = "inspector", "Inspector"


# Which roles each kind of organisation may hold.
ROLES_BY_KIND: dict[str, set[str]] = {
    OrganisationKind.POLICE: {
        Role.POLICE_CALL_HANDLER,
        Role.POLICE_OFFICER,
        Role.POLICE_MISSING_COORDINATOR,
        Role.ORG_ADMIN,
    },
    OrganisationKind.COUNCIL: {
        Role.SOCIAL_WORKER,
        Role.COUNCIL_MISSING_COORDINATOR,
        Role.COUNCIL_MANAGER,
        Role.BOARD_MEMBER,
        Role.ORG_ADMIN,
    },
    OrganisationKind.CARE_PROVIDER: {Role.CARE_STAFF, Role.CARE_MANAGER, Role.ORG_ADMIN},
    OrganisationKind.RHI_PROVIDER: {Role.RHI_WORKER, Role.ORG_ADMIN},
    OrganisationKind.NATIONAL: {Role.NATIONAL_ANALYST, Role.ORG_ADMIN, Role.INSPECTOR},
    OrganisationKind.SCHOOL: {Role.ORG_ADMIN},
    OrganisationKind.HEALTH: {Role.ORG_ADMIN},
}


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    def active_membership(self) -> Membership | None:
        cached: Membership | None = getattr(self, "_active_membership", None)
        if cached is None:
            cached = (
                self.memberships.select_related("organisation", "organisation__police_force")
                .filter(is_active=True)
                .order_by("pk")
                .first()
            )
            self._active_membership = cached
        return cached


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=40, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


# Marks a string as a Homeward token (for secret scanners and people); not a secret.
API_TOKEN_PREFIX = "hw_"  # noqa: S105
API_TOKEN_DEFAULT_DAYS = 90


def hash_api_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only the SHA-256 of the token is stored: the token
    itself is shown once, when it is made. ``prefix`` (the token's first characters) lets
    people and logs say which token was used without holding the secret."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User, days: int = API_TOKEN_DEFAULT_DAYS) -> tuple[ApiToken, str]:
        """Make a token for ``user``; returns the row and the token, which is not kept."""
        from homeward.core import clock

        secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            prefix=secret[: len(API_TOKEN_PREFIX) + 8],
            token_hash=hash_api_token(secret),
            expires_at=clock.now() + timedelta(days=days),
        )
        return token, secret

    def is_usable(self, at: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > at and self.user.is_active


class SignInAddress(models.Model):
    """An address a user has finished signing in from (password and, where asked, the
    code). When failures on their username from many addresses lock it, the lock does not
    apply here: someone elsewhere cannot lock the owner out of their usual office.
    Addresses are as homeward.organisations.lockout.client_address gives them (an IPv6
    client by its /64 network)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_addresses")
    address = models.GenericIPAddressField()
    last_signed_in_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "address"], name="one_row_per_user_address")
        ]

    def __str__(self) -> str:
        return f"{self.user} from {self.address}"


class TokenFailure(models.Model):
    """A request whose bearer token matched no usable token, against the address it came
    from: too many in the lockout period and that address is refused (429) for a while.
    Rows older than the period are deleted as new ones are written."""

    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="token_failure_address_at")]

    def __str__(self) -> str:
        return f"{self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
