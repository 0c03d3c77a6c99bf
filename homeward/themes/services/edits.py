"""What a coordinator does to the themes of their council: name one, put an item in the
right theme (an existing one, or a new one: a split), and merge two. Each is one
transaction, audited and evented, by the council's missing coordinator only; each
labels items, and the next run learns from the labels (runs.py)."""

from __future__ import annotations

from django.db import transaction

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import NotFound, ValidationFailed
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation
from homeward.themes.access import council_for
from homeward.themes.events import ThemeItemCorrected, ThemeNamed, ThemesMerged
from homeward.themes.models import Theme, ThemeItem

MAX_NAME = 80


def clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed({field: ["Enter a name for the theme"]})
    if len(name) > MAX_NAME:
        raise ValidationFailed({field: [f"A theme's name must be {MAX_NAME} characters or fewer"]})
    return name


def _id(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise NotFound("No such theme") from None


def theme_for_change(council: Organisation, theme_id: object) -> Theme:
    theme = (
        Theme.objects.select_for_update(of=("self",))
        .filter(pk=_id(theme_id), council=council, merged_into=None)
        .first()
    )
    if theme is None:
        raise NotFound("No such theme")
    return theme


def _taken(council: Organisation, name: str, but: int | None = None) -> bool:
    others = Theme.objects.filter(council=council, merged_into=None, name__iexact=name)
    return others.exclude(pk=but).exists() if but else others.exists()


def name_theme(actor: Actor, theme_id: object, name: str) -> Theme:
    council = council_for(actor, keep=True)
    name = clean_name(name)
    with transaction.atomic(), bus.unit_of_work():
        theme = theme_for_change(council, theme_id)
        if _taken(council, name, but=theme.pk):
            raise ValidationFailed({"name": ["Another theme has this name: merge them instead"]})
        now = clock.now()
        theme.name, theme.named_at, theme.named_by, theme.updated_at = name, now, actor.user, now
        theme.save()
        record_change(
            actor, ThemeNamed(aggregate_id=theme.pk, council=council.pk), action="name_theme"
        )
    return theme


def correct_item(
    actor: Actor, item_id: object, theme_id: object = "", new_name: str = ""
) -> ThemeItem:
    """Put an item in a theme: a new theme called ``new_name`` (split off), when given, or
    else ``theme_id`` (an existing theme of the council). The item keeps this label."""
    council = council_for(actor, keep=True)
    if not str(theme_id or "").strip() and not new_name.strip():
        raise ValidationFailed({"theme": ["Choose a theme, or give the name of a new one"]})
    with transaction.atomic(), bus.unit_of_work():
        item = (
            ThemeItem.objects.select_for_update(of=("self",))
            .filter(pk=_id(item_id), council=council)
            .first()
        )
        if item is None:
            raise NotFound("No such item")
        now = clock.now()
        before = item.theme_id
        if new_name.strip():
            name = clean_name(new_name, "new_name")
            if _taken(council, name):
                raise ValidationFailed({"new_name": ["A theme has this name: choose it instead"]})
            theme = Theme.objects.create(
                council=council, name=name, named_at=now, named_by=actor.user,
                created_at=now, updated_at=now,
            )  # fmt: skip
        else:
            theme = theme_for_change(council, theme_id)
        item.theme, item.confirmed, item.confidence = theme, True, None
        item.confirmed_at, item.confirmed_by, item.assigned_at = now, actor.user, now
        item.save()
        record_change(
            actor,
            ThemeItemCorrected(
                aggregate_id=theme.pk,
                council=council.pk,
                item=item.pk,
                from_theme=before,
                new_theme=bool(new_name.strip()),
            ),
            action="correct_theme_item",
        )
    return item


def merge_themes(actor: Actor, theme_id: object, into_id: object) -> Theme:
    """Merge one theme into another: its items (labelled ones stay labelled) and its
    links move; the merged theme is kept, pointing at the one it went into."""
    council = council_for(actor, keep=True)
    if str(theme_id) == str(into_id):
        raise ValidationFailed({"into": ["Choose another theme to merge this one into"]})
    if not str(into_id or "").strip():
        raise ValidationFailed({"into": ["Choose the theme to merge this one into"]})
    with transaction.atomic(), bus.unit_of_work():
        theme = theme_for_change(council, theme_id)
        into = theme_for_change(council, into_id)
        moved = ThemeItem.objects.filter(theme=theme).update(theme=into)
        theme.links.update(theme=into)
        theme.merged_into, theme.updated_at = into, clock.now()
        theme.save()
        if not into.name and theme.name:
            into.name, into.named_at, into.named_by = theme.name, clock.now(), actor.user
            theme.name = ""
            theme.save()
            into.save()
        record_change(
            actor,
            ThemesMerged(aggregate_id=theme.pk, council=council.pk, into=into.pk, items=moved),
            action="merge_themes",
        )
    return into
