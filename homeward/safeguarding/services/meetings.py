"""Multi-agency meetings: opening one (by hand, or by the escalation rules), its members
and who came, its minutes, holding and cancelling it, and the audited reads.

Who holds a council's meetings: ``Action.HOLD_MEETING`` at that council (its missing
coordinators and managers). Who reads one: the council's practitioners, and the
practitioners of every organisation with a member at it; what each reader sees of the
agenda's children is what their organisation may (``agenda.shown``). The agenda itself,
decisions and actions: ``services.agenda`` and ``services.meeting_actions``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.children.visibility import get_child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import implausible_time, text_errors
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.events import MeetingOpened
from homeward.safeguarding.models import (
    Meeting,
    MeetingKind,
    MeetingMember,
    MeetingStatus,
)
from homeward.safeguarding.services import agenda

MAX_MEMBERS = 40
NOT_PLANNED = "This meeting has been held or cancelled: it can no longer be changed"
CANCELLED = "This meeting was cancelled"


@dataclass
class MemberInput:
    organisation_id: int | None
    name: str
    role: str = ""
    user_id: int | None = None


@dataclass
class MeetingInput:
    kind: str
    scheduled_for: datetime | None
    location: str = ""
    chair: str = ""
    child_id: int | None = None
    reason: str = ""
    members: list[MemberInput] = field(default_factory=list)


# --- who may --------------------------------------------------------------------------------


def may_hold(actor: Actor, council_id: int | None = None) -> bool:
    """``Action.HOLD_MEETING`` at a council (at this council, given one). No query."""
    org = actor.organisation
    return (
        org is not None
        and org.kind == OrganisationKind.COUNCIL
        and role_allows(actor, Action.HOLD_MEETING)
        and (council_id is None or org.pk == council_id)
    )


def may_read_meetings(actor: Actor) -> bool:
    """Practitioners (roles that see children) of any organisation: which meetings they
    read is ``meetings_for``."""
    return actor.organisation is not None and (
        role_allows(actor, Action.SEE_IDENTITY) or may_hold(actor)
    )


def meetings_for(actor: Actor) -> QuerySet[Meeting]:
    """The meetings the actor may read: their council's, and those their organisation
    has a member at."""
    org = actor.organisation
    if org is None or not may_read_meetings(actor):
        return Meeting.objects.none()
    member_of = MeetingMember.objects.filter(organisation=org).values("meeting_id")
    return Meeting.objects.filter(Q(council=org) | Q(pk__in=member_of)).select_related(
        "council", "child"
    )


def _meeting(actor: Actor, meeting_id: object, *, write: bool = False) -> Meeting:
    try:
        pk = int(str(meeting_id))
    except ValueError:
        raise NotFound("No meeting was found.") from None
    found = meetings_for(actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise NotFound("No meeting was found.")
    if write and not may_hold(actor, found.council_id):
        raise AccessDenied("Only the council's missing coordinators and managers change it.")
    return found


def for_change(actor: Actor, meeting_id: object, *, planned: bool = False) -> Meeting:
    """The meeting, locked, for someone who holds it; refused once cancelled (or, with
    ``planned``, once held)."""
    meeting = _meeting(actor, meeting_id, write=True)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("council", "child")
        .get(pk=meeting.pk)
    )
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed({"status": [CANCELLED]})
    if planned and meeting.status != MeetingStatus.PLANNED:
        raise ValidationFailed({"status": [NOT_PLANNED]})
    return meeting


# --- reading --------------------------------------------------------------------------------


def list_meetings(actor: Actor) -> QuerySet[Meeting]:
    """Newest first. A strategy meeting's child is not shown in a list (see the meeting)."""
    if not may_read_meetings(actor):
        raise AccessDenied("Your role does not take part in meetings.")
    return meetings_for(actor).order_by("-scheduled_for", "-pk")


def read_meeting(actor: Actor, meeting_id: object) -> Meeting:
    """The meeting with its members, decisions and actions loaded: an audited read, with
    each child of its agenda the reader's organisation may see recorded as read."""
    meeting = _meeting(actor, meeting_id)
    audit.record(actor, "view", "meeting", meeting.pk, details={"kind": meeting.kind})
    seen = agenda.visible_ids(actor, agenda.child_ids(meeting))
    audit.record_many_reads(actor, "child", sorted(seen), action="view")
    return meeting


def members_of(meeting: Meeting) -> list[MeetingMember]:
    return list(meeting.members.select_related("organisation", "user").order_by("pk"))


def last_meeting(council: Organisation, kind: str, *, held: bool = True) -> Meeting | None:
    found = Meeting.objects.filter(council=council, kind=kind)
    if held:
        found = found.filter(status=MeetingStatus.HELD)
    return found.order_by("-scheduled_for", "-pk").first()


def next_members(actor: Actor, kind: str) -> list[MemberInput]:
    """Who to invite to the next meeting of the kind: the members of the council's last
    one, prefilled (nobody if it has held none)."""
    if not may_hold(actor):
        raise AccessDenied("Only the council's missing coordinators and managers open meetings.")
    assert actor.organisation is not None
    last = last_meeting(actor.organisation, kind, held=False)
    if last is None:
        return []
    return [MemberInput(m.organisation_id, m.name, m.role, m.user_id) for m in members_of(last)]


# --- writing --------------------------------------------------------------------------------


def _org(member: MemberInput) -> int:
    """The member's organisation, once validated (``_member_errors`` requires it)."""
    assert member.organisation_id is not None
    return member.organisation_id


