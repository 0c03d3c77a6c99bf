"""Finding, adding and reading children. Views stay thin: the services check permission,
validate, save and audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from homeward.audit import reads as audit
from homeward.children import access as child_access
from homeward.children import emergency, services
from homeward.children import steps as child_steps
from homeward.children import trail as trails
from homeward.children import visibility as children_visibility
from homeward.children.forms import (
    ChildForm,
    ConfirmCouncilForm,
    EmergencyAccessForm,
    ReviewForm,
    SearchForm,
)
from homeward.children.models import Child
from homeward.core import clock
from homeward.core import csv as csv_out
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.inputs import service_input
from homeward.core.views import actor_of, web_view
from homeward.episodes import services as episode_services
from homeward.episodes import steps as episode_steps
from homeward.episodes import visibility as episodes_visibility
from homeward.linkage import intake, search
from homeward.linkage import reads as linkage
from homeward.organisations import policy
from homeward.organisations.models import OrganisationKind, Role
from homeward.organisations.policy import Action
from homeward.safeguarding.views import panels as safeguarding_panels


@web_view
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Search by POST, so nothing typed here lands in a URL, a log or browser history."""
    actor = actor_of(request)
    child_access.require_find(actor)
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
    """Add a child, and (the usual next step, offered first) report them missing: the
    adding organisation keeps the relationship the report needs."""
    actor = actor_of(request)
    org = actor.organisation
    own_council = org if org is not None and org.kind == OrganisationKind.COUNCIL else None
    local = services.area_councils(org)
    can_report = episode_steps.report(actor).available
    if request.method == "POST":
        form = ChildForm(request.POST, own_council=own_council, area_councils=local)
        editing = request.POST.get("edit") == "1"  # back from the matches, details kept
        if not editing and form.is_valid() and request.POST.get("confirm_new") != "1":
            shown = _matches_page(request, actor, form, can_report)
            if shown is not None:
                return shown
        if not editing and form.is_valid():
            try:
                # Straight to the service, which checks the role.
                child = services.create_child(
                    actor, service_input(services.ChildDetails, form.cleaned_data)
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors)
            else:
                # The matches the user said were not the child, scored afresh from the
                # record made, go to the councils' review queue.
                intake.queue_matches_of([child.pk], source="added")
                if can_report and request.POST.get("next") == "report":
                    return redirect(
                        reverse("children:report-missing", kwargs={"pk": child.pk}) + "?added=1"
                    )
                messages.success(request, "The child has been added")
                return redirect("children:detail", pk=child.pk)
    else:
        form = ChildForm(own_council=own_council, area_councils=local)
    if not child_steps.add(actor).allowed:
        raise PermissionDenied
    return render(
        request,
        "children/add.html",
        {
            "form": form,
            "own_council": own_council,
            "single_area_council": local[0] if len(local) == 1 else None,
            "can_report": can_report,
            "nav": "add",
        },
    )


def _matches_page(
    request: HttpRequest, actor: Actor, form: ChildForm, can_report: bool
) -> HttpResponse | None:
    """Find before create: the likely matches already held, if any. A match the user may
    not see shows only its council, strength and grounds, with a token in a form field."""
    data = form.cleaned_data
    try:
        services.check_child(actor, service_input(services.ChildDetails, data))
    except ValidationFailed:
        return None  # the create that follows shows the errors
    query = search.Query(
        first_name=data["first_name"],
        last_name=data["last_name"],
        other_names=list(data.get("aliases") or []),
        date_of_birth=data.get("date_of_birth"),
        sex=data.get("sex", ""),
        nhs_number=data.get("nhs_number", ""),
        upn=data.get("upn", ""),
        agency_reference=data.get("agency_reference", ""),
    )
    matches = search.find(actor, query)
    if not matches:
        return None
    shown = [m.child_id for m in matches if m.visible]
    children = (
        children_visibility.visible_children(actor)
        .select_related("responsible_council")
        .in_bulk(shown)
        if shown
        else {}
    )
    typed = [(k, v) for k in request.POST for v in request.POST.getlist(k)]
    return render(
        request,
        "children/matches.html",
        {
            "matches": [(m, children.get(m.child_id)) for m in matches],
            "typed": [(k, v) for k, v in typed if k not in SKIPPED],
            "can_report": can_report,
            "nav": "add",
        },
    )


SKIPPED = {"csrfmiddlewaretoken", "confirm_new", "edit"}


@web_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    child = services.read_child(actor, pk)
    return render(request, "children/detail.html", _detail_context(actor, child))


