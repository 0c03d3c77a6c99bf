"""Emergency access: opening a child's record outside one's relationships, for a stated
reason, for 24 hours, told to the child's council and reviewed there."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet

from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.children import visibility
from homeward.children.events import EmergencyAccessUsed
from homeward.children.models import Child, EmergencyAccess
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.models import Role, User
from homeward.organisations.policy import Action

DURATION = timedelta(hours=24)
MIN_REASON_LENGTH = 15
# Emergency access is for the child in front of you, not for searching: look-ups (found or
# not) are limited per user, so guessing identifiers cannot run far.
LOOKUPS_PER_WINDOW = 10
LOOKUP_WINDOW = timedelta(hours=1)
REVIEWER_ROLES = {Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER}


def _find_by_identifier(identifier: str) -> list[Child]:
    """Exact identifiers only: emergency access is not a way to browse by name."""
    text = identifier.strip()
    compact = text.replace(" ", "")
    if not text:
        return []
    return list(
        Child.objects.filter(
            Q(nhs_number=compact)
            | Q(upn__iexact=compact)
            | Q(identifiers__value__iexact=text)
            | Q(episodes__reference__iexact=text)
            | Q(episodes__police_reference__iexact=text)
        ).distinct()[:2]
    )


def open_emergency_access(actor: Actor, identifier: str, reason: str) -> EmergencyAccess:
    """Look the child up by an exact identifier and, if exactly one child matches whom the
    actor cannot already see, open their record to the actor for 24 hours.

    Every look-up is audited, found or not, refused or not, and that event is committed
    before anything is decided, whatever transaction the caller runs in (the audit's
    ``access_log``): so no refusal can take it back, and the hourly limit, which counts
    those events, cannot be escaped. Look-ups by one user are taken one at a time, so
    concurrent ones cannot all slip under the limit."""
    policy.require_role(actor, Action.SEE_IDENTITY)
    errors: dict[str, list[str]] = {}
    if len(reason.strip()) < MIN_REASON_LENGTH:
        errors["reason"] = [
            f"Explain why you need this record now (at least {MIN_REASON_LENGTH} characters)"
        ]
    if not identifier.strip():
        errors["identifier"] = [
            "Enter the child's NHS number, UPN, an agency reference or an episode reference"
        ]
    if errors:
        raise ValidationFailed(errors)
    matches = _audited_look_up(actor, identifier)
    if len(matches) != 1:
        raise ValidationFailed(
            {
                "identifier": "No single child matches that identifier. Check it, or ask the "
                "child's council"
            }
        )
    child = matches[0]
    if visibility.visible_children(actor).filter(pk=child.pk).exists():
        raise ValidationFailed(
            {"identifier": "You can already see this child's record: no emergency access needed"}
        )
    return _grant(actor, child, reason)


def _audited_look_up(actor: Actor, identifier: str) -> list[Child]:
    """The children the identifier matches, after checking the actor's hourly limit; the
    look-up (or its refusal) is in the audit log, committed, when this returns."""
    assert actor.user is not None
    with audit.access_log(actor) as log:
        # The user's row, locked: this user's look-ups queue here, so each one counts
        # every look-up before it. (FOR NO KEY UPDATE: rows that only refer to the user,
        # such as its audit events, are not held up.)
        User.objects.select_for_update(no_key=True).filter(pk=actor.user.pk).first()
        recent = AuditEvent.objects.filter(
            user=actor.user, action="emergency_lookup", at__gte=clock.now() - LOOKUP_WINDOW
        ).count()
        if recent >= LOOKUPS_PER_WINDOW:
            log.record("emergency_lookup_refused", "child", details={"recent": recent})
            matches = None
        else:
            matches = _find_by_identifier(identifier)
            log.record("emergency_lookup", "child", details={"matches": len(matches)})
    if matches is None:
        raise ValidationFailed(
            {
                "identifier": f"You have made {recent} emergency look-ups in the last hour, "
                "the most allowed. Ask the child's council for the record, or try again later"
            }
        )
    return matches


@transaction.atomic
def _grant(actor: Actor, child: Child, reason: str) -> EmergencyAccess:
    assert actor.user is not None
    assert actor.organisation is not None
    now = clock.now()
    access = EmergencyAccess.objects.create(
        child=child,
        user=actor.user,
        organisation=actor.organisation,
        role=actor.role or "",
        reason=reason.strip(),
        granted_at=now,
        expires_at=now + DURATION,
    )
    record_change(
        actor,
        EmergencyAccessUsed(
            aggregate_id=child.pk,
            child_id=child.pk,
            access=access.pk,
            council=child.responsible_council_id,
        ),
        action="emergency_access",
        details={"access": access.pk},
    )
    return access


def may_review(actor: Actor) -> bool:
    return actor.role in REVIEWER_ROLES and actor.organisation is not None


def awaiting_review(actor: Actor) -> QuerySet[EmergencyAccess]:
    """Emergency accesses to the reviewer's council's children: those awaiting review
    first, then those reviewed; newest first within each."""
    if not may_review(actor):
        raise AccessDenied("Only the council's missing coordinator or a manager reviews these.")
    return (
        EmergencyAccess.objects.filter(child__responsible_council=actor.organisation)
        .select_related("user", "organisation", "child", "reviewed_by")
        .order_by(F("reviewed_at").asc(nulls_first=True), "-granted_at", "-pk")
    )


def get_for_review(actor: Actor, access_id: object) -> EmergencyAccess:
    """One emergency access to the reviewer's council's children, or NotFound."""
    try:
        pk = int(str(access_id))
    except ValueError:
        raise NotFound("No emergency access was found.") from None
    access = awaiting_review(actor).filter(pk=pk).first()
    if access is None:
        raise NotFound("No emergency access was found.")
    return access


def audit_listed(actor: Actor, accesses: list[EmergencyAccess]) -> None:
    """A review list names the children: each shown is an audited read."""
    audit.record_many_reads(
        actor, "child", sorted({a.child_id for a in accesses}), action="list_result"
    )


def active_access(actor: Actor, child: Child) -> EmergencyAccess | None:
    """The actor's own unexpired emergency access to this child, if they are using one."""
    if actor.user is None or actor.organisation is None:
        return None
    return (
        EmergencyAccess.objects.filter(
            child=child,
            user=actor.user,
            organisation=actor.organisation,
            expires_at__gt=clock.now(),
        )
        .order_by("-expires_at")
        .first()
    )


@transaction.atomic
def review(actor: Actor, access_id: int, note: str) -> EmergencyAccess:
    access = awaiting_review(actor).select_for_update(of=("self",)).filter(pk=access_id).first()
    if access is None:
        raise NotFound("No emergency access was found.")
    if access.reviewed_at is not None:
        raise ValidationFailed({"note": "This emergency access has already been reviewed"})
    if not note.strip():
        raise ValidationFailed({"note": "Record what the review found"})
    access.reviewed_at = clock.now()
    access.reviewed_by = actor.user
    access.review_note = note.strip()
    access.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit.record(
        actor,
        "review_emergency_access",
        "child",
        access.child_id,
        child_id=access.child_id,
        details={"access": access.pk},
    )
    return access
