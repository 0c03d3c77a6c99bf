"""A run of the theme grouping for one council: the council's free text (every source in
sources.py) is brought into items, the items a coordinator labelled keep their theme and
teach the rest (learning.learn), and what is left is grouped afresh (learning.discover).

What a run keeps: a theme with a name, with an item a coordinator put in it, or linked to
what answered it. Themes that are none of those are made again each run. An item whose
words changed since it was labelled loses its label (the label was about other words).
A run is one transaction, audited and evented; running it again on the same words
changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from homeward.aftercare.models import ReturnInterview
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.themes import learning, sources
from homeward.themes.events import ThemesRun
from homeward.themes.models import Theme, ThemeItem, ThemeLink, ThemeRun

Progress = Callable[[str], None]
OTHER = -1  # the class of "in a theme nobody has kept yet"


def _first_episodes(interview_ids: list[int]) -> dict[int, int]:
    """interview id -> the first episode it covers (by last seen)."""
    through = ReturnInterview.episodes.through
    rows = (
        through.objects.filter(returninterview_id__in=interview_ids)
        .order_by("returninterview_id", "episode__last_seen_at", "episode_id")
        .values_list("returninterview_id", "episode_id")
    )
    out: dict[int, int] = {}
    for interview_id, episode_id in rows:
        out.setdefault(interview_id, episode_id)
    return out


def _sync(
    council: Organisation, texts: list[sources.Text]
) -> tuple[list[ThemeItem], dict[int, str]]:
    """The council's items, one per text (new ones made, gone ones removed, changed
    words unlabelled); returns them with their words by item."""
    now = clock.now()
    existing = {(i.interview_id, i.source): i for i in ThemeItem.objects.filter(council=council)}
    firsts = _first_episodes(sorted({t.interview_id for t in texts}))
    items: list[ThemeItem] = []
    words: dict[int, str] = {}
    seen: set[tuple[int, str]] = set()
    for text in texts:
        key = (text.interview_id, text.source)
        seen.add(key)
        item = existing.get(key)
        if item is None:
            item = ThemeItem.objects.create(
                council=council,
                interview_id=text.interview_id,
                source=text.source,
                episode_id=firsts.get(text.interview_id),
                text_hash=text.digest,
                assigned_at=now,
            )
        elif item.text_hash != text.digest:
            item.text_hash, item.confirmed, item.theme_id = text.digest, False, None
        item.episode_id = firsts.get(text.interview_id)
        items.append(item)
        words[item.pk] = text.text
    gone = [i.pk for k, i in existing.items() if k not in seen]
    ThemeItem.objects.filter(pk__in=gone).delete()
    return items, words


def _kept(council: Organisation, items: list[ThemeItem]) -> set[int]:
    named = set(
        Theme.objects.filter(council=council, merged_into=None)
        .exclude(name="")
        .values_list("pk", flat=True)
    )
    linked = set(ThemeLink.objects.filter(council=council).values_list("theme_id", flat=True))
    return named | linked | {i.theme_id for i in items if i.confirmed and i.theme_id}


@dataclass
class _Plan:
    placed: dict[int, tuple[int | None, float | None]]  # item -> (theme, confidence)
    pool: list[ThemeItem]


def _learn(items: list[ThemeItem], words: dict[int, str], kept: set[int]) -> _Plan:
    """Place the unlabelled items in kept themes where the labelled ones say so."""
    labelled = [
        (
            words[i.pk],
            i.theme_id if i.theme_id in kept else OTHER,
            learning.CONFIRMED_WEIGHT if i.confirmed else 1.0,
        )
        for i in items
        if i.confirmed or i.theme_id is not None
    ]
    free = [i for i in items if not i.confirmed]
    learned = learning.learn(labelled, [words[i.pk] for i in free]) if kept else None
    placed: dict[int, tuple[int | None, float | None]] = {}
    pool: list[ThemeItem] = []
    for n, item in enumerate(free):
        theme = learned.labels[n] if learned else None
        if theme is not None and theme != OTHER:
            placed[item.pk] = (theme, round(learned.probability[n], 3) if learned else None)
        elif learned is None and item.theme_id in kept:
            placed[item.pk] = (item.theme_id, item.confidence)
        else:
            pool.append(item)
    return _Plan(placed, pool)


def _discover(
    council: Organisation, pool: list[ThemeItem], words: dict[int, str], kept: set[int]
) -> tuple[dict[int, tuple[int | None, float | None]], int]:
    """Make the unkept themes afresh from the items no kept theme took."""
    ThemeItem.objects.filter(council=council, theme__isnull=False).exclude(
        theme_id__in=kept
    ).update(theme=None)
    Theme.objects.filter(council=council, merged_into=None).exclude(pk__in=kept).delete()
    placed: dict[int, tuple[int | None, float | None]] = {}
    if len(pool) < learning.MIN_DISCOVER:
        return {i.pk: (None, None) for i in pool}, 0
    found = learning.discover([words[i.pk] for i in pool])
    now = clock.now()
    made: dict[int, int] = {}
    for item, label, strength in zip(pool, found.labels, found.strength, strict=True):
        if label not in made:
            made[label] = Theme.objects.create(
                council=council, terms=found.terms[label], created_at=now, updated_at=now
            ).pk
        placed[item.pk] = (made[label], round(strength, 3))
    return placed, len(made)


def _describe(council: Organisation, items: list[ThemeItem], words: dict[int, str]) -> int:
    themed = [i for i in items if i.theme_id]
    terms = learning.describe([words[i.pk] for i in themed], [i.theme_id or 0 for i in themed])
    themes = list(Theme.objects.filter(council=council, merged_into=None))
    for theme in themes:
        theme.terms = terms.get(theme.pk, [])
    Theme.objects.bulk_update(themes, ["terms"])
    return len(themes)


def run(
    council: Organisation, actor: Actor | None = None, progress: Progress | None = None
) -> ThemeRun:
    """Group the council's free text into themes again."""
    say = progress or (lambda _m: None)
    with transaction.atomic(), bus.unit_of_work():
        record = ThemeRun.objects.create(
            council=council, started_at=clock.now(), method=learning.METHOD
        )
        texts = sources.texts(council)
        say(f"{council.name}: {len(texts)} pieces of free text")
        items, words = _sync(council, texts)
        kept = _kept(council, items)
        plan = _learn(items, words, kept)
        say(f"{council.name}: {len(plan.placed)} placed from what coordinators taught")
        found, made = _discover(council, plan.pool, words, kept)
        now = clock.now()
        for item in items:
            if not item.confirmed:
                theme, confidence = {**plan.placed, **found}.get(item.pk, (None, None))
                if theme != item.theme_id:
                    item.assigned_at = now
                item.theme_id, item.confidence = theme, confidence
        ThemeItem.objects.bulk_update(
            items, ["theme", "confidence", "episode_id", "text_hash", "confirmed", "assigned_at"]
        )
        record.items = len(items)
        record.learned_from = sum(1 for i in items if i.confirmed)
        record.new_themes = made
        record.themes = _describe(council, items, words)
        record.finished_at = clock.now()
        record.save()
        say(f"{council.name}: {record.themes} themes ({made} found afresh)")
        record_change(
            actor or Actor.system(),
            ThemesRun(
                aggregate_id=record.pk,
                council=council.pk,
                items=record.items,
                themes=record.themes,
                learned_from=record.learned_from,
            ),
            action="run_themes",
        )
    return record


def run_all(actor: Actor | None = None, progress: Progress | None = None) -> list[ThemeRun]:
    councils = Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("pk")
    return [run(council, actor, progress) for council in councils]
