"""Who works with themes: a council's missing coordinator keeps them (names, merges,
corrects, links); its managers read them. Both only for their own council's children.
Board members and national analysts see theme counts only, through the figures."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action


def _council(actor: Actor) -> Organisation | None:
    org = actor.organisation
    return org if org is not None and org.kind == OrganisationKind.COUNCIL else None


def may_see_themes(actor: Actor) -> bool:
    return _council(actor) is not None and policy.role_allows(actor, Action.SEE_THEMES)


def may_keep_themes(actor: Actor) -> bool:
    return _council(actor) is not None and policy.role_allows(actor, Action.KEEP_THEMES)


def council_for(actor: Actor, *, keep: bool = False) -> Organisation:
    """The actor's council, if their role may see (or, with ``keep``, keep) its themes."""
    council = _council(actor)
    if council is None or not (may_keep_themes(actor) if keep else may_see_themes(actor)):
        raise AccessDenied(
            "Only the council's missing coordinator can change themes."
            if keep
            else "Themes are for the council's missing coordinator and managers."
        )
    return council
