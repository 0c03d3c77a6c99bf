"""/api/v1/themes: the council's free-text themes (list; one theme with its words, an
audited read), naming, merging, moving an item, asking for a run; /api/v1/theme-links:
"You said, we did"; /api/v1/theme-trends: themes over time for the caller's figures
(the nation's suppressed, standard codes only outside a council).

Thin: the same services as the pages (``homeward.themes.services``)."""

from datetime import date
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from homeward.core.api import actor_of, respond
from homeward.core.idempotency import idempotent
from homeward.core.schemas import Day, Id, InputSchema
from homeward.insights import access as figures_access
from homeward.insights import trends
from homeward.insights.cube import Period
from homeward.themes import access, tasks
from homeward.themes.models import ThemeLink
from homeward.themes.services import edits, links, reads
from homeward.themes.services.edits import MAX_NAME
from homeward.themes.services.links import MAX_SUMMARY

router = Router()
THEMES = ["themes"]


class ThemeSummaryOut(Schema):
    id: int
    name: str = Field(description="The coordinator's name; blank until named")
    label: str
    terms: list[str] = Field(description="Its most telling words")
    items: int
    placed_by_coordinator: int
    links: int


class ThemeListOut(Schema):
    items: list[ThemeSummaryOut]
    not_in_a_theme: int


class ThemeItemOut(Schema):
    id: int
    interview_id: int
    source: str
    words: str
    confirmed: bool = Field(description="Placed by a coordinator: runs keep it there")
    quotable: bool = Field(description="The child agreed to their words being quoted")


class ThemeLinkOut(Schema):
    id: int
    theme: str
    kind: str = Field(description="decision, action or plan")
    target_id: int
    plan_action: int | None
    summary: str
    answered_on: date


class ThemeOut(ThemeSummaryOut):
    words: list[ThemeItemOut]
    not_shown: int = Field(description="Items of children you have no relationship with")
    answered_by: list[ThemeLinkOut]


def _summary(row: reads.ThemeRow) -> ThemeSummaryOut:
    t = row.theme
    return ThemeSummaryOut(
        id=t.pk,
        name=t.name,
        label=t.label,
        terms=t.terms,
        items=row.items,
        placed_by_coordinator=row.confirmed,
        links=row.links,
    )


def _link_out(link: ThemeLink) -> ThemeLinkOut:
    target = link.decision_id or link.action_id or link.plan_version_id or 0
    return ThemeLinkOut(
        id=link.pk,
        theme=reads.link_theme_label(link),
        kind=link.kind,
        target_id=target,
        plan_action=link.plan_action,
        summary=link.summary,
        answered_on=link.answered_on,
    )


