"""Pages of case audits: the list, a new audit (draws the sample), the sample, one case
(the evidence beside each question, with a judgement and a note for each), the report
(findings by question, this audit against earlier ones as a chart with its table) and its
CSV. Thin: the services check who may, and audit every read."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from homeward.case_audits import access, chart
from homeward.case_audits.forms import CaseForm, CloseForm, NewAuditForm
from homeward.case_audits.models import Judgement, Stratum, Unit
from homeward.case_audits.services import audits, cases, report
from homeward.case_audits.standard import STANDARD
from homeward.core import clock
from homeward.core import csv as csv_out
from homeward.core.errors import AccessDenied, StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.templatetags.govuk import govuk_error_summary
from homeward.core.views import actor_of, web_view

T = "case_audits"
NAV = "case_audits"


@web_view
@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = list(audits.list_audits(actor)[:200])
    member_of = audits.member_of(actor, found)
    return render(
        request,
        f"{T}/list.html",
        {"audits": found, "member_of": member_of, "nav": NAV},
    )


def _audit_input(form: NewAuditForm) -> audits.AuditInput:
    c = form.cleaned_data
    return audits.AuditInput(
        council_id=c["council"],
        title=c["title"],
        unit=c["unit"],
        period_start=c["period_start"],
        period_end=c["period_end"],
        size=c["size"],
        strata=list(c["strata"]),
        seed=c["seed"],
        ends_on=c["ends_on"],
        member_ids=list(c["members"]),
    )


@web_view
@require_http_methods(["GET", "POST"])
def new_audit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not access.may_audit(actor):
        raise AccessDenied("Your role does not audit cases.")
    councils = audits.councils(actor)
    own = councils[0].pk if len(councils) == 1 else None
    chosen = str(request.POST.get("council", "")) if request.method == "POST" else ""
    council_id = int(chosen) if chosen.isdigit() and len(chosen) < 18 else own
    members = audits.member_choices(actor, council_id)
    if request.method == "POST":
        form = NewAuditForm(request.POST, councils=councils, members=members)
        if form.is_valid():
            try:
                audit = audits.open_audit(actor, _audit_input(form))
            except ValidationFailed as failed:
                add_service_errors(form, failed.errors, {"member_ids": "members"})
            else:
                messages.success(request, f"Sample drawn: {audit.cases.count()} cases")
                return redirect("case_audits:sample", pk=audit.pk)
    else:
        today = clock.now().astimezone(clock.UK).date()
        form = NewAuditForm(
            councils=councils,
            members=members,
            initial={
                "council": own,
                "unit": Unit.EPISODES,
                "size": 10,
                "period_start": today.replace(day=1, month=4, year=today.year - (today.month < 4)),
                "period_end": today,
            },
        )
    return render(
        request,
        f"{T}/new.html",
        {"form": form, "nav": NAV, "error_summary": govuk_error_summary(form)},
    )


@web_view
@require_http_methods(["GET"])
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    audit, found = audits.read_sample(actor, pk)
    live = audits.is_live(audit)
    strata = [Stratum(s).label for s in audit.strata]
    return render(
        request,
        f"{T}/sample.html",
        {
            "audit": audit,
            "cases": found,
            "live": live,
            "strata": strata,
            "judged": sum(1 for c in found if c.judged_at),
            "close_form": CloseForm(initial={"version": audit.version}),
            "nav": NAV,
        },
    )


@web_view
@require_http_methods(["POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete: try again")
        return redirect("case_audits:sample", pk=pk)
    try:
        audits.close_audit(actor, pk, form.cleaned_data["version"])
    except (ValidationFailed, StaleEdit) as failed:
        messages.error(request, str(failed))
        return redirect("case_audits:sample", pk=pk)
    messages.success(request, "Audit closed: its members no longer see its cases")
    return redirect("case_audits:report", pk=pk)


def _answers(form: CaseForm) -> dict[str, cases.Answer]:
    c = form.cleaned_data
    return {
        q.key: cases.Answer(c.get(f"{q.key}-judgement") or "", c.get(f"{q.key}-note") or "")
        for q in STANDARD
    }


def _initial(read: cases.CaseRead) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": read.case.version}
    for q in STANDARD:
        judged = read.judgements.get(q.key)
        initial[f"{q.key}-judgement"] = judged.judgement if judged else ""
        initial[f"{q.key}-note"] = judged.note if judged else ""
    return initial


@web_view
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = cases.read_case(actor, pk, case_pk)
    stale = ""
    form = CaseForm(request.POST if request.method == "POST" else None, initial=_initial(read))
    if request.method == "POST" and form.is_valid():
        try:
            cases.record_judgements(
                actor, pk, case_pk, form.cleaned_data["version"], _answers(form)
            )
        except ValidationFailed as failed:
            add_service_errors(form, failed.errors)
        except StaleEdit as failed:
            stale = str(failed)
            form = CaseForm(initial=_initial(cases.read_case(actor, pk, case_pk)))
        else:
            messages.success(request, f"Case {read.case.position} judged")
            return redirect(_next(read))
    return render(
        request,
        f"{T}/case.html",
        {
            "read": read,
            "form": form,
            "rows": _rows(read, form),
            "nav": NAV,
            "error_summary": govuk_error_summary(form, message=stale),
        },
    )


def _next(read: cases.CaseRead) -> str:
    """The next case not yet judged, or the sample."""
    following = (
        read.audit.cases.filter(judged_at__isnull=True)
        .exclude(pk=read.case.pk)
        .order_by("position")
    )
    nxt = following.filter(position__gt=read.case.position).first() or following.first()
    if nxt is None:
        return f"/case-audits/{read.audit.pk}/"
    return f"/case-audits/{read.audit.pk}/cases/{nxt.pk}"


def _rows(read: cases.CaseRead, form: CaseForm) -> list[dict[str, Any]]:
    return [
        {
            "question": q,
            "judgement": judgement,
            "note": note,
            "suggested": Judgement(read.suggested[q.key]).label,
            "episodes": [(e.episode, e.findings[q.key]) for e in read.evidence],
        }
        for q, judgement, note in form.pairs()
    ]


@web_view
@require_http_methods(["GET"])
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = report.read_report(actor_of(request), pk)
    return render(
        request,
        f"{T}/report.html",
        {
            "report": found,
            "judgements": report.ORDER,
            "labels": dict(Judgement.choices),
            "chart": chart.comparison_svg(found.comparison),
            "nav": NAV,
        },
    )


@web_view
@require_http_methods(["GET"])
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = report.read_report(actor_of(request), pk)
    out = io.StringIO()
    writer = csv_out.writer(out)
    writer.writerow(["question", "met", "partly met", "not met", "not applicable", "share met"])
    for f in found.findings:
        share = f.share(Judgement.MET)
        writer.writerow(
            [
                f"{f.question.number}. {f.question.text}",
                *(f.counts[j] for j in report.ORDER),
                "" if share is None else f"{share:.0%}",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="case-audit-{pk}.csv"'
    return response


app_name = "case_audits"
urlpatterns = [
    path("", audit_list, name="list"),
    path("new", new_audit, name="new"),
    path("<int:pk>/", sample, name="sample"),
    path("<int:pk>/close", close, name="close"),
    path("<int:pk>/cases/<int:case_pk>", case_page, name="case"),
    path("<int:pk>/report", report_page, name="report"),
    path("<int:pk>/report.csv", report_csv, name="report-csv"),
]
