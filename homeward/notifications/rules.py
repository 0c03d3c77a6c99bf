"""Who must be told about each event. Recipients come only from organisations related to
the child, and every recipient is checked against the access policy before being told."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from homeward.children import visibility
from homeward.children.models import Child, Placement
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.events.models import DomainEvent
from homeward.notifications import events as ev
from homeward.notifications.models import CouncilRules
from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role, User

DEFAULT_REPEAT_COUNT = 3
DEFAULT_REPEAT_DAYS = 90
DEFAULT_HIGH_RISK_REVIEW_HOURS = [2, 24, 48]
DEFAULT_LONG_EPISODE_HOURS = [24, 48, 72]


@dataclass(frozen=True)
class Thresholds:
    repeat_count: int
    repeat_days: int
    high_risk_review_hours: list[int]
    long_episode_hours: list[int]


def thresholds(council: Organisation) -> Thresholds:
    rules = CouncilRules.objects.filter(council=council).first()
    return Thresholds(
        repeat_count=rules.repeat_count if rules else DEFAULT_REPEAT_COUNT,
        repeat_days=rules.repeat_days if rules else DEFAULT_REPEAT_DAYS,
        high_risk_review_hours=(rules.high_risk_review_hours if rules else None)
        or DEFAULT_HIGH_RISK_REVIEW_HOURS,
        long_episode_hours=(rules.long_episode_hours if rules else None)
        or DEFAULT_LONG_EPISODE_HOURS,
    )


@dataclass(frozen=True)
class Recipient:
    membership: Membership
    reason: str

    @property
    def user(self) -> User:
        return self.membership.user


# Who, by relationship, hears about each kind of event.
COORDINATOR = "responsible council's missing coordinator"
WORKER = "allocated social worker"
HOST = "host council's missing coordinator"
# A council with no missing coordinator still hears about its children, and about children
# placed in its area: its managers, or failing those its social workers (the duty team).
COORDINATOR_MANAGER = "responsible council's manager (no missing coordinator)"
COORDINATOR_WORKER = "responsible council's social worker (no coordinator or manager)"
HOST_MANAGER = "host council's manager (no missing coordinator)"
HOST_WORKER = "host council's social worker (no coordinator or manager)"
POLICE = "police missing persons coordinator"
HOME = "current placement's manager"
MANAGER = "council manager"
PROVIDER = "return interview provider"
# Audiences for events of apps above this one (registered with ``register_event``).
NAMED_OWNER = "named owner"  # the user in the payload's "owner", at "owner_organisation"
OWNING_ORGANISATION = "owner"  # the organisation in the payload's "owner": its leads
HOME_MANAGER = "home's manager"  # the care managers of the payload's "home"
FORCE = "force's missing coordinator"  # the missing coordinators of the payload's "force"

AUDIENCES: dict[str, set[str]] = {
    ev.EPISODE_REPORTED: {COORDINATOR, WORKER, HOST, POLICE, HOME},
    ev.EPISODE_FURTHER_REPORT: {COORDINATOR, WORKER, POLICE},
    ev.EPISODE_REGRADED: {COORDINATOR, WORKER, HOST, POLICE, HOME},
    ev.EPISODE_CLASSIFICATION_CHANGED: {COORDINATOR, WORKER, POLICE},
    ev.EPISODE_RETURNED: {COORDINATOR, WORKER, HOST, POLICE, HOME},
    ev.EPISODE_CLOSED: {COORDINATOR, WORKER},
    ev.CHECK_RECORDED: {COORDINATOR, WORKER, HOST},
    ev.INTERVIEW_OPENED: {PROVIDER, COORDINATOR},
    ev.INTERVIEW_DUE: {PROVIDER, COORDINATOR},
    ev.INTERVIEW_OVERDUE: {PROVIDER, COORDINATOR, MANAGER},
    ev.CHECK_OVERDUE: {POLICE, COORDINATOR},
    ev.HIGH_RISK_REVIEW_DUE: {MANAGER, POLICE},
    ev.LONG_EPISODE: {COORDINATOR, MANAGER, POLICE},
    ev.REPEAT_THRESHOLD_REACHED: {COORDINATOR, WORKER, MANAGER},
    ev.EMERGENCY_ACCESS_USED: {COORDINATOR},
}


# Where the notification of a registered event leads: a format string over the event's
# payload and ``child`` (its child's id), such as "/children/{child}/plan".
LINKS: dict[str, str] = {}


def register_event(name: str, audience: set[str], title: str, link: str = "") -> None:
    """Who hears about an event an app above this one declares, the title they see and
    where it leads. Called from that app's ``ready()``; the event's payload names the
    owner or the home."""
    AUDIENCES[name] = set(audience)
    TITLES[name] = title
    if link:
        LINKS[name] = link


def _members(orgs: Iterable[Organisation | None], roles: set[str]) -> list[Membership]:
    ids = [o.pk for o in orgs if o is not None]
    if not ids:
        return []
    return list(
        Membership.objects.filter(organisation_id__in=ids, role__in=roles, is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    )


def council_contacts(council: Organisation, *, host: bool) -> list[Recipient]:
    """Who at a council hears that a child it is responsible for (or, with ``host``, a child
    placed in its area) went missing: its missing coordinators; if it has none, its
    managers; if none either, its social workers. Someone there always hears while the
    council has anyone who could act."""
    reasons = (
        (HOST, HOST_MANAGER, HOST_WORKER)
        if host
        else (
            COORDINATOR,
            COORDINATOR_MANAGER,
            COORDINATOR_WORKER,
        )
    )
    roles = (Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER, Role.SOCIAL_WORKER)
    for role, reason in zip(roles, reasons, strict=True):
        members = [m for m in _members([council], {role}) if m.user.is_active]
        if members:
            return [Recipient(m, reason) for m in members]
    return []


def _worker(child: Child, council: Organisation) -> list[Recipient]:
    """The child's allocated social worker, while they work for the child's council."""
    allocation = child.allocations.filter(end_date__isnull=True).select_related("worker").first()
    if allocation is None:
        return []
    return [
        Recipient(m, WORKER)
        for m in Membership.objects.filter(
            user=allocation.worker, organisation=council, is_active=True
        ).select_related("user", "organisation")[:1]
    ]


def _host(placement: Placement | None, council: Organisation) -> list[Recipient]:
    """The host council, when the child is placed in another council's area."""
    if placement is None or placement.host_council_id == council.pk:
        return []
    return council_contacts(placement.host_council, host=True)


