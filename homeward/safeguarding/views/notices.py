"""Pages of harbouring notices: the list (a force's own and those naming the children the
viewer sees; a council sees those naming its children), one notice, issue one from the
person's page, review, withdraw, and record a breach."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.safeguarding.forms.notices import BreachForm, IssueForm, ReviewForm, WithdrawForm
from homeward.safeguarding.services import notice_breaches, notice_rules, notices, persons
from homeward.safeguarding.views.persons import _places

LIST_LIMIT = 200
STATUSES = [("", "All"), *notice_rules.STATUS_TEXT.items()]


@web_view
@require_http_methods(["GET"])
def notice_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    status = request.GET.get("status", "")
    if status not in notice_rules.STATUS_TEXT:
        status = ""
    found = list(notices.list_notices(actor, status)[:LIST_LIMIT])
    notices.audit_listed(actor, found)
    rows = [(n, notice_rules.STATUS_TEXT[notice_rules.status(n)]) for n in found]
    return render(
        request,
        "safeguarding/notices/list.html",
        {"rows": rows, "status": status, "statuses": STATUSES},
    )


@web_view
@require_http_methods(["GET"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    read = notices.read_notice(actor_of(request), pk)
    return render(
        request, "safeguarding/notices/detail.html", {"read": read, "notice": read.notice}
    )


@web_view
@require_http_methods(["GET", "POST"])
def issue_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a notice to this person about children linked to them that the actor sees."""
    actor = actor_of(request)
    if not notices.may_issue(actor):
        raise AccessDenied("Only a police officer or coordinator can issue a harbouring notice.")
    read = persons.read_person(actor, pk)
    seen = {lk.child for lk in read.links if lk.child is not None}
    children = [(str(c.pk), c.full_name) for c in sorted(seen, key=lambda c: c.full_name)]
    form = IssueForm(request.POST if request.method == "POST" else None, children=children)
    if form.is_bound and form.is_valid():
        try:
            notice = notices.issue_notice(actor, form.data_for_service(read.person.pk))
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors, {"child_ids": "children"})
        else:
            messages.success(request, f"Notice {notice.reference} has been recorded")
            return redirect("safeguarding:notice", pk=notice.pk)
    return render(request, "safeguarding/notices/issue.html", {"form": form, "person": read.person})


def _step(request: HttpRequest, pk: int, form_class: type[forms.Form], step: str) -> HttpResponse:
    actor = actor_of(request)
    read = notices.read_notice(actor, pk)
    if not read.may_manage:
        raise AccessDenied("Only the force that issued the notice can review or withdraw it.")
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        do = notices.review_notice if step == "review" else notices.withdraw_notice
        try:
            do(actor, pk, form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            done = "reviewed" if step == "review" else "withdrawn"
            messages.success(request, f"The notice has been {done}")
            return redirect("safeguarding:notice", pk=pk)
    return render(
        request,
        f"safeguarding/notices/{step}.html",
        {"form": form, "notice": read.notice, "read": read},
    )


@web_view
@require_http_methods(["GET", "POST"])
def review_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, ReviewForm, "review")


@web_view
@require_http_methods(["GET", "POST"])
def withdraw_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, WithdrawForm, "withdraw")


@web_view
@require_http_methods(["GET", "POST"])
def record_breach(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = notices.read_notice(actor, pk)
    if not read.may_record_breach:
        raise AccessDenied("Only the police can record a breach of a harbouring notice.")
    form = BreachForm(
        request.POST if request.method == "POST" else None,
        children=[(str(c.pk), c.full_name) for c in read.children],
        places=_places(actor),
    )
    if form.is_bound and form.is_valid():
        try:
            notice_breaches.record_breach(actor, pk, form.data_for_service())
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors, {"child_id": "child", "place_id": "place"})
        else:
            messages.success(request, "The breach has been recorded and the council told")
            return redirect("safeguarding:notice", pk=pk)
    return render(
        request, "safeguarding/notices/breach.html", {"form": form, "notice": read.notice}
    )


urlpatterns: list[URLPattern] = [
    path("notices/", notice_list, name="notices"),
    path("notices/<int:pk>", notice_detail, name="notice"),
    path("persons/<int:pk>/notices/new", issue_notice, name="issue-notice"),
    path("notices/<int:pk>/review", review_notice, name="review-notice"),
    path("notices/<int:pk>/withdraw", withdraw_notice, name="withdraw-notice"),
    path("notices/<int:pk>/breach", record_breach, name="record-breach"),
]
