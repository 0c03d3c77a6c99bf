"""The review queue of likely duplicate records, and unlinking a record. Thin: the
services decide, link and unlink; reads.py says what the reviewer sees."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from homeward.children import services as children
from homeward.core.errors import AccessDenied, StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.linkage import access, reads, services
from homeward.linkage.forms import DecisionForm, UnlinkForm

PAGE_SIZE = 25


@web_view
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not access.may_review_matches(actor):
        raise AccessDenied("Your role does not allow you to review possible duplicates.")
    pending = reads.review_queue(actor)
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/queue.html",
        {"page": page, "waiting": pending.count(), "nav": "matches"},
    )


@web_view
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    candidate, left, right = reads.read_pair(actor, pk)  # 403 or 404 before the form
    form = (
        DecisionForm(request.POST)
        if request.method == "POST"
        else DecisionForm(initial={"version": candidate.version})
    )
    if request.method == "POST" and form.is_valid():
        same = form.cleaned_data["decision"] == "same"
        try:
            services.decide_match(
                actor,
                pk,
                same=same,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            form.add_error(None, exc.message)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(
                request,
                "The records are linked as one child" if same else "The records are kept apart",
            )
            return redirect("linkage:queue")
    return render(
        request,
        "linkage/review.html",
        {
            "candidate": candidate,
            "left": left,
            "right": right,
            "rows": _rows(left, right),
            "form": form,
            "page_errors": bool(form.errors),
            "nav": "matches",
        },
    )


def _rows(left: reads.Side, right: reads.Side) -> list[tuple[str, str, str]]:
    def fmt(side: reads.Side, name: str) -> str:
        value = getattr(side, name)
        if isinstance(value, list):
            return ", ".join(value) or "Not recorded"
        if isinstance(value, date):
            return f"{value.day} {value:%B %Y}"
        return str(value) or "Not recorded"

    labels = [
        ("held_by", "Held by"),
        ("added_by", "Added by"),
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("other_names", "Other names"),
        ("date_of_birth", "Date of birth"),
        ("sex", "Sex"),
        ("nhs_number", "NHS number"),
        ("upn", "Unique pupil number"),
        ("postcode_district", "Placement postcode district"),
        ("references", "Agency references"),
    ]
    return [(label, fmt(left, name), fmt(right, name)) for name, label in labels]


@web_view
@require_http_methods(["GET", "POST"])
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    child = children.read_child(actor, pk)
    form = UnlinkForm(request.POST) if request.method == "POST" else UnlinkForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.unlink_record(actor, child.pk, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "This record is no longer linked with the others")
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "linkage/unlink.html",
        {"child": child, "form": form, "page_errors": bool(form.errors)},
    )
