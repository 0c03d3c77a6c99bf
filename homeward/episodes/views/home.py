"""Every role's home page: the open episodes for those who work with children, and links
to each page their role uses (homeward.navigation gathers those)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from homeward import navigation
from homeward.aftercare import services as aftercare_services
from homeward.audit import services as audit
from homeward.children import emergency
from homeward.children import services as child_services
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.views import actor_of, web_view
from homeward.episodes import services
from homeward.episodes.models import EpisodeStatus, RiskGrade
from homeward.navigation import May, WorkLink
from homeward.organisations.models import OrganisationKind

# The home page lists at most this many episodes in each table.
HOME_LIMIT = 200

_RISK_ORDER = Case(
    When(risk_grade=RiskGrade.HIGH, then=Value(0)),
    When(risk_grade=RiskGrade.MEDIUM, then=Value(1)),
    When(risk_grade=RiskGrade.LOW, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@web_view
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """Every role's home page leads to that role's work: the open episodes for those who
    work with children, and links to each page their role uses."""
    actor = actor_of(request)
    allowed = navigation.may(actor)
    links = navigation.work_links(actor, allowed)
    if not allowed.see_episodes:
        return _no_access(request, actor, allowed, links)
    org = actor.organisation
    assert org is not None
    if org.kind == OrganisationKind.RHI_PROVIDER:
        return _interviewer_home(request, actor, links)
    return render(
        request,
        "episodes/home.html",
        {
            **_episodes(actor),
            "emergency_awaiting": (
                emergency.awaiting_review(actor).filter(reviewed_at__isnull=True).count()
                if allowed.review_emergency_access
                else 0
            ),
            "limit": HOME_LIMIT,
            "nav": "home",
            "links": links,
            "can_report": allowed.report_missing,
            "can_add": allowed.add_child,
            "is_home": org.kind == OrganisationKind.CARE_PROVIDER,
        },
    )


def _episodes(actor: Actor) -> dict[str, Any]:
    """The open and returned episodes, the children placed here (for a home) and those
    whose council is to be confirmed: each a read of the children it names."""
    org = actor.organisation
    assert org is not None
    episodes = services.list_episodes(actor)
    missing_qs = episodes.filter(status=EpisodeStatus.MISSING)
    returned_qs = episodes.filter(status=EpisodeStatus.RETURNED)
    missing = list(
        missing_qs.annotate(risk_order=_RISK_ORDER).order_by("risk_order", "last_seen_at")[
            :HOME_LIMIT
        ]
    )
    returned = list(returned_qs.order_by("-returned_at")[:HOME_LIMIT])
    services.audit_listed(actor, missing + returned)
    placed: list[Any] = []
    if org.kind == OrganisationKind.CARE_PROVIDER:
        placed = child_services.placed_with(actor, limit=HOME_LIMIT)
    unconfirmed = list(child_services.awaiting_confirmation(actor)[:HOME_LIMIT])
    audit_read_children(actor, [c.pk for c in unconfirmed])
    open_by_child = {e.child_id: e for e in missing}
    return {
        "missing": missing,
        "missing_total": missing_qs.count() if len(missing) == HOME_LIMIT else len(missing),
        "returned": returned,
        "returned_total": returned_qs.count() if len(returned) == HOME_LIMIT else len(returned),
        "placed": [(child, open_by_child.get(child.pk)) for child in placed],
        "unconfirmed": unconfirmed,
    }


def _no_access(
    request: HttpRequest, actor: Actor, allowed: May, links: list[WorkLink]
) -> HttpResponse:
    """For roles that never see episodes: what their role is for, and its links."""
    return render(
        request,
        "episodes/no_access.html",
        {
            "aggregate_only": allowed.see_only_figures,
            "no_membership": actor.membership is None,
            "administrator": allowed.administer,
            "links": links,
            "organisation": actor.organisation,
            "nav": "home",
        },
    )


def audit_read_children(actor: Actor, child_ids: list[int]) -> None:
    if child_ids:
        audit.record_many_reads(actor, "child", sorted(set(child_ids)), action="list_result")


def _interviewer_home(request: HttpRequest, actor: Actor, links: list[WorkLink]) -> HttpResponse:
    """A return-interview provider's work is its interviews: how many are open, and how
    many of those are past their 72 hours. No names here: the list has them."""
    interviews = aftercare_services.list_interviews(actor).filter(closed_at__isnull=True)
    return render(
        request,
        "episodes/interviewer_home.html",
        {
            "links": links,
            "open_count": interviews.count(),
            "overdue_count": interviews.filter(due_at__lt=clock.now()).count(),
            "organisation": actor.organisation,
            "nav": "home",
        },
    )