def _police(event: DomainEvent, episode: Episode) -> list[Recipient]:
    """The forces of the episode (where the child went missing, and where found), except
    for a report the police made themselves."""
    reported_by_police = episode.reporting_organisation_id == episode.police_force_id
    if event.name == ev.EPISODE_REPORTED and reported_by_police:
        return []
    return [
        Recipient(m, POLICE)
        for m in _members(
            [episode.police_force, episode.found_police_force],
            {Role.POLICE_MISSING_COORDINATOR},
        )
    ]


def _home(placement: Placement | None) -> list[Recipient]:
    if placement is None or placement.provider is None:
        return []
    return [Recipient(m, HOME) for m in _members([placement.provider], {Role.CARE_MANAGER})]


def _provider(event: DomainEvent, council: Organisation) -> list[Recipient]:
    """The return interview provider the event names, when that is not the council."""
    provider_id = event.payload.get("provider")
    if not provider_id or provider_id == council.pk:
        return []
    return [
        Recipient(m, PROVIDER)
        for m in Membership.objects.filter(
            organisation_id=provider_id, role=Role.RHI_WORKER, is_active=True
        ).select_related("user", "organisation")
    ]


def _audience_members(
    event: DomainEvent, audience: set[str], child: Child, episode: Episode | None
) -> list[Recipient]:
    """Everyone in the event's audience, by relationship (some more than once)."""
    council = child.responsible_council
    placement = child.current_placement
    found: list[Recipient] = []
    if COORDINATOR in audience:
        found += council_contacts(council, host=False)
    if MANAGER in audience:
        found += [Recipient(m, MANAGER) for m in _members([council], {Role.COUNCIL_MANAGER})]
    if WORKER in audience:
        found += _worker(child, council)
    if HOST in audience:
        found += _host(placement, council)
    if POLICE in audience and episode is not None:
        found += _police(event, episode)
    if HOME in audience:
        found += _home(placement)
    if PROVIDER in audience:
        found += _provider(event, council)
    found += _owners(event, audience)
    return found


