"""Who may take part in case audits (no query): council missing coordinators and
managers (``Action.AUDIT_CASES``) for their own council, and inspectors of a national
body for any council."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action, role_allows

AUDIT_KINDS = {OrganisationKind.COUNCIL, OrganisationKind.NATIONAL}


def may_audit(actor: Actor) -> bool:
    org = actor.organisation
    return org is not None and org.kind in AUDIT_KINDS and role_allows(actor, Action.AUDIT_CASES)


def may_audit_council(actor: Actor, council_id: int) -> bool:
    """May draw a sample of this council's cases: its own staff, or an inspector."""
    org = actor.organisation
    if org is None or not may_audit(actor):
        return False
    return org.kind == OrganisationKind.NATIONAL or org.pk == council_id
