"""Pages of the child's plan: the current plan, writing the next version, its history and
any earlier version, the council's work list of reviews and one review; and the plan's
parts of the child's page and the report page (``child_panel``, ``report_panel``).

Thin: the services check who may see and who may write, and audit every read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.templatetags.govuk import govuk_error_summary
from homeward.core.views import actor_of, web_view
from homeward.safeguarding import access
from homeward.safeguarding.forms.plans import (
    BLANK_ROWS,
    ActionRows,
    AgencyRows,
    ChangeNoteForm,
    PlanForm,
    ReviewOutcomeForm,
    initial_of,
    plan_input,
)
from homeward.safeguarding.models import PlanVersion, ReviewStatus
from homeward.safeguarding.services import plan_rules, plans, reviews
from homeward.safeguarding.services.plan_rules import (
    may_keep,
    open_reviews_of,
    owner_choices,
)

LIST_LIMIT = 200


def _shown(version: PlanVersion | None) -> PlanVersion | None:
    """The version, its actions' due dates as dates (they are kept as ISO text)."""
    if version is not None:
        version.actions_shown = [  # type: ignore[attr-defined]
            {**a, "due": date.fromisoformat(a["due"]) if a.get("due") else None}
            for a in version.actions
        ]
    return version


def _review_rows(found: list[Any]) -> list[dict[str, Any]]:
    return [{"review": r, "overdue": reviews.is_overdue(r)} for r in found]