def _owners(event: DomainEvent, audience: set[str]) -> list[Recipient]:
    """The named owner, the owning organisation's leads, or a home's managers, from the
    event's payload (events of the apps above, registered with ``register_event``)."""
    found: list[Recipient] = []
    payload = event.payload
    if NAMED_OWNER in audience and payload.get("owner") and payload.get("owner_organisation"):
        found += [
            Recipient(m, NAMED_OWNER)
            for m in Membership.objects.filter(
                user_id=payload["owner"],
                organisation_id=payload["owner_organisation"],
                is_active=True,
            ).select_related("user", "organisation")[:1]
        ]
    if OWNING_ORGANISATION in audience and payload.get("owner"):
        owner = Organisation.objects.filter(pk=payload["owner"]).first()
        if owner is not None and owner.kind == OrganisationKind.COUNCIL:
            found += [
                Recipient(r.membership, OWNING_ORGANISATION)
                for r in council_contacts(owner, host=False)
            ]
        elif owner is not None:
            found += [
                Recipient(m, OWNING_ORGANISATION) for m in _members([owner], {Role.CARE_MANAGER})
            ]
    if HOME_MANAGER in audience and payload.get("home"):
        home = Organisation.objects.filter(pk=payload["home"]).first()
        found += [Recipient(m, HOME_MANAGER) for m in _members([home], {Role.CARE_MANAGER})]
    if FORCE in audience and payload.get("force"):
        force = Organisation.objects.filter(pk=payload["force"]).first()
        found += [Recipient(m, FORCE) for m in _members([force], {Role.POLICE_MISSING_COORDINATOR})]
    return found


def _allowed(found: list[Recipient], child: Child) -> list[Recipient]:
    """One notification per person, and only to people the policy lets see the child."""
    chosen: dict[int, Recipient] = {}
    for recipient in found:
        if recipient.user.pk in chosen or not recipient.user.is_active:
            continue
        actor = Actor(user=recipient.user, membership=recipient.membership)
        if visibility.visible_children(actor).filter(pk=child.pk).exists():
            chosen[recipient.user.pk] = recipient
    return list(chosen.values())


def recipients(event: DomainEvent) -> list[Recipient]:
    audience = AUDIENCES.get(event.name)
    if not audience:
        return []
    if event.child_id is None:
        # About no child (a meeting's action on the meeting as a whole): only the named
        # owner the payload gives, once, while they work there.
        owners = _owners(event, audience & {NAMED_OWNER})
        return list({r.user.pk: r for r in owners if r.user.is_active}.values())
    child = (
        Child.objects.select_related(
            "responsible_council", "current_placement__host_council", "current_placement__provider"
        )
        .filter(pk=event.child_id)
        .first()
    )
    if child is None:
        return []
    episode = None
    if event.aggregate_type == "episode":
        episode = Episode.objects.filter(reference=event.aggregate_id).first()
    return _allowed(_audience_members(event, audience, child, episode), child)


TITLES: dict[str, str] = {
    ev.EPISODE_REPORTED: "Reported missing",
    ev.EPISODE_FURTHER_REPORT: "Further report on a missing child",
    ev.EPISODE_REGRADED: "Risk re-graded",
    ev.EPISODE_CLASSIFICATION_CHANGED: "Classification changed",
    ev.EPISODE_RETURNED: "Returned or found",
    ev.EPISODE_CLOSED: "Episode closed",
    ev.CHECK_RECORDED: "Safe and well check recorded",
    ev.INTERVIEW_OPENED: "Return interview to arrange",
    ev.INTERVIEW_DUE: "Return interview due within 24 hours",
    ev.INTERVIEW_OVERDUE: "Return interview overdue (72 hours passed)",
    ev.CHECK_OVERDUE: "Safe and well check overdue",
    ev.HIGH_RISK_REVIEW_DUE: "High-risk episode: manager review due",
    ev.LONG_EPISODE: "Child still missing: escalation",
    ev.REPEAT_THRESHOLD_REACHED: "Repeat missing: review the child's plan",
    ev.EMERGENCY_ACCESS_USED: "Emergency access to a child's record",
}
