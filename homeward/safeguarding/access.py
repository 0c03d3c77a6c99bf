"""Who sees and keeps profiles, plans and protocols. The child's own relationships decide
who sees (``children.visibility``); these add what the kind of organisation and the role
decide. docs/access.md, "Profiles, plans and protocols", gives the reasons.

- A profile and a plan are seen by every organisation that sees the child, except a
  return-interview provider (it needs to find the child, not search for them). A home
  sees them only while it is the child's current home: it is the home's relationship.
- The profile is kept by its owner (the care provider or council) and by the responsible
  council; the plan by the responsible council (``Action.KEEP_PLAN``).
- The briefing sheet is for the police force handling an open episode; a public appeal
  is agreed by the responsible council's missing coordinators and managers.
- A home's protocol is written and signed off by its managers, followed by its staff."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action, role_allows

# Kinds of organisation that see a visible child's profile and plan.
PROFILE_KINDS = frozenset(
    {OrganisationKind.COUNCIL, OrganisationKind.POLICE, OrganisationKind.CARE_PROVIDER}
)


def may_see_profiles(actor: Actor) -> bool:
    """Whether the actor's kind and role reach profiles and plans at all (no query)."""
    org = actor.organisation
    return org is not None and org.kind in PROFILE_KINDS and role_allows(actor, Action.SEE_IDENTITY)


def _at(actor: Actor, kind: str, *actions: Action) -> bool:
    """The actor works at an organisation of this kind and their role allows every action."""
    org = actor.organisation
    return (
        org is not None
        and org.kind == kind
        and all(role_allows(actor, action) for action in actions)
    )


def may_keep_protocol(actor: Actor) -> bool:
    return _at(actor, OrganisationKind.CARE_PROVIDER, Action.KEEP_PROTOCOL)


def may_follow_protocol(actor: Actor) -> bool:
    return _at(actor, OrganisationKind.CARE_PROVIDER, Action.FOLLOW_PROTOCOL)


def may_sign_off_protocol(actor: Actor) -> bool:
    return _at(actor, OrganisationKind.CARE_PROVIDER, Action.SIGN_OFF_PROTOCOL)


def may_see_protocol_compliance(actor: Actor) -> bool:
    """A home's managers (their home), and councils' missing coordinators and managers (the
    homes their children are placed in, and the homes in their area): figures about homes
    for the people who act on them (a board member reads the board reports)."""
    return may_sign_off_protocol(actor) or _at(
        actor, OrganisationKind.COUNCIL, Action.SEE_AGGREGATES, Action.SEE_IDENTITY
    )


def may_see_plan_reviews(actor: Actor) -> bool:
    return _at(actor, OrganisationKind.COUNCIL, Action.KEEP_PLAN)


def may_see_hotspots(actor: Actor) -> bool:
    """Councils' and forces' staff whose role sees hotspots (counts only, for their area)."""
    org = actor.organisation
    return (
        org is not None
        and org.kind in {OrganisationKind.COUNCIL, OrganisationKind.POLICE}
        and role_allows(actor, Action.SEE_HOTSPOTS)
    )


def may_see_places(actor: Actor) -> bool:
    """Whoever records places or sees hotspots may list and search places (not personal
    data; their links are shown only through visible children)."""
    return role_allows(actor, Action.RECORD_PLACE) or role_allows(actor, Action.SEE_HOTSPOTS)