@web_view
@require_http_methods(["GET"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = plans.read_plan(actor, pk)
    return render(
        request,
        "safeguarding/plans/plan.html",
        {
            "read": read,
            "child": read.child,
            "version": _shown(read.version),
            "overdue": read.plan is not None and read.plan.review_date < reviews.today(),
            "open_reviews": _review_rows(open_reviews_of(read.child)),
        },
    )


def _forms(
    request: HttpRequest, actor: Actor, version: PlanVersion | None
) -> tuple[PlanForm, Any, Any, ChangeNoteForm | None]:
    """The plan's questions, its two sets of rows, and (after version 1) the note."""
    initial, agencies, actions = initial_of(version)
    owners = owner_choices(actor.organisation)
    if request.method == "POST":
        return (
            PlanForm(request.POST, owners=owners),
            AgencyRows(request.POST, prefix="agencies"),
            ActionRows(request.POST, prefix="actions"),
            ChangeNoteForm(request.POST) if version is not None else None,
        )
    review = request.GET.get("review", "")
    if review.isdigit():
        initial["review"] = int(review)
    agency_rows = AgencyRows(initial=agencies, prefix="agencies")
    agency_rows.extra = BLANK_ROWS
    action_rows = ActionRows(initial=actions, prefix="actions")
    action_rows.extra = BLANK_ROWS
    note = ChangeNoteForm() if version is not None else None
    return PlanForm(initial=initial, owners=owners), agency_rows, action_rows, note


def _row_errors(
    agencies: Any, actions: Any, note: ChangeNoteForm | None, errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Put the service's row messages ("agencies-1-will_do") on the row's field and the
    note's on the note; return the rest for the plan form."""
    rest: dict[str, list[str]] = {}
    for key, texts in errors.items():
        if key == "change_note" and note is not None:
            for text in texts:
                note.add_error("change_note", text)
            continue
        name, _, tail = key.partition("-")
        index, _, field = tail.partition("-")
        rows = {"agencies": agencies, "actions": actions}.get(name)
        if rows is not None and index.isdigit() and int(index) < len(rows.forms):
            for text in texts:
                rows.forms[int(index)].add_error(field or None, text)
        else:
            rest[key] = texts
    return rest


@web_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = plans.read_plan(actor, pk)
    if not read.may_edit:
        raise PermissionDenied
    form, agencies, actions, note = _forms(request, actor, read.version)
    stale = ""
    valid = [form.is_valid(), agencies.is_valid(), actions.is_valid()]
    valid.append(note is None or note.is_valid())
    if request.method == "POST" and all(valid):
        text = note.cleaned_data["change_note"] if note is not None else ""
        try:
            saved = plans.save_plan(
                actor,
                pk,
                plan_input(form, agencies, actions, text),
                form.cleaned_data.get("version"),
                review_id=form.cleaned_data.get("review"),
            )
        except StaleEdit as exc:
            stale = exc.message
        except ValidationFailed as exc:
            add_service_errors(form, _row_errors(agencies, actions, note, exc.errors))
        else:
            messages.success(request, f"Version {saved.number} of the plan has been saved")
            return redirect("safeguarding:plan", pk=read.child.pk)
    return render(
        request,
        "safeguarding/plans/edit.html",
        {
            "read": read,
            "child": read.child,
            "form": form,
            "agencies": agencies,
            "actions": actions,
            "note": note,
            "error_summary": govuk_error_summary(
                form, *agencies.forms, *actions.forms, note, message=stale
            ),
            "page_errors": bool(stale)
            or any(f.errors for f in [form, *agencies.forms, *actions.forms, note] if f),
        },
    )


@web_view
@require_http_methods(["GET"])
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read, changes = plans.read_versions(actor, pk)
    return render(
        request,
        "safeguarding/plans/versions.html",
        {"read": read, "child": read.child, "changes": changes},
    )


@web_view
@require_http_methods(["GET"])
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    actor = actor_of(request)
    read, found = plans.read_version(actor, pk, number)
    return render(
        request,
        "safeguarding/plans/version.html",
        {"read": read, "child": read.child, "version": _shown(found), "earlier": True},
    )


@web_view
@require_http_methods(["GET"])
def review_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = list(reviews.reviews_for(actor)[:LIST_LIMIT])
    reviews.audit_listed(actor, found)
    return render(
        request,
        "safeguarding/plans/reviews.html",
        {
            "rows": _review_rows(found),
            "limit": LIST_LIMIT,
            "due_days": reviews.REVIEW_DUE_WORKING_DAYS,
        },
    )


@web_view
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = ReviewOutcomeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            done = reviews.complete_review(actor, review_id, form.cleaned_data["outcome"])
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "The review has been recorded: the plan stays as it is")
            return redirect("safeguarding:plan", pk=done.child_id)
    found = reviews.read_review(actor, review_id)
    return render(
        request,
        "safeguarding/plans/review.html",
        {
            "review": found,
            "child": found.child,
            "overdue": reviews.is_overdue(found),
            "form": form,
            "is_open": found.status == ReviewStatus.OPEN,
            "has_plan": found.plan_id is not None,
        },
    )


urlpatterns: list[URLPattern] = [
    path("children/<int:pk>/plan", plan, name="plan"),
    path("children/<int:pk>/plan/edit", edit, name="plan_edit"),
    path("children/<int:pk>/plan/versions", versions, name="plan_versions"),
    path("children/<int:pk>/plan/versions/<int:number>", version, name="plan_version"),
    path("plans/reviews", review_list, name="plan_reviews"),
    path("plans/reviews/<int:review_id>", review, name="plan_review"),
]


# --- the plan's parts of other pages --------------------------------------------------------


def child_panel(actor: Actor, child: Child) -> dict[str, Any]:
    """The child's page (already an audited read of the child): the current plan in
    short, its open reviews and the links. Two queries: the plan with its current version,
    and the open reviews (a third, for a council not responsible for this record, to see
    whether it is responsible for a record linked as the child)."""
    if not access.may_see_profiles(actor):
        return {}
    current = plan_rules.current_version(child)
    found = current.plan if current is not None else None
    return {
        "plan_panel": True,
        "plan": found,
        "plan_version": current,
        "plan_overdue": found is not None and found.review_date < reviews.today(),
        "plan_reviews": _review_rows(open_reviews_of(child)),
        "plan_may_edit": may_keep(actor, child),
    }


def report_panel(actor: Actor, child: Child) -> dict[str, Any]:
    """The report page: the plan's "if missing" steps and when to tell the police. One
    query: the plan's current version."""
    if not access.may_see_profiles(actor):
        return {}
    current = plan_rules.current_version(child)
    return {"report_plan": current} if current is not None else {}
