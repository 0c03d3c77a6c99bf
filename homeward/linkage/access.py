"""Who may review likely duplicate records, and link or unlink records: the missing
coordinators and managers of councils (``Action.LINK_RECORDS``), for the records their
council is responsible for (``services.may_decide``)."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action, role_allows


def may_review_matches(actor: Actor) -> bool:
    org = actor.organisation
    return (
        org is not None
        and org.kind == OrganisationKind.COUNCIL
        and role_allows(actor, Action.LINK_RECORDS)
    )
