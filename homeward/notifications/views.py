"""The inbox and the "who knew what, when" page. Thin: services do the work."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.forms import GovukForm, add_service_errors
from homeward.notifications import access, services
from homeward.notifications.rules import thresholds


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)  # type: ignore[arg-type]
    page = Paginator(services.inbox(actor), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": services.inbox_items(actor, list(page.object_list)),
            "unread": services.unread_count(actor),
            "delivery": services.delivery_state(),
            "nav": "inbox",
        },
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
    return render(
        request,
        "notifications/who_knew.html",
        {"reference": reference, "rows": rows, "delivery": services.delivery_state(reference)},
    )


class RulesForm(GovukForm):
    repeat_count = forms.IntegerField(
        label="Episodes that count as repeat missing", min_value=2, max_value=20
    )
    repeat_days = forms.IntegerField(label="Within how many days", min_value=7, max_value=365)
    high_risk_review_hours = forms.CharField(
        label="Manager review of a high-risk episode, hours after the report",
        help_text="Whole hours separated by commas, like 2, 24, 48",
    )
    long_episode_hours = forms.CharField(
        label="Escalate a child still missing, hours after last seen",
        help_text="Whole hours separated by commas, like 24, 48, 72",
    )
    required_messages = {
        "repeat_count": "Enter how many episodes count as repeat missing",
        "repeat_days": "Enter the number of days",
        "high_risk_review_hours": "Enter at least one number of hours",
        "long_episode_hours": "Enter at least one number of hours",
    }


@login_required
def council_rules(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)  # type: ignore[arg-type]
    if not access.may_set_rules(actor) or actor.organisation is None:
        raise PermissionDenied
    limits = thresholds(actor.organisation)
    form = RulesForm(
        request.POST or None,
        initial={
            "repeat_count": limits.repeat_count,
            "repeat_days": limits.repeat_days,
            "high_risk_review_hours": ", ".join(map(str, limits.high_risk_review_hours)),
            "long_episode_hours": ", ".join(map(str, limits.long_episode_hours)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_council_rules(actor, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "Notification rules saved")
            return redirect("notifications:rules")
    return render(request, "notifications/rules.html", {"form": form, "nav": "rules"})
