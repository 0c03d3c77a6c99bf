"""The inbox and the "who knew what, when" page. Thin: services do the work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.notifications import services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)  # type: ignore[arg-type]
    page = Paginator(services.inbox(actor), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": services.unread_count(actor), "nav": "inbox"},
    )


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to the record it is about."""
    try:
        notification = services.mark_read(Actor.for_user(request.user), pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    target = notification.link
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.mark_read(Actor.for_user(request.user), pk)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    return redirect("notifications:inbox")


@login_required
def who_knew(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        rows = list(services.who_knew(Actor.for_user(request.user), reference))  # type: ignore[arg-type]
    except (NotFound, AccessDenied):
        raise Http404 from None
    return render(request, "notifications/who_knew.html", {"reference": reference, "rows": rows})
