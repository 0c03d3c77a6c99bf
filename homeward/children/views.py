"""Finding, adding and reading children. Views stay thin: the services check permission,
validate, save and audit."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from homeward.audit import services as audit
from homeward.children import emergency, services
from homeward.children.forms import ChildForm, EmergencyAccessForm, ReviewForm, SearchForm
from homeward.core import clock
from homeward.core import csv as csv_out
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.episodes import services as episode_services
from homeward.organisations import policy
from homeward.organisations.models import OrganisationKind, Role
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
            "emergency_access": emergency.active_access(actor, child),
            "can_see_trail": audit.may_see_trail(actor, child),
        },
    )


def request_day() -> date:
    return timezone.localtime(clock.now()).date()


# --- emergency access ------------------------------------------------------------------


@web_view
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Open a record outside one's relationships. By POST, so the identifier never lands in
    a URL, a log or browser history."""
    actor = actor_of(request)
    policy.require_role(actor, Action.SEE_IDENTITY)
    if request.method == "POST":
        form = EmergencyAccessForm(request.POST)
        if form.is_valid():
            try:
                access = emergency.open_emergency_access(
                    actor, form.cleaned_data["identifier"], form.cleaned_data["reason"]
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors)
            else:
                return redirect("children:detail", pk=access.child_id)
    else:
        form = EmergencyAccessForm()
    return render(
        request,
        "children/emergency_access.html",
        {"form": form, "hours": int(emergency.DURATION.total_seconds() // 3600), "nav": "find"},
    )


REVIEW_PAGE_SIZE = 25


def _review_page(
    request: HttpRequest, failed: tuple[int, ReviewForm] | None = None, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    page = Paginator(emergency.awaiting_review(actor), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    accesses = list(page.object_list)
    emergency.audit_listed(actor, accesses)
    now = clock.now()
    items = []
    for access in accesses:
        form = None
        if access.reviewed_at is None:
            if failed is not None and failed[0] == access.pk:
                form = failed[1]
            else:
                form = ReviewForm(prefix=f"access-{access.pk}")
        items.append(
            {
                "access": access,
                "role": Role(access.role).label if access.role in Role.values else access.role,
                "active": access.expires_at > now,
                "form": form,
            }
        )
    return render(
        request,
        "children/emergency_reviews.html",
        {
            "page": page,
            "items": items,
            "failed_form": failed[1] if failed else None,
            "page_errors": failed is not None and bool(failed[1].errors),
            "awaiting": emergency.awaiting_review(actor).filter(reviewed_at__isnull=True).count(),
            "nav": "emergency-reviews",
        },
        status=status,
    )


@web_view
@require_http_methods(["GET"])
def emergency_reviews(request: HttpRequest) -> HttpResponse:
    """Emergency accesses to this council's children, those awaiting review first."""
    return _review_page(request)


@web_view
@require_http_methods(["POST"])
def review_emergency_access(request: HttpRequest, access_id: int) -> HttpResponse:
    actor = actor_of(request)
    access = emergency.get_for_review(actor, access_id)  # 403 or 404 before the form
    if access.reviewed_at is not None:
        messages.info(request, "This emergency access has already been reviewed")
        return redirect("children:emergency-reviews")
    form = ReviewForm(request.POST, prefix=f"access-{access_id}")
    if form.is_valid():
        try:
            emergency.review(actor, access_id, form.cleaned_data["note"])
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "Your review has been recorded")
            return redirect("children:emergency-reviews")
    return _review_page(request, failed=(access_id, form))


# --- who has looked at this record -------------------------------------------------------

TRAIL_PAGE_SIZE = 50


@web_view
@require_http_methods(["GET"])
def audit_trail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has seen or changed this child's records, newest first. Looking is audited.

    ``upto`` pins the pages to the trail as it was when first opened, so that the events
    this page itself adds do not shift what page 2 shows."""
    actor = actor_of(request)
    trail = audit.child_trail(actor, pk)
    events = trail.events.order_by("-sequence")
    upto = _positive_int(request.GET.get("upto"))
    if upto is None:
        upto = events.values_list("sequence", flat=True).first() or 0
    page = Paginator(events.filter(sequence__lte=upto), TRAIL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "event": event,
            "who": event.user.get_full_name() or event.user.get_username()
            if event.user
            else "Homeward",
            "role": Role(event.role).label if event.role in Role.values else event.role,
            "action": audit.action_label(event.action),
            "record": audit.object_label(event),
        }
        for event in page.object_list
    ]
    return render(
        request,
        "children/audit_trail.html",
        {"child": trail.child, "page": page, "rows": rows, "upto": upto},
    )


def _positive_int(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@web_view
@require_http_methods(["GET"])
def audit_trail_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's whole audit trail as CSV, for a subject access request. Audited."""
    actor = actor_of(request)
    trail = audit.child_trail(actor, pk, audit.EXPORT_TRAIL)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # No name in the file name: it may sit in a downloads folder or an email.
    response["Content-Disposition"] = (
        f'attachment; filename="audit-trail-child-{trail.child.pk}-{request_day():%Y-%m-%d}.csv"'
    )
    writer = csv_out.writer(response)
    writer.writerow(audit.TRAIL_COLUMNS)
    writer.writerows(audit.trail_rows(trail.events.order_by("sequence").iterator()))
    return response