@router.get("/themes", response={200: ThemeListOut}, tags=THEMES, summary="The council's themes")
def list_themes(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = reads.themes(actor)
    return respond(
        ThemeListOut(items=[_summary(r) for r in rows], not_in_a_theme=reads.unthemed(actor))
    )


def _theme(request: HttpRequest, theme_id: int, status: int = 200) -> HttpResponse:
    actor = actor_of(request)
    page = reads.theme_page(actor, theme_id)
    row = next((r for r in reads.themes(actor) if r.theme.pk == page.theme.pk), None)
    base = _summary(row) if row else _summary(reads.ThemeRow(page.theme, 0, 0, 0))
    body = ThemeOut(
        **base.model_dump(),
        words=[
            ThemeItemOut(
                id=v.item.pk,
                interview_id=v.item.interview_id,
                source=v.item.source,
                words=v.words,
                confirmed=v.item.confirmed,
                quotable=v.quotable,
            )
            for v in page.items
        ],
        not_shown=page.hidden,
        answered_by=[_link_out(link) for link in page.links],
    )
    return respond(body, status)


@router.get(
    "/themes/{theme_id}",
    response={200: ThemeOut},
    tags=THEMES,
    summary="One theme, with the children's words in it",
    description="Only words of children you have a relationship with; each child named is "
    "recorded in their audit trail.",
)
def read_theme(request: HttpRequest, theme_id: Id) -> HttpResponse:
    return _theme(request, theme_id)


class ThemeNameIn(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


@router.post(
    "/themes/{theme_id}/name", response={200: ThemeOut}, tags=THEMES, summary="Name a theme"
)
@idempotent(atomic=False)  # the answer is an audited read of the theme
def name_theme(request: HttpRequest, theme_id: Id, payload: ThemeNameIn) -> HttpResponse:
    edits.name_theme(actor_of(request), theme_id, payload.name)
    return _theme(request, theme_id)


class ThemeMergeIn(InputSchema):
    into_theme_id: Id


@router.post(
    "/themes/{theme_id}/merge",
    response={200: ThemeOut},
    tags=THEMES,
    summary="Merge a theme into another",
    description="Its items and links move; the answer is the theme merged into.",
)
@idempotent(atomic=False)
def merge_themes(request: HttpRequest, theme_id: Id, payload: ThemeMergeIn) -> HttpResponse:
    into = edits.merge_themes(actor_of(request), theme_id, payload.into_theme_id)
    return _theme(request, into.pk)


class ThemeItemMoveIn(InputSchema):
    theme_id: Id | None = Field(None, description="An existing theme of the council")
    new_name: Annotated[str, Field(max_length=MAX_NAME)] = Field(
        "", description="Or a new theme, split off, with this name"
    )


@router.post(
    "/theme-items/{theme_item_id}/theme",
    response={200: ThemeOut},
    tags=THEMES,
    summary="Put an item in the right theme",
    description="The item keeps this label, and the next run learns from it.",
)
@idempotent(atomic=False)
def move_item(request: HttpRequest, theme_item_id: Id, payload: ThemeItemMoveIn) -> HttpResponse:
    item = edits.correct_item(
        actor_of(request), theme_item_id, payload.theme_id or "", payload.new_name
    )
    return _theme(request, item.theme_id or 0)


class ThemeRunOut(Schema):
    queued: bool = Field(description="false: a run was already waiting")


@router.post(
    "/theme-runs",
    response={202: ThemeRunOut},
    tags=THEMES,
    summary="Group the council's words again (in the worker)",
)
@idempotent(atomic=False)  # a second run waiting is not queued
def run_themes(request: HttpRequest) -> HttpResponse:
    council = access.council_for(actor_of(request), keep=True)
    return respond(ThemeRunOut(queued=tasks.request(council)), 202)


class ThemeLinkIn(InputSchema):
    theme: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description='"theme-12" (a theme of the council) or a standard code, e.g. '
        '"push:conflict_home"'
    )
    kind: Annotated[str, Field(max_length=10)] = Field(description="decision, action or plan")
    target_id: Id = Field(description="The decision's, action's or plan version's id")
    plan_action: Annotated[int, Field(ge=0, le=200)] | None = Field(
        None, description="For a plan: which of the version's actions (from 0)"
    )
    summary: Annotated[str, Field(min_length=1, max_length=MAX_SUMMARY)] = Field(
        description="What was done, in a sentence for the board: no names"
    )
    answered_on: Day | None = None


@router.post(
    "/theme-links",
    response={201: ThemeLinkOut},
    tags=THEMES,
    summary='"You said, we did": link a theme to what answered it',
)
@idempotent()
def link_theme(request: HttpRequest, payload: ThemeLinkIn) -> HttpResponse:
    made = links.link(
        actor_of(request),
        links.LinkInput(
            theme=payload.theme,
            kind=payload.kind,
            target=payload.target_id,
            summary=payload.summary,
            answered_on=payload.answered_on,
            plan_action=payload.plan_action,
        ),
    )
    return respond(_link_out(made), 201)


class ThemeLinkListOut(Schema):
    items: list[ThemeLinkOut]


@router.get(
    "/theme-links", response={200: ThemeLinkListOut}, tags=THEMES, summary="You said, we did"
)
def list_links(request: HttpRequest) -> HttpResponse:
    links_made = reads.links(actor_of(request))
    return respond(ThemeLinkListOut(items=[_link_out(link) for link in links_made]))


class ThemeTrendQuery(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)]
    quarter: Annotated[int, Field(ge=1, le=4)]
    family: Annotated[str, Field(max_length=4)] = Field(
        "push", description="push, pull, risk (standard codes); said, help (a council's own)"
    )
    area: Annotated[str, Field(max_length=30)] = Field(
        "", description="For a national analyst: one area, e.g. council-714"
    )


class ThemeTrendRowOut(Schema):
    key: str
    label: str
    counts: list[int | str] = Field(description='Oldest quarter first; "c": suppressed')
    direction: str = Field(description='up, down, same, or "" where a count is hidden')


class ThemeTrendOut(Schema):
    area: str
    family: str
    title: str
    quarters: list[str]
    suppressed: bool
    rows: list[ThemeTrendRowOut]
    totals: list[int | str]


@router.get(
    "/theme-trends",
    response={200: ThemeTrendOut},
    tags=THEMES,
    summary="Themes over time: a quarter against the four before",
)
def theme_trends(request: HttpRequest, query: Query[ThemeTrendQuery]) -> HttpResponse:
    actor = actor_of(request)
    scope = figures_access.dashboard_scope(actor, query.area)
    family = query.family if query.family in trends.families_for(scope) else "push"
    table = trends.trend(
        scope, Period(query.year, query.quarter), family, figures_access.is_suppressed(actor)
    )
    return respond(
        ThemeTrendOut(
            area=scope.label,
            family=family,
            title=table.title,
            quarters=table.quarters,
            suppressed=table.suppressed,
            rows=[
                ThemeTrendRowOut(key=r.key, label=r.label, counts=r.shown, direction=r.direction)
                for r in table.rows
            ],
            totals=table.totals,
        )
    )
