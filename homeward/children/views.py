"""Finding, adding and reading children. Views stay thin: the services check permission,
validate, save and audit."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from homeward.children import services
from homeward.children.forms import ChildForm, SearchForm
from homeward.core import clock
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.episodes import services as episode_services
from homeward.organisations import policy
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action


@web_view
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Search by POST, so nothing typed here lands in a URL, a log or browser history."""
    actor = actor_of(request)
    policy.require_role(actor, Action.SEE_IDENTITY)
    results = None
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            try:
                results = services.search_children(actor, form.cleaned_data["q"])
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors)
    else:
        form = SearchForm()
    return render(
        request,
        "children/find.html",
        {"form": form, "results": results, "nav": "find"},
    )


@web_view
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_role(actor, Action.CREATE_CHILD)
    org = actor.organisation
    own_council = org if org is not None and org.kind == OrganisationKind.COUNCIL else None
    if request.method == "POST":
        form = ChildForm(request.POST, own_council=own_council)
        if form.is_valid():
            data = form.cleaned_data
            details = services.ChildDetails(
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                sex=data["sex"],
                ethnicity=data["ethnicity"],
                upn=data["upn"],
                nhs_number=data["nhs_number"],
                responsible_council_id=form.council_id(),
                aliases=form.alias_list(),
                agency_reference=data["agency_reference"],
            )
            try:
                child = services.create_child(actor, details)
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors)
            else:
                if policy.can(actor, Action.SEE_IDENTITY, child):
                    messages.success(request, "The child has been added")
                    return redirect("children:detail", pk=child.pk)
                # The record exists, but this organisation has no relationship with the
                # child yet (see the report): say so rather than show a 404.
                return render(request, "children/added_elsewhere.html", {"nav": "add"})
    else:
        form = ChildForm(own_council=own_council)
    return render(
        request,
        "children/add.html",
        {"form": form, "own_council": own_council, "nav": "add"},
    )


@web_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    child = services.read_child(actor, pk)
    episodes = list(
        episode_services.list_episodes(actor, child_id=child.pk).prefetch_related(
            "timeline", "timeline__recorded_by_organisation"
        )
    )
    open_episode = next((e for e in episodes if e.is_open), None)
    return render(
        request,
        "children/detail.html",
        {
            "child": child,
            "age": child.age_on(request_day()),
            "aliases": list(child.aliases.all()),
            "identifiers": list(child.identifiers.select_related("organisation")),
            "legal_statuses": list(child.legal_statuses.all()),
            "placements": list(
                child.placements.select_related("provider", "host_council").order_by(
                    "-start_date", "-pk"
                )
            ),
            "allocations": list(
                child.allocations.select_related("worker", "organisation").order_by(
                    "-start_date", "-pk"
                )
            ),
            "episodes": episodes,
            "open_episode": open_episode,
            "can_report": policy.role_allows(actor, Action.REPORT),
        },
    )


def request_day() -> date:
    return timezone.localtime(clock.now()).date()