def agency_choices() -> list[Organisation]:
    """Who may send members: the council, its force, and the agencies working with it
    (every organisation but the national body; a meeting invites whom it needs)."""
    return list(
        Organisation.objects.exclude(kind=OrganisationKind.NATIONAL).order_by("kind", "name")
    )


def _member_errors(index: int, member: MemberInput) -> dict[str, list[str]]:
    label = f"Member {index + 1}"
    errors: dict[str, list[str]] = {}
    if not member.name.strip():
        errors[f"members-{index}-name"] = [f"{label}: enter their name"]
    if (
        member.organisation_id is None
        or not Organisation.objects.filter(pk=member.organisation_id).exists()
    ):
        errors[f"members-{index}-organisation"] = [f"{label}: select their organisation"]
    elif (
        member.user_id is not None
        and not Membership.objects.filter(
            user_id=member.user_id, organisation_id=member.organisation_id, is_active=True
        ).exists()
    ):
        errors[f"members-{index}-user"] = [
            f"{label}: the user must work at the organisation they are from"
        ]
    for name, problems in text_errors(
        MeetingMember, {"name": member.name, "role": member.role}
    ).items():
        errors[f"members-{index}-{name}"] = [f"{label}: {p}" for p in problems]
    return errors


def _meeting_errors(actor: Actor, data: MeetingInput) -> tuple[Child | None, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    child = None
    if data.kind not in MeetingKind.values:
        errors["kind"] = ["Select the kind of meeting"]
    if data.scheduled_for is None:
        errors["scheduled_for"] = ["Enter when the meeting is"]
    elif implausible_time(data.scheduled_for):
        errors["scheduled_for"] = ["Enter a real date for the meeting"]
    if data.kind == MeetingKind.STRATEGY:
        if data.child_id is None:
            errors["child_id"] = ["A strategy meeting is about one child: select the child"]
        else:
            try:
                child = get_child(actor, data.child_id)
            except NotFound:
                errors["child_id"] = ["Select a child your council works with"]
    errors.update(
        text_errors(
            Meeting,
            {"location": data.location, "chair": data.chair, "reason": data.reason},
        )
    )
    if len(data.members) > MAX_MEMBERS:
        errors["members"] = [f"Invite {MAX_MEMBERS} members or fewer"]
    else:
        for index, member in enumerate(data.members):
            errors.update(_member_errors(index, member))
    return child, errors


def open_meeting(actor: Actor, data: MeetingInput) -> Meeting:
    """Open a meeting of the actor's council, its agenda built at once from the records
    since the council's last meeting of the kind."""
    if not may_hold(actor):
        raise AccessDenied("Only the council's missing coordinators and managers open meetings.")
    assert actor.organisation is not None
    child, errors = _meeting_errors(actor, data)
    if errors:
        raise ValidationFailed(errors)
    assert data.scheduled_for is not None
    return _create(actor, actor.organisation, data, child, "")


@transaction.atomic
@bus.in_unit_of_work
def _create(
    actor: Actor, council: Organisation, data: MeetingInput, child: Child | None, source: str
) -> Meeting:
    now = clock.now()
    assert data.scheduled_for is not None
    start, end = agenda.period_for(council, data.kind, now)
    meeting = Meeting.objects.create(
        council=council,
        kind=data.kind,
        child=child,
        scheduled_for=data.scheduled_for,
        location=data.location.strip(),
        chair=data.chair.strip(),
        period_start=start,
        period_end=end,
        reason=data.reason.strip(),
        source_key=source or None,
        created_at=now,
        created_by=actor.user,
    )
    MeetingMember.objects.bulk_create(
        MeetingMember(
            meeting=meeting,
            organisation_id=_org(m),
            user_id=m.user_id,
            name=m.name.strip(),
            role=m.role.strip(),
        )
        for m in data.members
    )
    agenda.store(meeting)
    record_change(
        actor,
        MeetingOpened(
            aggregate_id=meeting.pk,
            child_id=child.pk if child else None,
            council=council.pk,
            meeting=meeting.pk,
            kind=meeting.kind,
            source=source,
        ),
        action="open_meeting",
        details={"kind": meeting.kind, "members": len(data.members), "source": source},
    )
    return meeting


def open_for_escalation(child: Child, source_key: str, reason: str) -> Meeting | None:
    """A strategy meeting about the child for their responsible council, opened by the
    escalation rules with its agenda ready, once per cause (``source_key``): None when the
    cause already opened one. Its members are the council's missing coordinators; it is
    set for two working days ahead, for the coordinator to confirm."""
    if Meeting.objects.filter(source_key=source_key).exists():
        return None
    council = child.responsible_council
    scheduled = agenda.two_working_days_ahead(clock.now())
    data = MeetingInput(
        kind=MeetingKind.STRATEGY,
        scheduled_for=scheduled,
        child_id=child.pk,
        reason=reason,
        chair="",
        members=coordinators_as_members(council),
    )
    try:
        with transaction.atomic():
            return _create(Actor.system(), council, data, child, source_key)
    except IntegrityError:  # told twice at once: the other telling opened it
        return None


def coordinators_as_members(council: Organisation) -> list[MemberInput]:
    """The council's missing coordinators (or, with none, its managers), as members of a
    meeting the escalation rules open."""
    for role in (Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER):
        found = Membership.objects.filter(
            organisation=council, role=role, is_active=True, user__is_active=True
        ).select_related("user")
        members = [
            MemberInput(
                council.pk,
                m.user.get_full_name() or m.user.get_username(),
                m.get_role_display(),
                m.user_id,
            )
            for m in found
        ]
        if members:
            return members
    return []
