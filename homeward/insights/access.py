"""Who sees which figures. Council roles with see_aggregates see their council's children;
a police missing persons coordinator their force's area; a national analyst the nation
(small numbers suppressed); a board member only their council's board report. No route
here ever returns a child's identity: the fact tables hold none."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.insights import queries as q
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind, Role
from homeward.organisations.policy import Action

DASHBOARD_ROLES = {
    Role.COUNCIL_MISSING_COORDINATOR,
    Role.COUNCIL_MANAGER,
    Role.POLICE_MISSING_COORDINATOR,
    Role.NATIONAL_ANALYST,
}
BOARD_ROLES = {Role.BOARD_MEMBER, Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER}


def may_see_figures(actor: Actor) -> bool:
    """Any figures at all: a dashboard, the board reports or the national figures."""
    return policy.role_allows(actor, Action.SEE_AGGREGATES)


def may_see_dashboards(actor: Actor) -> bool:
    """The dashboard of the actor's area (the nation's, for a national analyst)."""
    return (
        may_see_figures(actor) and actor.organisation is not None and actor.role in DASHBOARD_ROLES
    )


def may_see_board_reports(actor: Actor) -> bool:
    """The council's quarterly reports for its corporate parenting board."""
    org = actor.organisation
    return (
        may_see_figures(actor)
        and org is not None
        and org.kind == OrganisationKind.COUNCIL
        and actor.role in BOARD_ROLES
    )


def may_see_national(actor: Actor) -> bool:
    """The national figures, their download, and any one area's dashboard."""
    return may_see_figures(actor) and actor.role == Role.NATIONAL_ANALYST


def figures_start(actor: Actor) -> str:
    """Which figures the actor starts from: "board" for a board member (their only
    figures), otherwise "dashboard", refused as dashboard_scope refuses."""
    if actor.role == Role.BOARD_MEMBER:
        return "board"
    dashboard_scope(actor)
    return "dashboard"


def dashboard_scope(actor: Actor, area: str = "") -> q.Scope:
    """The scope the actor's dashboard shows. ``area`` ("council-714", "force-96") narrows
    a national analyst's view to one area; others always see their own."""
    policy.require_role(actor, Action.SEE_AGGREGATES)
    org = actor.organisation
    if org is None or actor.role not in DASHBOARD_ROLES:
        raise AccessDenied("Your role shows only your council's board report.")
    if org.kind == OrganisationKind.NATIONAL:
        chosen = area_organisation(area)
        return q.Scope.of(chosen) if chosen else q.Scope(q.NATION)
    return q.Scope.of(org)


def area_organisation(area: str) -> Organisation | None:
    kind, _, code = area.partition("-")
    kinds = {"council": OrganisationKind.COUNCIL, "force": OrganisationKind.POLICE}
    if kind not in kinds or not code:
        return None
    return Organisation.objects.filter(kind=kinds[kind], code=code).first()


def is_suppressed(actor: Actor) -> bool:
    """Figures shown outside the owning council are suppressed: the national view."""
    org = actor.organisation
    return org is None or org.kind == OrganisationKind.NATIONAL


def board_council(actor: Actor) -> Organisation:
    policy.require_role(actor, Action.SEE_AGGREGATES)
    org = actor.organisation
    if org is None or org.kind != OrganisationKind.COUNCIL or actor.role not in BOARD_ROLES:
        raise AccessDenied("Board reports are for the council's board and its managers.")
    return org


def require_national(actor: Actor) -> None:
    policy.require_role(actor, Action.SEE_AGGREGATES)
    if actor.role != Role.NATIONAL_ANALYST:
        raise AccessDenied("National figures are for national analysts.")
