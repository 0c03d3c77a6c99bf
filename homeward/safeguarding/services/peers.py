"""Who goes missing with whom, as the viewer may see it: the peer group of one child, and
the groups of a council's or a force's children (``peer_graph`` derives them).

Needs ``Action.SEE_PEERS`` (police and council practitioners). A group is shown with its
children's identities only when the viewer sees every child record in it
(``homeward.children.visibility``); otherwise only its counts (children, episodes
together, places and persons of concern joining them), with no name, id or date of any
child. Every read is audited: the child asked about as a read of the child, each other
child named as a list result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from homeward.audit import services as audit
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.episodes.models import Episode
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.models import PersonLink, PersonOfConcern, Place, PlaceLink
from homeward.safeguarding.services import peer_graph
from homeward.safeguarding.services.peer_graph import Group

OBJECT = "peers"
GROUPS_OBJECT = "peer_groups"
# The groups page reads at most this many records out from the organisation's children.
GROUPS_LIMIT = 2000


@dataclass
class PeerChild:
    key: int  # the person
    child_id: int  # the record shown (the lowest the viewer sees)
    name: str
    is_subject: bool = False


@dataclass
class PeerLinkNode:
    key: int
    kind: str  # "place" or "person"
    name: str
    children: list[int]  # person keys


@dataclass
class PeerPair:
    a: PeerChild
    b: PeerChild
    together: int
    first: date | None
    last: date | None
    places: list[str]
    persons: list[str]


@dataclass
class PeerPeriod:
    label: str
    counts: list[int]  # joint episodes of each pair, in the order of ``pairs``
    total: int


@dataclass
class PeerGroupView:
    """One group as the viewer may see it. ``identified`` False: only the counts."""

    identified: bool
    children_count: int
    times_together: int  # incidents: occasions two or more of them went missing together
    places_count: int
    persons_count: int
    first_seen: date | None = None
    last_seen: date | None = None
    children: list[PeerChild] = field(default_factory=list)
    pairs: list[PeerPair] = field(default_factory=list)
    periods: list[PeerPeriod] = field(default_factory=list)
    links: list[PeerLinkNode] = field(default_factory=list)
    cut: bool = False


@dataclass
class PeerRead:
    child: Child
    group: PeerGroupView | None


def is_police(actor: Actor) -> bool:
    org = actor.organisation
    return org is not None and org.kind == OrganisationKind.POLICE


def may_see_peers(actor: Actor) -> bool:
    """The role sees peer groups, at a council or a police force (no query)."""
    org = actor.organisation
    return (
        org is not None
        and org.kind in {OrganisationKind.COUNCIL, OrganisationKind.POLICE}
        and role_allows(actor, Action.SEE_PEERS)
    )


def _counts_only(group: Group) -> PeerGroupView:
    return PeerGroupView(
        identified=False,
        children_count=len(group.persons),
        times_together=group.occasions,
        places_count=len(group.places),
        persons_count=len(group.concern),
        cut=group.cut,
    )


def _children(group: Group, subject: Child | None) -> dict[int, PeerChild]:
    shown: dict[int, PeerChild] = {}
    for child in Child.objects.filter(pk__in=group.records).order_by("pk"):
        if child.person_id not in shown:
            shown[child.person_id] = PeerChild(child.person_id, child.pk, child.full_name)
    if subject is not None and subject.person_id in shown:
        shown[subject.person_id] = PeerChild(
            subject.person_id, subject.pk, subject.full_name, is_subject=True
        )
    return shown


def _identified(group: Group, subject: Child | None) -> PeerGroupView:
    kids = _children(group, subject)
    places = dict(Place.objects.filter(pk__in=group.places).values_list("pk", "name"))
    persons = dict(PersonOfConcern.objects.filter(pk__in=group.concern).values_list("pk", "name"))
    pairs = [
        PeerPair(
            a=kids[p.a],
            b=kids[p.b],
            together=p.together,
            first=p.first,
            last=p.last,
            places=[places[k] for k in sorted(p.places) if k in places],
            persons=[persons[k] for k in sorted(p.persons) if k in persons],
        )
        for p in group.pairs
    ]
    periods = []
    for label in group.quarters:
        counts = [p.by_quarter.get(label, 0) for p in group.pairs]
        periods.append(PeerPeriod(label, counts, sum(counts)))
    links = [
        PeerLinkNode(k, "place", places.get(k, "A place"), sorted(v))
        for k, v in group.places.items()
    ] + [
        PeerLinkNode(k, "person", persons.get(k, "A person"), sorted(v))
        for k, v in group.concern.items()
    ]
    return PeerGroupView(
        identified=True,
        children_count=len(group.persons),
        times_together=group.occasions,
        places_count=len(group.places),
        persons_count=len(group.concern),
        first_seen=group.first_seen,
        last_seen=group.last_seen,
        children=[kids[k] for k in group.persons],
        pairs=pairs,
        periods=periods,
        links=links,
        cut=group.cut,
    )


def _view(actor: Actor, group: Group, subject: Child | None) -> PeerGroupView:
    """Identities only if the actor sees every record in the group (one query)."""
    seen = set(
        visibility.visible_children(actor).filter(pk__in=group.records).values_list("pk", flat=True)
    )
    if seen != group.records or group.cut:
        return _counts_only(group)
    return _identified(group, subject)


def _audit_named(actor: Actor, shown: list[PeerGroupView], subject: int | None) -> None:
    named = sorted({c.child_id for g in shown if g.identified for c in g.children} - {subject or 0})
    audit.record_many_reads(actor, "child", named, action="list_result")


def read_peers(actor: Actor, child_id: object) -> PeerRead:
    """The peer group of a child the actor sees (None if they went missing with nobody
    and share no place or person). NotFound for a child they do not see; AccessDenied for
    a role without SEE_PEERS. An audited read."""
    if not may_see_peers(actor):
        visibility.get_child(actor, child_id)  # NotFound first, for a child not seen
        raise AccessDenied("Your role does not allow you to see who goes missing with whom.")
    child = visibility.get_child(actor, child_id, Action.SEE_PEERS)
    group = peer_graph.group_of(child, police=is_police(actor))
    shown = _view(actor, group, child) if group is not None else None
    audit.record(
        actor,
        "view",
        OBJECT,
        child.pk,
        child_id=child.pk,
        details={"identified": bool(shown and shown.identified)},
    )
    _audit_named(actor, [shown] if shown else [], child.pk)
    return PeerRead(child, shown)


def _seeds(actor: Actor) -> list[int]:
    """The actor's organisation's children that went missing with someone or have a live
    shared-kind place or person link: where groups can start."""
    visible = visibility.visible_children(actor).values("pk")
    through = Episode.went_missing_with.through
    joint = Episode.objects.filter(
        pk__in=through.objects.values("from_episode_id"), child_id__in=visible
    ).values_list("child_id", flat=True)
    placed = PlaceLink.objects.filter(
        child_id__in=visible, role__in=peer_graph.SHARED_PLACE_ROLES, removed_at__isnull=True
    ).values_list("child_id", flat=True)
    concern = PersonLink.objects.filter(child_id__in=visible, removed_at__isnull=True)
    if not is_police(actor):
        concern = concern.filter(police_only=False)
    linked = concern.values_list("child_id", flat=True)
    return sorted({*joint, *placed, *(c for c in linked if c is not None)})


def read_groups(actor: Actor) -> list[PeerGroupView]:
    """The groups of the children the actor's council or force sees, largest first: each
    identified or counts only, as for one child. An audited read."""
    if not may_see_peers(actor):
        raise AccessDenied("Your role does not allow you to see who goes missing with whom.")
    found = peer_graph.groups_around(_seeds(actor), police=is_police(actor), limit=GROUPS_LIMIT)
    shown = [_view(actor, g, None) for g in found]
    shown.sort(key=lambda g: (-g.children_count, -g.times_together))
    org = actor.organisation
    audit.record(
        actor,
        "view",
        GROUPS_OBJECT,
        org.pk if org else "",
        details={"groups": len(shown), "identified": sum(g.identified for g in shown)},
    )
    _audit_named(actor, shown, None)
    return shown
