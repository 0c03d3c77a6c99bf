"""Pages of places: the list and search, one place with its links (through visible
children only), recording a place with "did you mean" (and linking it to the episode,
interview or child it was entered from), and taking a link away; and the places parts of
the episode's and the child's pages (``episode_panel``, ``child_panel``).

Thin: the services check who may, validate and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.episodes.models import Episode
from homeward.safeguarding import access
from homeward.safeguarding.forms.places import NEW, PlaceForm, PlaceSearchForm
from homeward.safeguarding.models import Place, PlaceLink
from homeward.safeguarding.services import hotspots, place_links, places
from homeward.safeguarding.services.place_links import LinkTarget
from homeward.safeguarding.services.place_suggest import Suggestion

TARGET_KEYS = ("episode", "interview", "child")


@web_view
@require_http_methods(["GET", "POST"])
def place_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = PlaceSearchForm(request.POST if request.method == "POST" else None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    found = places.list_places(actor, query)
    return render(
        request,
        "safeguarding/places/list.html",
        {
            "form": form,
            "places": found,
            "query": query,
            "limit": places.LIST_LIMIT,
            "may_record": places.may_record(actor),
            "may_see_hotspots": hotspots.may_see(actor),
        },
    )


@web_view
@require_http_methods(["GET"])
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = places.read_place(actor, pk)
    return render(
        request,
        "safeguarding/places/detail.html",
        {"read": read, "place": read.place, "may_see_hotspots": hotspots.may_see(actor)},
    )


def _target(actor: Actor, data: QueryDict) -> LinkTarget:
    return place_links.target(actor, **{k: str(data.get(k, "")).strip() for k in TARGET_KEYS})


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def _suggested(actor: Actor, data: QueryDict) -> list[Suggestion]:
    """The places like the one typed, found again from what was posted."""
    if not str(data.get("name", "")).strip():
        return []
    return places.suggest(
        actor,
        str(data.get("name", ""))[:300],
        str(data.get("postcode", ""))[:10],
        _float(data.get("latitude", "")),
        _float(data.get("longitude", "")),
    )


def _done(
    request: HttpRequest, place: Place, to: LinkTarget, link: PlaceLink | None
) -> HttpResponse:
    if link is None:
        messages.success(request, f"{place.name} has been recorded")
        return redirect("safeguarding:place", pk=place.pk)
    messages.success(request, f"{place.name} has been linked ({link.get_role_display().lower()})")
    if to.episode is not None:
        return redirect(reverse("episodes:detail", args=[to.episode.reference]) + "#places")
    if to.interview is not None:
        return redirect("aftercare:interview", pk=to.interview.pk)
    assert to.child is not None
    return redirect(reverse("children:detail", args=[to.child.pk]) + "#places")


def _save(
    actor: Actor, form: PlaceForm, to: LinkTarget, found: list[Suggestion]
) -> tuple[Place, PlaceLink | None]:
    """Use the place chosen, or record the new one (PlaceMayExist when like ones exist and
    the recorder has not yet said it is new); then link it to the target, if any."""
    choice = form.cleaned_data.get("choice") or ""
    chosen = next((s.place for s in found if str(s.place.pk) == choice), None)
    place = chosen or places.record_place(actor, form.place_input(), confirmed_new=choice == NEW)
    if not to.any:
        return place, None
    notes = form.cleaned_data["notes"] if chosen is not None else ""
    return place, place_links.link_to(
        actor, place.pk, to, role=form.cleaned_data.get("role", ""), notes=notes
    )


@web_view
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not places.may_record(actor):
        raise AccessDenied("Your role does not allow you to record places.")
    posted = request.POST if request.method == "POST" else None
    to = _target(actor, posted or request.GET)
    found = _suggested(actor, request.POST) if posted is not None else []
    council = places.default_council(actor)
    initial = {k: request.GET.get(k, "") for k in TARGET_KEYS}
    initial["council"] = str(council.pk) if council else ""
    episode = to.episode is not None
    form = PlaceForm(posted, for_episode=episode, found=found, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            place, link = _save(actor, form, to, found)
        except places.PlaceMayExist as exc:
            found = exc.suggestions
            form = PlaceForm(posted, for_episode=episode, found=found)
            form.is_valid()
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            return _done(request, place, to, link)
    return render(
        request,
        "safeguarding/places/record.html",
        {"form": form, "to": to, "found": found, "target_keys": TARGET_KEYS},
    )


@web_view
@require_http_methods(["GET", "POST"])
def remove_link(request: HttpRequest, link_id: int) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        link = place_links.unlink(actor, link_id)
        messages.success(request, f"{link.place.name} is no longer linked")
        if link.episode is not None:
            return redirect(reverse("episodes:detail", args=[link.episode.reference]) + "#places")
        return redirect("safeguarding:place", pk=link.place_id)
    found = place_links.visible_link(actor, link_id)
    return render(request, "safeguarding/places/remove.html", {"link": found})


urlpatterns: list[URLPattern] = [
    path("places", place_list, name="places"),
    path("places/new", record, name="place_new"),
    path("places/<int:pk>", place_detail, name="place"),
    path("place-links/<int:link_id>/remove", remove_link, name="place_link_remove"),
]


# --- the places parts of other pages ----------------------------------------------------------


def episode_panel(actor: Actor, episode: Episode) -> dict[str, Any]:
    """The episode's page (already an audited read of the episode): its places. One query."""
    if not access.may_see_places(actor):
        return {}
    return {
        "places_panel": {
            "links": place_links.links_of_episode(episode),
            "may_record": places.may_record(actor),
        }
    }


def child_panel(actor: Actor, child: Child) -> dict[str, Any]:
    """The child's page (already an audited read of the child): where they go and where
    they were, less the places of episodes the actor knows only in outline. One query."""
    if not places.may_record(actor):
        return {}
    try:
        links = place_links.visible_links_of_child(actor, child)
    except NotFound:
        return {}
    return {"child_places_panel": {"links": links, "may_record": True}}