def _detail_context(
    actor: Actor, child: Child, confirm_form: ConfirmCouncilForm | None = None
) -> dict[str, Any]:
    """What of the child's record this user sees (policy.child_view; docs/access.md)."""
    view = policy.child_view(actor)
    episodes = list(
        episode_services.list_episodes(actor, child_id=child.pk).prefetch_related(
            "timeline", "timeline__recorded_by_organisation"
        )
    )
    open_episode = next((e for e in episodes if e.is_open), None)
    org = actor.organisation
    placements = child.placements.select_related("provider", "host_council").order_by(
        "-start_date", "-pk"
    )
    allocations = child.allocations.select_related("worker", "organisation").order_by(
        "-start_date", "-pk"
    )
    statuses = child.legal_statuses.all()
    identifiers = child.identifiers.select_related("organisation")
    if not view.history:
        placements = placements.filter(pk=child.current_placement_id or 0)
        allocations = allocations.filter(end_date__isnull=True)
        statuses = statuses.filter(end_date__isnull=True)
    if not view.all_references:
        identifiers = identifiers.filter(organisation=org)
    linked = linkage.linked_records(actor, child)
    shown = [r.child_id for r in linked if r.visible]
    linked_episodes = (
        list(episode_services.list_episodes(actor).filter(child_id__in=shown)) if shown else []
    )
    episode_services.audit_listed(actor, linked_episodes)
    may_confirm = child_steps.confirm_council(actor, child).available
    if may_confirm and confirm_form is None and org is not None:
        confirm_form = ConfirmCouncilForm(holder=org)
    return {
        **safeguarding_panels.child_panels(actor, child),
        "child": child,
        "view": view,
        "age": child.age_on(request_day()),
        "aliases": list(child.aliases.all()),
        "identifiers": list(identifiers),
        "legal_statuses": list(statuses),
        "placements": list(placements),
        "allocations": list(allocations),
        "episodes": episodes,
        "outlines": list(episodes_visibility.episode_outlines(actor, child)),
        "is_home": org is not None and org.kind == OrganisationKind.CARE_PROVIDER,
        "open_episode": open_episode,
        "can_report": episode_steps.report(actor).available,
        "emergency_access": emergency.active_access(actor, child),
        "can_see_trail": audit.may_see_trail(actor, child),
        "added_access_ends": services.access_from_adding_ends(child)
        if org is not None and child.added_by_organisation_id == org.pk
        else None,
        "confirm_form": confirm_form if may_confirm else None,
        "linked": linked,
        "linked_episodes": linked_episodes,
        "may_unlink": linkage.may_unlink(actor, child, linked),
        "page_errors": bool(confirm_form and confirm_form.errors),
    }


@web_view
@require_http_methods(["POST"])
def confirm_council(request: HttpRequest, pk: int) -> HttpResponse:
    """The council holding the record provisionally says who is responsible."""
    actor = actor_of(request)
    child = services.read_child(actor, pk)
    org = actor.organisation
    step = child_steps.confirm_council(actor, child)
    if step.waiting:
        messages.info(request, step.reason)
        return redirect("children:detail", pk=child.pk)
    if not step.allowed or org is None:
        raise PermissionDenied
    form = ConfirmCouncilForm(request.POST, holder=org)
    if form.is_valid():
        try:
            updated = services.confirm_responsible_council(
                actor, child.pk, form.cleaned_data["responsible_council"]
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            if updated.responsible_council_id == org.pk:
                messages.success(request, f"{org.name} is confirmed as responsible for the child")
                return redirect("children:detail", pk=child.pk)
            messages.success(
                request,
                f"The child's record has passed to {updated.responsible_council.name}, now "
                "responsible for them",
            )
            if children_visibility.can(actor, Action.SEE_IDENTITY, updated):
                return redirect("children:detail", pk=child.pk)
            return redirect("home")
    return render(request, "children/detail.html", _detail_context(actor, child, form), status=200)


def request_day() -> date:
    return timezone.localtime(clock.now()).date()


# --- emergency access ------------------------------------------------------------------


@web_view
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Open a record outside one's relationships. By POST, so the identifier never lands in
    a URL, a log or browser history."""
    actor = actor_of(request)
    child_access.require_emergency_access(actor)
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
    trail = trails.child_trail(actor, pk)
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
    trail = trails.child_trail(actor, pk, audit.EXPORT_TRAIL)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # No name in the file name: it may sit in a downloads folder or an email.
    response["Content-Disposition"] = (
        f'attachment; filename="audit-trail-child-{trail.child.pk}-{request_day():%Y-%m-%d}.csv"'
    )
    writer = csv_out.writer(response)
    writer.writerow(audit.TRAIL_COLUMNS)
    writer.writerows(audit.trail_rows(trail.events.order_by("sequence").iterator()))
    return response
