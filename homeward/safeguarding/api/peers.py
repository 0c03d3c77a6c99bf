"""/api/v1: who goes missing with whom, for one child and for the caller's council or force.

Thin: the same service as the pages (``homeward.safeguarding.services.peers``). A group
with a child the caller may not see comes with its counts only (``identified`` false):
its lists are empty and its dates null, so no name, id or date of any child is given."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from homeward.core.api import actor_of, respond
from homeward.core.schemas import Id
from homeward.safeguarding.services import peers
from homeward.safeguarding.services.peers import PeerGroupView

router = Router()
PEERS = ["who goes missing with whom"]


class PeerChildOut(Schema):
    child_id: int = Field(description="The record shown for the child (one the caller sees).")
    name: str
    is_subject: bool = Field(description="The child asked about.")


class PeerPairOut(Schema):
    a: PeerChildOut
    b: PeerChildOut
    times_together: int
    first: date | None
    last: date | None
    shared_places: list[str]
    shared_persons: list[str]


class PeerPeriodOut(Schema):
    quarter: str = Field(description='A calendar quarter, "2026 Q1" (January to March).')
    times_together: list[int] = Field(description="Per pair, in the order of `pairs`.")
    total: int


class PeerLinkOut(Schema):
    kind: str = Field(description='"place" or "person" (a person of concern).')
    name: str
    children: list[int] = Field(description="The `child_id`s of the children it links.")


class PeerGroupOut(Schema):
    identified: bool = Field(
        description="False when the group has a child the caller may not see: only the "
        "counts are given."
    )
    children_count: int
    times_together: int = Field(description="Occasions two or more of them went missing together.")
    places_count: int
    persons_count: int
    first_together: date | None
    last_together: date | None
    children: list[PeerChildOut]
    pairs: list[PeerPairOut]
    over_time: list[PeerPeriodOut]
    links: list[PeerLinkOut]
    incomplete: bool = Field(description="The group was too large to follow to its end.")


class ChildPeersOut(Schema):
    child_id: int
    group: PeerGroupOut | None = Field(description="None: they went missing with nobody.")


class PeerGroupsOut(Schema):
    groups: list[PeerGroupOut]


def _child(c: peers.PeerChild) -> PeerChildOut:
    return PeerChildOut(child_id=c.child_id, name=c.name, is_subject=c.is_subject)


def group_out(g: PeerGroupView) -> PeerGroupOut:
    record = {c.key: c.child_id for c in g.children}
    return PeerGroupOut(
        identified=g.identified,
        children_count=g.children_count,
        times_together=g.times_together,
        places_count=g.places_count,
        persons_count=g.persons_count,
        first_together=g.first_seen,
        last_together=g.last_seen,
        children=[_child(c) for c in g.children],
        pairs=[
            PeerPairOut(
                a=_child(p.a),
                b=_child(p.b),
                times_together=p.together,
                first=p.first,
                last=p.last,
                shared_places=p.places,
                shared_persons=p.persons,
            )
            for p in g.pairs
        ],
        over_time=[
            PeerPeriodOut(quarter=p.label, times_together=p.counts, total=p.total)
            for p in g.periods
        ],
        links=[
            PeerLinkOut(kind=n.kind, name=n.name, children=[record[k] for k in n.children])
            for n in g.links
        ],
        incomplete=g.cut,
    )


@router.get(
    "/children/{child_id}/peers",
    response={200: ChildPeersOut},
    tags=PEERS,
    summary="Who the child goes missing with",
    description="Police and council practitioners who see the child. The child's group: "
    "the children they went missing with, the places and persons of concern linking them, "
    "pair by pair and by quarter. Counts only when the group has a child you may not "
    "see. An audited read.",
)
def child_peers(request: HttpRequest, child_id: Id) -> HttpResponse:
    read = peers.read_peers(actor_of(request), child_id)
    group = group_out(read.group) if read.group is not None else None
    return respond(ChildPeersOut(child_id=read.child.pk, group=group))


@router.get(
    "/peer-groups",
    response={200: PeerGroupsOut},
    tags=PEERS,
    summary="Groups of your children who go missing together",
    description="Your council's or force's children, grouped by who goes missing with "
    "whom, largest first; each group counts only when it has a child you may not see. "
    "An audited read.",
)
def peer_groups(request: HttpRequest) -> HttpResponse:
    found = peers.read_groups(actor_of(request))
    return respond(PeerGroupsOut(groups=[group_out(g) for g in found]))
