"""Persons of concern: who sees them, the audited reads, recording and changing one, and
linking them to a child, a place or an episode (and removing a link).

Need-to-know: a person is seen only through a child the viewer sees (a live link to the
child, or to an episode the viewer sees in full, or a harbouring notice naming the
child), or by the police force that holds them. A police-only link and the police notes
are for police forces alone: to anyone else such a link does not exist, so it cannot
reveal the person either. Whoever may not see a person gets NotFound, whether or not
there is one. Kept (``Action.KEEP_PERSONS``) by police officers and coordinators and by
councils' missing coordinators and managers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from homeward.audit import services as audit
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import LONG_TEXT
from homeward.episodes import visibility as episode_visibility
from homeward.episodes.models import Episode
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.events import PersonLinked, PersonRecorded
from homeward.safeguarding.models import (
    HarbouringNotice,
    PersonLink,
    PersonOfConcern,
)
from homeward.safeguarding.services.person_rules import as_int as _int
from homeward.safeguarding.services.person_rules import clean_link, clean_person, link_targets
from homeward.safeguarding.services.person_rules import is_police as is_police
from homeward.safeguarding.services.person_rules import may_remove as may_remove

OBJECT = "person_of_concern"
LINK_OBJECT = "person_link"
NOT_FOUND = "No person of concern was found."
# Kinds of organisation that see persons of concern (through the children they see).
PERSON_KINDS = frozenset(
    {OrganisationKind.COUNCIL, OrganisationKind.POLICE, OrganisationKind.CARE_PROVIDER}
)


# --- who sees -----------------------------------------------------------------------------


def may_see_persons(actor: Actor) -> bool:
    org = actor.organisation
    return org is not None and org.kind in PERSON_KINDS and role_allows(actor, Action.SEE_IDENTITY)


def may_keep_persons(actor: Actor) -> bool:
    return may_see_persons(actor) and role_allows(actor, Action.KEEP_PERSONS)


def visible_links(actor: Actor) -> QuerySet[PersonLink]:
    """Live links the actor sees: to a child they see, or an episode they see in full;
    a link to a place alone, to the holding force and the organisation that recorded
    it. Police-only links only for police."""
    if not may_see_persons(actor):
        return PersonLink.objects.none()
    org = actor.organisation
    children = visibility.visible_children(actor).values("pk")
    episodes = episode_visibility.visible_episodes(actor).values("pk")
    links = PersonLink.objects.filter(removed_at__isnull=True).filter(
        Q(child__in=children)
        | Q(episode__in=episodes)
        | Q(child__isnull=True, episode__isnull=True, person__holding_force=org)
        | Q(child__isnull=True, episode__isnull=True, recorded_by_organisation=org)
    )
    if not is_police(actor):
        links = links.filter(police_only=False)
    return links


def visible_persons(actor: Actor) -> QuerySet[PersonOfConcern]:
    """The persons the actor may see (see the module's words)."""
    if not may_see_persons(actor):
        return PersonOfConcern.objects.none()
    org = actor.organisation
    children = visibility.visible_children(actor).values("pk")
    linked = Exists(visible_links(actor).filter(person=OuterRef("pk")))
    noticed = Exists(HarbouringNotice.objects.filter(person=OuterRef("pk"), children__in=children))
    return PersonOfConcern.objects.filter(Q(holding_force=org) | linked | noticed)


def visible_notices(actor: Actor) -> QuerySet[HarbouringNotice]:
    """The notices the actor sees: its force's own, and those naming a child it sees."""
    if not may_see_persons(actor):
        return HarbouringNotice.objects.none()
    children = visibility.visible_children(actor).values("pk")
    named = Exists(
        HarbouringNotice.children.through.objects.filter(
            harbouringnotice_id=OuterRef("pk"), child__in=children
        )
    )
    return HarbouringNotice.objects.filter(Q(force=actor.organisation) | named)


def get_person(actor: Actor, person_id: object, *, for_update: bool = False) -> PersonOfConcern:
    """The person, if the actor may see them; otherwise NotFound. Not audited."""
    try:
        pk = int(str(person_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    found = visible_persons(actor).filter(pk=pk)
    if for_update:
        found = PersonOfConcern.objects.filter(pk__in=found.values("pk")).select_for_update(
            of=("self",)
        )
    person = found.select_related("holding_force").first()
    if person is None:
        raise NotFound(NOT_FOUND)
    return person


# --- reading ------------------------------------------------------------------------------


@dataclass
class PersonRead:
    person: PersonOfConcern
    links: list[PersonLink]
    notices: list[HarbouringNotice]
    police: bool  # the viewer is police: police-only links and notes are shown
    may_keep: bool
    hidden_links: int  # live links to children the viewer does not see (holding force only)

    @property
    def police_notes(self) -> str:
        return self.person.police_notes if self.police else ""


def read_person(actor: Actor, person_id: object) -> PersonRead:
    """The person with the links and notices the actor sees: an audited read."""
    person = get_person(actor, person_id)
    links = list(
        visible_links(actor)
        .filter(person=person)
        .select_related("person", "child", "place", "episode", "recorded_by_organisation")
        .order_by("-recorded_at", "-pk")
    )
    hidden = 0
    if actor.organisation is not None and person.holding_force_id == actor.organisation.pk:
        hidden = PersonLink.objects.filter(person=person, removed_at__isnull=True).count() - len(
            links
        )
    shown = list(visible_notices(actor).filter(person=person).order_by("-issued_on"))
    audit.record(actor, "view", OBJECT, person.pk)
    shown_children = sorted({lk.child_id for lk in links if lk.child_id is not None})
    audit.record_many_reads(actor, "child", shown_children, action="view")
    return PersonRead(person, links, shown, is_police(actor), may_keep_persons(actor), hidden)


def list_persons(actor: Actor) -> QuerySet[PersonOfConcern]:
    """Every person the actor sees, by name (the caller audits the rows it shows)."""
    if not may_see_persons(actor):
        raise AccessDenied("Your role does not allow you to see persons of concern.")
    return visible_persons(actor).order_by("name", "pk")


def audit_listed(actor: Actor, persons: list[PersonOfConcern]) -> None:
    if not persons:
        return
    with audit.access_log(actor) as log:
        for person in persons:
            log.record("list_result", OBJECT, person.pk)


def child_for_form(actor: Actor, child_id: object) -> Child:
    """The child a person is recorded or linked from (the page shows their name): an
    audited read; NotFound for a child the actor does not see."""
    child = visibility.get_child(actor, child_id)
    audit.record(actor, "view", "child", child.pk, child_id=child.pk)
    return child


def persons_of_child(actor: Actor, child: Child) -> list[PersonLink]:
    """The live links the actor sees from this (visible) child to persons of concern, for
    the child's page (one query; the child's page is the audited read)."""
    if not may_see_persons(actor):
        return []
    return list(
        visible_links(actor)
        .filter(Q(child=child) | Q(episode__child=child))
        .select_related("person")
        .order_by("-recorded_at", "-pk")
    )


# --- for meetings -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSummary:
    """A person linked to several of a council's children. ``label`` is the person's
    name: the caller decides whether its reader may see it."""

    person_id: int
    label: str
    children: int  # distinct children of the council with a live link
    links: int  # live links to those children
    new_links: int  # of them, recorded in [since, until)
    latest_at: datetime | None


def linked_to_several(
    council: Organisation, *, since: datetime, until: datetime, minimum: int = 2
) -> list[PersonSummary]:
    """Persons with links live at ``until`` (recorded before it, not removed by then) to
    at least ``minimum`` distinct children the council is responsible for; police-only
    links do not count (a council does not see them). Most children first."""
    child = Coalesce(F("child_id"), F("episode__child_id"))
    live = (
        PersonLink.objects.filter(recorded_at__lt=until, police_only=False)
        .filter(Q(removed_at__isnull=True) | Q(removed_at__gt=until))
        .annotate(linked_child=child)
        .filter(
            Q(child__responsible_council=council)
            | Q(child__isnull=True, episode__child__responsible_council=council)
        )
    )
    rows = (
        live.values("person_id", "person__name")
        .annotate(
            children=Count("linked_child", distinct=True),
            links=Count("pk"),
            new_links=Count("pk", filter=Q(recorded_at__gte=since)),
            latest_at=Max("recorded_at"),
        )
        .filter(children__gte=minimum)
        .order_by("-children", "-latest_at", "person_id")
    )
    return [
        PersonSummary(
            person_id=r["person_id"],
            label=r["person__name"],
            children=r["children"],
            links=r["links"],
            new_links=r["new_links"],
            latest_at=r["latest_at"],
        )
        for r in rows
    ]


# --- writing ------------------------------------------------------------------------------


def _require_keeper(actor: Actor) -> None:
    if not may_keep_persons(actor):
        raise AccessDenied("Your role does not allow you to keep persons of concern.")


@transaction.atomic
@bus.in_unit_of_work
def record_person(
    actor: Actor, data: Mapping[str, Any], link: Mapping[str, Any] | None = None
) -> PersonOfConcern:
    """Record a person of concern. A police force holds those it records; anyone else
    records them through a child (``link`` with ``child_id``), or they would see no one."""
    _require_keeper(actor)
    values = clean_person(actor, data)
    if not is_police(actor) and not (link and link.get("child_id")):
        raise ValidationFailed({"child_id": ["Choose the child this person is linked to"]})
    now = clock.now()
    person = PersonOfConcern.objects.create(
        **values,
        holding_force=actor.organisation if is_police(actor) else None,
        created_at=now,
        updated_at=now,
        created_by=actor.user,
        created_by_organisation=actor.organisation,
    )
    record_change(
        actor,
        PersonRecorded(aggregate_id=person.pk, created=True, holding_force=person.holding_force_id),
        action="create",
    )
    if link:
        _add_link(actor, person, link)
    return person


@transaction.atomic
@bus.in_unit_of_work
def update_person(actor: Actor, person_id: object, data: Mapping[str, Any]) -> PersonOfConcern:
    """Change the person's details (the police notes stay as they are unless the police
    change them)."""
    person = get_person(actor, person_id, for_update=True)
    _require_keeper(actor)
    values = clean_person(actor, data)
    changed = [k for k, v in values.items() if getattr(person, k) != v]
    for name, value in values.items():
        setattr(person, name, value)
    person.updated_at = clock.now()
    person.save()
    record_change(
        actor,
        PersonRecorded(
            aggregate_id=person.pk, created=False, holding_force=person.holding_force_id
        ),
        action="update",
        details={"fields": changed},
    )
    return person


def _add_link(actor: Actor, person: PersonOfConcern, data: Mapping[str, Any]) -> PersonLink:
    values = clean_link(actor, data)
    targets = link_targets(actor, data)
    link = PersonLink.objects.create(
        person=person,
        **values,
        **targets,
        recorded_at=clock.now(),
        recorded_by=actor.user,
        recorded_by_organisation=actor.organisation,
    )
    record_change(
        actor,
        PersonLinked(
            aggregate_id=person.pk,
            child_id=link.child_id,
            link=link.pk,
            removed=False,
            police_only=link.police_only,
        ),
        action="link",
        details={"link": link.pk, "place": link.place_id, "episode": _ref(link.episode)},
    )
    return link


def _ref(episode: Episode | None) -> str:
    return episode.reference if episode is not None else ""


@transaction.atomic
@bus.in_unit_of_work
def link_person(actor: Actor, person_id: object, data: Mapping[str, Any]) -> PersonLink:
    """Link the person to a child (``child_id``), an episode (``episode``, its reference)
    and/or a place (``place_id``), with the nature, the source and its grading."""
    person = get_person(actor, person_id, for_update=True)
    _require_keeper(actor)
    return _add_link(actor, person, data)


@transaction.atomic
@bus.in_unit_of_work
def unlink(actor: Actor, link_id: object, reason: str = "", person_id: object = None) -> PersonLink:
    """Remove a link (kept, marked removed: what was known stays on the record)."""
    _require_keeper(actor)
    link = (
        visible_links(actor)
        .select_for_update(of=("self",))
        .filter(pk=_int(link_id))
        .filter(**({"person_id": _int(person_id)} if person_id is not None else {}))
        .select_related("person")
        .first()
    )
    if link is None:
        raise NotFound("No link was found.")
    if not may_remove(actor, link):
        raise AccessDenied(
            "Only whoever recorded the link, or the force holding the person, can remove it."
        )
    if len(reason) > LONG_TEXT:
        raise ValidationFailed({"reason": [f"The reason must be {LONG_TEXT} characters or fewer"]})
    link.removed_at = clock.now()
    link.save(update_fields=["removed_at"])
    record_change(
        actor,
        PersonLinked(
            aggregate_id=link.person_id,
            child_id=link.child_id,
            link=link.pk,
            removed=True,
            police_only=link.police_only,
        ),
        action="unlink",
        details={"link": link.pk, "reason": reason.strip()},
    )
    return link
