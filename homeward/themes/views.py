"""The coordinator's themes pages and the themes-over-time figures. Thin: the services
decide who may, check and save; the templates draw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from homeward.core import clock
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.insights import access as figures_access
from homeward.insights import counting as c
from homeward.insights import trends
from homeward.insights.cube import Period
from homeward.themes import access, tasks
from homeward.themes.forms import CorrectForm, LinkForm, MergeForm, NameForm
from homeward.themes.services import edits, links, reads
from homeward.themes.services.links import LinkInput

YEARS_BACK = 5


def _period(request: HttpRequest) -> Period:
    today = c.local_date(clock.now())
    year, quarter = c.quarter_of(today)
    try:
        chosen = Period(
            int(request.GET.get("year", year)), int(request.GET.get("quarter", quarter))
        )
    except ValueError:
        return Period(year, quarter)
    if chosen.quarter not in {1, 2, 3, 4} or not year - YEARS_BACK < chosen.year <= year:
        return Period(year, quarter)
    return chosen


@web_view
def over_time(request: HttpRequest) -> HttpResponse:
    """Themes over time: the actor's dashboard area (the nation, suppressed, for a
    national analyst), this quarter against the four before, and one breakdown."""
    actor = actor_of(request)
    scope = figures_access.dashboard_scope(actor, request.GET.get("area", ""))
    suppress = figures_access.is_suppressed(actor)
    period = _period(request)
    dimension = request.GET.get("by", "age_band")
    if dimension not in trends.BREAKDOWNS:
        dimension = "age_band"
    families = trends.families_for(scope)
    today_year, _q = c.quarter_of(c.local_date(clock.now()))
    context: dict[str, Any] = {
        "scope": scope,
        "period": period,
        "suppressed": suppress,
        "dimension": dimension,
        "dimensions": [(k, v[0]) for k, v in trends.BREAKDOWNS.items()],
        "years": [(y, c.year_label(y)) for y in range(today_year, today_year - YEARS_BACK, -1)],
        "trends": [trends.trend(scope, period, f, suppress) for f in families],
        "breakdowns": [trends.breakdown(scope, period, f, dimension, suppress) for f in families],
    }
    return render(request, "themes/over_time.html", context)


@web_view
def index(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = reads.themes(actor)
    return render(
        request,
        "themes/index.html",
        {
            "rows": rows,
            "last_run": reads.last_run(actor),
            "unthemed": reads.unthemed(actor),
            "links": [(link, reads.link_theme_label(link)) for link in reads.links(actor)],
            "may_keep": access.may_keep_themes(actor),
        },
    )


@web_view
@require_http_methods(["POST"])
def run(request: HttpRequest) -> HttpResponse:
    council = access.council_for(actor_of(request), keep=True)
    queued = tasks.request(council)
    messages.success(
        request,
        "The words will be grouped again in a minute or two: come back to see the themes."
        if queued
        else "The words are already waiting to be grouped again.",
    )
    return redirect("themes:index")


def _theme_context(request: HttpRequest, pk: int, **forms_: Any) -> dict[str, Any]:
    actor = actor_of(request)
    page = reads.theme_page(actor, pk)
    may_keep = access.may_keep_themes(actor)
    choices = reads.theme_choices(actor)
    correct = forms_.pop("correct", None)
    items = []
    for view in page.items:
        bound = correct if correct is not None and correct.item == view.item.pk else None
        form = bound or CorrectForm(
            item=view.item.pk, choices=choices, initial={"theme": str(page.theme.pk)}
        )
        items.append((view, form))
    return {
        "page": page,
        "theme": page.theme,
        "items": items,
        "may_keep": may_keep,
        "name_form": forms_.get("name_form") or NameForm(initial={"name": page.theme.name}),
        "merge_form": forms_.get("merge_form")
        or MergeForm(choices=reads.theme_choices(actor, but=page.theme.pk)),
        "correct_form": correct,
        "links": [(link, reads.link_theme_label(link)) for link in page.links],
    }


@web_view
def theme(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "themes/theme.html", _theme_context(request, pk))


def _failed(
    request: HttpRequest, pk: int, key: str, form: Any, failed: ValidationFailed
) -> HttpResponse:
    add_service_errors(form, failed.errors)
    return render(request, "themes/theme.html", _theme_context(request, pk, **{key: form}))


@web_view
@require_http_methods(["POST"])
def name(request: HttpRequest, pk: int) -> HttpResponse:
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            edits.name_theme(actor_of(request), pk, form.cleaned_data["name"])
        except ValidationFailed as failed:
            return _failed(request, pk, "name_form", form, failed)
        messages.success(request, "Theme named")
        return redirect("themes:theme", pk=pk)
    return render(request, "themes/theme.html", _theme_context(request, pk, name_form=form))


@web_view
@require_http_methods(["POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = MergeForm(request.POST, choices=reads.theme_choices(actor, but=pk))
    if form.is_valid():
        try:
            into = edits.merge_themes(actor, pk, form.cleaned_data["into"])
        except ValidationFailed as failed:
            return _failed(request, pk, "merge_form", form, failed)
        messages.success(request, "Themes merged")
        return redirect("themes:theme", pk=into.pk)
    return render(request, "themes/theme.html", _theme_context(request, pk, merge_form=form))


@web_view
@require_http_methods(["POST"])
def correct(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    actor = actor_of(request)
    form = CorrectForm(request.POST, item=item, choices=reads.theme_choices(actor))
    if form.is_valid():
        try:
            done = edits.correct_item(
                actor, item, form.cleaned_data["theme"], form.cleaned_data["new_name"]
            )
        except ValidationFailed as failed:
            return _failed(request, pk, "correct", form, failed)
        messages.success(request, "Item moved: the next grouping learns from it")
        return redirect("themes:theme", pk=done.theme_id or pk)
    return render(request, "themes/theme.html", _theme_context(request, pk, correct=form))


@web_view
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    access.council_for(actor, keep=True)
    initial = {"theme": request.GET.get("theme", "")}
    form = LinkForm(
        request.POST or None,
        initial=initial,
        themes=reads.link_theme_choices(actor),
        targets=reads.target_choices(actor),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = data["decision"] if data["kind"] == "decision" else data["action"]
        try:
            links.link(
                actor,
                LinkInput(
                    theme=data["theme"],
                    kind=data["kind"],
                    target=int(target) if target else None,
                    summary=data["summary"],
                    answered_on=data["answered_on"],
                ),
            )
        except ValidationFailed as failed:
            add_service_errors(form, failed.errors, {"target": data["kind"] or "decision"})
        else:
            messages.success(request, "Linked: the board report shows it")
            return redirect("themes:index")

    return render(request, "themes/link.html", {"form": form})
