"""Pages of who goes missing with whom: a child's peer group (graph and tables) and the
groups of a council's or a force's children; and the link on the child's page
(``child_panel``).

Thin: ``services.peers`` decides what the viewer may see of each group and audits the
read; the drawing is ``peer_svg``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.views import actor_of, web_view
from homeward.safeguarding.services import peers
from homeward.safeguarding.services.peers import PeerGroupView
from homeward.safeguarding.views import peer_svg


def _shown(group: PeerGroupView | None) -> dict[str, Any]:
    if group is None or not group.identified:
        return {"group": group}
    label = peer_svg.describe(group)
    return {"group": group, "graph": peer_svg.draw(group, label)}


@web_view
@require_http_methods(["GET"])
def child_peers(request: HttpRequest, pk: int) -> HttpResponse:
    read = peers.read_peers(actor_of(request), pk)
    return render(
        request,
        "safeguarding/peers/child.html",
        {"child": read.child, **_shown(read.group)},
    )


@web_view
@require_http_methods(["GET"])
def groups(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = peers.read_groups(actor)
    shown = [{**_shown(g), "prefix": f"group-{n}-"} for n, g in enumerate(found, start=1)]
    return render(
        request,
        "safeguarding/peers/groups.html",
        {
            "groups": shown,
            "organisation": actor.organisation,
            "hidden": sum(not g.identified for g in found),
        },
    )


urlpatterns: list[URLPattern] = [
    path("children/<int:pk>/peers", child_peers, name="peers"),
    path("peers/groups", groups, name="peer_groups"),
]


def child_panel(actor: Actor, _child: Child) -> dict[str, Any]:
    """The child's page: a link to who they go missing with (no query)."""
    return {"peers_panel": peers.may_see_peers(actor)}
