"""Dashboards, board reports and national figures. Thin: access.py decides the scope,
queries.py and board.py compute, the templates draw. Filters are GET parameters holding
only a year, a quarter and an area code."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.views import actor_of, web_view
from homeward.insights import access, board, national, notices
from homeward.insights import counting as c
from homeward.insights import queries as q
from homeward.insights.models import BoardReport, EpisodeFact
from homeward.insights.pdf import board_report_pdf
from homeward.organisations.models import Organisation, OrganisationKind

YEARS_BACK = 5


def _years() -> list[int]:
    current = c.financial_year(c.local_date(_now()))
    return list(range(current, current - YEARS_BACK, -1))


def _now() -> datetime:
    return clock.now()


def _period(request: HttpRequest) -> q.Period:
    years = _years()
    try:
        year = int(request.GET.get("year", years[0]))
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    quarter_text = request.GET.get("quarter", "")
    quarter = int(quarter_text) if quarter_text in {"1", "2", "3", "4"} else None
    return q.Period(year, quarter)


@web_view
def index(request: HttpRequest) -> HttpResponse:
    return redirect(f"insights:{access.figures_start(actor_of(request))}")


@web_view
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    area = request.GET.get("area", "")
    scope = access.dashboard_scope(actor, area)
    period = _period(request)
    data = q.dashboard(scope, period)
    suppressed = access.is_suppressed(actor)
    national_view = access.may_see_national(actor)
    if suppressed:
        national.suppress_dashboard(data)
    data["notices"] = notices.figures(scope, period, suppressed)
    areas: list[tuple[str, str]] = []
    if national_view:
        areas = [("", "England")] + [
            (f"{'council' if o.kind == OrganisationKind.COUNCIL else 'force'}-{o.code}", o.name)
            for o in Organisation.objects.filter(
                kind__in=[OrganisationKind.COUNCIL, OrganisationKind.POLICE]
            ).order_by("kind", "name")
        ]
    return render(
        request,
        "insights/dashboard.html",
        {
            "nav": "insights",
            "scope": scope,
            "period": period,
            "data": data,
            "suppressed": suppressed,
            "years": [(y, c.year_label(y)) for y in _years()],
            "quarters": [(n, f"Q{n}") for n in (1, 2, 3, 4)],
            "areas": areas,
            "area": area,
            "is_national": national_view,
            "fact_count": EpisodeFact.objects.exists(),
        },
    )


@web_view
def national_csv(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.require_national(actor)
    period = _period(request)
    body = national.to_csv(period)
    audit.record(actor, "download", "national_figures", period.label)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="homeward-national-figures-{period.label.replace(" ", "-")}.csv"'
    )
    return response


def _quarters(count: int = 8) -> list[tuple[int, int]]:
    year, quarter = board.last_complete_quarter()
    out = []
    for _ in range(count):
        out.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out


@web_view
def board_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    council = access.board_council(actor)
    stored = {
        (r.year, r.quarter): r
        for r in BoardReport.objects.filter(council=council).only(
            "pk", "year", "quarter", "generated_at"
        )
    }
    current = c.quarter_of(c.local_date(_now()))
    rows = [
        {"year": y, "quarter": qu, "label": c.quarter_label(y, qu), "stored": stored.get((y, qu))}
        for y, qu in [current, *_quarters()]
    ]
    return render(
        request,
        "insights/board_list.html",
        {"nav": "insights", "council": council, "rows": rows},
    )


def _board_period(year: int, quarter: int) -> tuple[int, int]:
    if quarter not in (1, 2, 3, 4) or year not in _years():
        raise Http404("No such quarter")
    return year, quarter


@web_view
def board_report(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    actor = actor_of(request)
    council = access.board_council(actor)
    year, quarter = _board_period(year, quarter)
    data = board.figures(council, year, quarter)
    return render(
        request,
        "insights/board_report.html",
        {"nav": "insights", "report": data, "year": year, "quarter": quarter},
    )


@web_view
def board_report_download(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    actor = actor_of(request)
    council = access.board_council(actor)
    year, quarter = _board_period(year, quarter)
    pdf = board_report_pdf(board.figures(council, year, quarter))
    return _pdf(pdf, council, c.quarter_label(year, quarter))


@web_view
def stored_report(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    council = access.board_council(actor)
    report = BoardReport.objects.filter(pk=pk, council=council).first()
    if report is None:
        raise Http404("No such report")
    return _pdf(bytes(report.pdf), council, c.quarter_label(report.year, report.quarter))


def _pdf(pdf: bytes, council: Organisation, label: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"board-report-{council.code}-{label.replace(' ', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
