"""What a coordinator or manager reads about their council's themes. The list of themes
carries counts and key words, no child's words. A theme's page shows its items' words,
read from the interviews, only those of children the reader sees (visible_children), and
every child named there is audited (one ``list_result`` per child, committed at once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from homeward.audit import services as audit
from homeward.children.visibility import visible_children
from homeward.core.actor import Actor
from homeward.core.errors import NotFound
from homeward.safeguarding.models import MeetingAction, MeetingDecision
from homeward.themes import coded, sources
from homeward.themes.access import council_for
from homeward.themes.models import Theme, ThemeItem, ThemeLink, ThemeRun


@dataclass
class ThemeRow:
    theme: Theme
    items: int
    confirmed: int
    links: int


def themes(actor: Actor) -> list[ThemeRow]:
    council = council_for(actor)
    rows = (
        Theme.objects.filter(council=council, merged_into=None)
        .annotate(
            n_items=Count("items", distinct=True),
            n_confirmed=Count("items", filter=Q(items__confirmed=True), distinct=True),
            n_links=Count("links", distinct=True),
        )
        .order_by("-n_items", "pk")
    )
    return [ThemeRow(t, t.n_items, t.n_confirmed, t.n_links) for t in rows]


def last_run(actor: Actor) -> ThemeRun | None:
    return ThemeRun.objects.filter(council=council_for(actor)).first()


def unthemed(actor: Actor) -> int:
    return ThemeItem.objects.filter(council=council_for(actor), theme=None).count()


@dataclass
class ItemView:
    item: ThemeItem
    words: str
    source: str
    quotable: bool


@dataclass
class ThemePage:
    theme: Theme
    items: list[ItemView]
    hidden: int  # items of children the reader does not see (not shown)
    links: list[ThemeLink] = field(default_factory=list)


MAX_ITEMS = 200


def theme_page(actor: Actor, theme_id: object) -> ThemePage:
    council = council_for(actor)
    try:
        pk = int(str(theme_id))
    except ValueError:
        raise NotFound("No such theme") from None
    theme = Theme.objects.filter(pk=pk, council=council, merged_into=None).first()
    if theme is None:
        raise NotFound("No such theme")
    items = list(
        ThemeItem.objects.filter(theme=theme)
        .select_related("interview")
        .order_by("confirmed", "confidence", "pk")[: MAX_ITEMS + 1]
    )
    seen = set(
        visible_children(actor)
        .filter(pk__in={i.interview.child_id for i in items})
        .values_list("pk", flat=True)
    )
    shown = [
        ItemView(
            i,
            sources.text_of(i.interview, i.source),
            sources.LABELS.get(i.source, i.source),
            i.interview.quote_consent,
        )
        for i in items[:MAX_ITEMS]
        if i.interview.child_id in seen
    ]
    audit.record_many_reads(
        actor, "child", sorted({v.item.interview.child_id for v in shown}), action="list_result"
    )
    links = list(theme.links.select_related("decision__meeting", "action__meeting"))
    return ThemePage(theme, shown, len(items[:MAX_ITEMS]) - len(shown), links)


def theme_choices(actor: Actor, but: int | None = None) -> list[tuple[str, str]]:
    council = council_for(actor)
    return [
        (str(t.pk), t.label)
        for t in Theme.objects.filter(council=council, merged_into=None).order_by("name", "pk")
        if t.pk != but
    ]


def link_theme_choices(actor: Actor) -> list[tuple[str, str]]:
    return [(f"theme-{k}", v) for k, v in theme_choices(actor)] + coded.choices()


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def target_choices(actor: Actor) -> dict[str, list[tuple[str, str]]]:
    """The council's meeting decisions and actions a theme may be linked to (newest
    first; about no child only in the text the meeting wrote)."""
    council = council_for(actor, keep=True)
    decisions = MeetingDecision.objects.filter(meeting__council=council).select_related("meeting")
    actions = MeetingAction.objects.filter(meeting__council=council).select_related("meeting")

    def when(meeting: Any) -> str:
        return f"{meeting.get_kind_display()}, {meeting.scheduled_for:%d %b %Y}"

    return {
        "decision": [
            (str(d.pk), f"{when(d.meeting)}: {_short(d.text)}")
            for d in decisions.order_by("-recorded_at", "-pk")[:100]
        ],
        "action": [
            (str(a.pk), f"{when(a.meeting)}: {_short(a.text)}")
            for a in actions.order_by("-recorded_at", "-pk")[:100]
        ],
    }


def links(actor: Actor) -> list[ThemeLink]:
    council = council_for(actor)
    return list(
        ThemeLink.objects.filter(council=council).select_related(
            "theme", "decision__meeting", "action__meeting"
        )
    )


def link_theme_label(link: ThemeLink) -> str:
    if link.theme is not None:
        return link.theme.label
    return coded.label(link.coded_kind, link.coded_code)
