"""Reporting a child missing from their record: the form, and where the report leads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from homeward.children import services as child_services
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.inputs import service_input
from homeward.core.views import actor_of, web_view
from homeward.episodes import services, steps
from homeward.episodes.forms import ReportForm
from homeward.episodes.models import EpisodeStatus
from homeward.episodes.visibility import visible_episodes
from homeward.linkage import tokens
from homeward.organisations.models import OrganisationKind
from homeward.safeguarding.models import ProtocolRun
from homeward.safeguarding.views import panels as safeguarding_panels


@web_view
@require_http_methods(["GET", "POST"])
def report_missing(request: HttpRequest, pk: int) -> HttpResponse:
    """A POST goes straight to the service, which checks the permission; the page (a read
    of the child) is drawn only when there is a form to show."""
    actor = actor_of(request)
    form = ReportForm(request.POST) if request.method == "POST" else ReportForm()
    if form.is_bound and form.is_valid():
        try:
            result = services.report_missing(
                actor, pk, service_input(services.Report, form.cleaned_data)
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            return _reported(request, actor, result)
    child = child_services.read_child(actor, pk)
    if not steps.report(actor).allowed:
        raise PermissionDenied
    open_episode = services.list_episodes(
        actor, child_id=child.pk, status=EpisodeStatus.MISSING
    ).first()
    return render(
        request,
        "episodes/report.html",
        {
            **safeguarding_panels.report_panels(actor, child),
            "form": form,
            "child": child,
            "open_episode": open_episode,
            "just_added": request.GET.get("added") == "1",
            "access_ends": child_services.access_from_adding_ends(child)
            if child.added_by_organisation_id == getattr(actor.organisation, "pk", None)
            else None,
        },
    )


def _reported(request: HttpRequest, actor: Actor, result: services.ReportResult) -> HttpResponse:
    episode = result.episode
    reference = episode.reference
    org = actor.organisation
    from_a_home = org is not None and org.kind == OrganisationKind.CARE_PROVIDER
    if from_a_home and not visible_episodes(actor).filter(pk=episode.pk).exists():
        # A home's late report of an episode from before the child came to it (only a
        # home sees a child's episodes from one placement on, so only a home can lose one):
        # recorded, and known to the home only in outline from now on.
        messages.success(
            request,
            f"Episode {reference} has been recorded. It happened before "
            f"{episode.child.first_name} was placed with you, so you see it only in "
            "outline on their record",
        )
        return redirect("children:detail", pk=episode.child_id)
    if result.created and episode.returned_at is not None:
        messages.success(
            request,
            f"Episode {reference} has been recorded, with the child's return. "
            "A safe and well check and a return interview are now due",
        )
    elif result.created:
        messages.success(request, f"Episode {reference} has been created")
        if from_a_home and ProtocolRun.objects.filter(episode=episode).exists():
            # Reported by the child's home: its missing protocol has begun; follow it now,
            # with the child's plan beside it.
            return redirect("safeguarding:protocol-run", reference=reference)
    else:
        messages.info(
            request,
            f"The child was already missing, so no new episode was created. "
            f"Your report has been added to the timeline of open episode "
            f"{reference}.",
        )
    return redirect("episodes:detail", reference=reference)


@web_view
@require_http_methods(["POST"])
def report_against_match(request: HttpRequest) -> HttpResponse:
    """Report missing a child found as a likely match whose record the user may not see.
    The match's token travels in a form field (never a URL); the page shows only the
    council holding the record. The first POST (from the matches) draws the empty form."""
    actor = actor_of(request)
    token = request.POST.get("token", "")
    try:
        held_by = services.match_holder(actor, token)
    except ValidationFailed as exc:
        messages.error(request, str(exc.errors.get("token", tokens_invalid())))
        return redirect("children:add")
    if not steps.report(actor).allowed:
        raise PermissionDenied
    form = ReportForm(request.POST) if request.POST.get("step") == "report" else ReportForm()
    if form.is_bound and form.is_valid():
        try:
            result = services.report_against_match(
                actor, token, service_input(services.Report, form.cleaned_data)
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            return _reported(request, actor, result)
    return render(
        request, "episodes/report_match.html", {"form": form, "token": token, "held_by": held_by}
    )


def tokens_invalid() -> str:
    return tokens.INVALID
