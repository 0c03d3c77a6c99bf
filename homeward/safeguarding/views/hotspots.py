"""The hotspots page: a table (the primary content) and a map drawn on the server, for
one of the viewer's scopes (their council, their force's area, their host area) and a
period. Counts only: no child is named, so it is not a read of any child's record."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.core import clock
from homeward.core.errors import ValidationFailed
from homeward.core.views import actor_of, web_view
from homeward.safeguarding.forms.places import SCOPE_LABELS, HotspotFilterForm
from homeward.safeguarding.services import hotspots
from homeward.safeguarding.views import hotspot_map

DEFAULT_DAYS = "90"


@web_view
@require_http_methods(["GET"])
def hotspot_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    scopes = hotspots.scopes_for(actor)
    form = HotspotFilterForm(request.GET or None, scopes=scopes)
    scope, days = (scopes[0] if scopes else None), DEFAULT_DAYS
    if form.is_bound and form.is_valid():
        scope = form.cleaned_data["scope"] or scope
        days = form.cleaned_data["days"] or DEFAULT_DAYS
    else:
        form = HotspotFilterForm(initial={"scope": scope, "days": days}, scopes=scopes)
    until = clock.now()
    try:
        read = hotspots.read_hotspots(
            actor, scope, since=until - timedelta(days=int(days)), until=until
        )
    except ValidationFailed:
        read = hotspots.read_hotspots(
            actor, None, since=until - timedelta(days=int(DEFAULT_DAYS)), until=until
        )
    dots = hotspot_map.dots(read.hotspots)
    return render(
        request,
        "safeguarding/places/hotspots.html",
        {
            "form": form,
            "read": read,
            "scope_label": SCOPE_LABELS[read.scope],
            "days": days,
            "dots": dots,
            "unmapped": len(read.hotspots) - len(dots),
            "width": hotspot_map.WIDTH,
            "height": hotspot_map.HEIGHT,
            "threshold": hotspots.MIN_CHILDREN,
        },
    )


urlpatterns: list[URLPattern] = [path("hotspots", hotspot_page, name="hotspots")]
