"""The theme grouping measured on generated accounts with known themes (homeward.seed.
voices writes each piece of text about one theme, as the demo does): how well the first
run finds the themes (adjusted Rand index and purity against the known labels), and how
much better the next run places the items nobody touched once a coordinator has named
the themes, merged the ones that were one, and corrected some items. The seed and every
figure are printed; the floors asserted are ones the method clears with room to spare."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sklearn.metrics import adjusted_rand_score

from homeward.core.clock import UK
from homeward.organisations.models import Organisation, Role
from homeward.seed import voices
from homeward.themes import learning
from homeward.themes.models import Theme, ThemeItem
from homeward.themes.services import edits, runs
from tests import factories
from tests.themes.factories import said

SEED = 1616
INTERVIEWS = 110
CORRECTIONS = 10

pytestmark = pytest.mark.django_db
Truth = dict[tuple[int, str], str]


def _texts(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for _ in range(n):
        words, theme = voices.account(rng)
        out.append((words, f"said:{theme}"))
        words, theme = voices.would_help(rng)
        out.append((words, f"help:{theme}"))
    return out


def test_discovery_alone_finds_the_known_themes() -> None:
    """The method itself, on 600 texts: no database."""
    rng = random.Random(SEED)
    print(f"seed {SEED}")
    data = _texts(rng, 300)
    found = learning.discover([t for t, _ in data])
    truth = [k for _, k in data]
    ari = adjusted_rand_score(truth, found.labels)
    purity = learning.purity(found.labels, truth)
    print(f"discovery: {len(found.terms)} themes, ARI {ari:.3f}, purity {purity:.3f}")
    assert ari >= 0.45
    assert purity >= 0.75


def test_learning_from_labels_places_new_texts() -> None:
    rng = random.Random(SEED + 1)
    train, test = _texts(rng, 20), _texts(rng, 100)
    names = sorted({k for _, k in train + test})
    labelled = [(t, names.index(k), 1.0) for t, k in train]
    learned = learning.learn(labelled, [t for t, _ in test])
    assert learned is not None
    right = sum(
        1 for label, (_t, k) in zip(learned.labels, test, strict=True) if label == names.index(k)
    )
    print(f"seed {SEED + 1}: learned from {len(train)} labelled, {right / len(test):.3f} right")
    assert right / len(test) >= 0.75


def _truth(council: Organisation, rng: random.Random) -> dict[tuple[int, str], str]:
    start = datetime(2025, 4, 7, 16, tzinfo=UK)
    truth: dict[tuple[int, str], str] = {}
    for n in range(INTERVIEWS):
        account, a = voices.account(rng)
        helps, h = voices.would_help(rng)
        interview = said(council, start + timedelta(days=2 * n), account=account, would_help=helps)
        truth[(interview.pk, "child_account")] = f"said:{a}"
        truth[(interview.pk, "what_would_help")] = f"help:{h}"
    return truth


def _name_and_merge(coordinator: object, council: Organisation, truth: Truth) -> dict[str, int]:
    """The coordinator names each theme for what most of its items are about, and merges a
    theme into one already named for the same thing."""
    named: dict[str, int] = {}
    for theme in Theme.objects.filter(council=council, merged_into=None).order_by("pk"):
        members = [truth[(i.interview_id, i.source)] for i in theme.items.all()]
        if not members:
            continue
        majority = Counter(members).most_common(1)[0][0]
        if majority in named:
            edits.merge_themes(coordinator, theme.pk, named[majority])  # type: ignore[arg-type]
        else:
            named[majority] = edits.name_theme(coordinator, theme.pk, majority).pk  # type: ignore[arg-type]
    return named


def _accuracy(council: Organisation, truth: Truth, but: set[int]) -> float:
    items = [
        i
        for i in ThemeItem.objects.filter(council=council).select_related("theme")
        if i.pk not in but
    ]
    right = sum(1 for i in items if i.theme and i.theme.name == truth[(i.interview_id, i.source)])
    return right / len(items)


def test_the_service_learns_from_a_coordinators_corrections() -> None:
    rng = random.Random(SEED)
    print(f"seed {SEED}")
    council = factories.CouncilFactory()
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    truth = _truth(council, rng)

    first = runs.run(council)
    items = list(ThemeItem.objects.filter(council=council))
    found = [i.theme_id for i in items]
    real = [truth[(i.interview_id, i.source)] for i in items]
    ari, purity = adjusted_rand_score(real, found), learning.purity(found, real)
    print(
        f"first run: {first.items} items, {first.themes} themes, ARI {ari:.3f}, purity {purity:.3f}"
    )
    assert first.items == 2 * INTERVIEWS
    assert ari >= 0.45
    assert purity >= 0.75

    named = _name_and_merge(coordinator, council, truth)
    wrong = [
        i
        for i in ThemeItem.objects.filter(council=council).select_related("theme")
        if not i.theme or i.theme.name != truth[(i.interview_id, i.source)]
    ]
    chosen = random.Random(SEED).sample(wrong, min(CORRECTIONS, len(wrong)))
    before_all = _accuracy(council, truth, set())
    before = _accuracy(council, truth, {i.pk for i in chosen})
    for item in chosen:
        label = truth[(item.interview_id, item.source)]
        if label in named:
            edits.correct_item(coordinator, item.pk, named[label])
        else:
            named[label] = edits.correct_item(coordinator, item.pk, new_name=label).theme_id  # type: ignore[assignment]

    second = runs.run(council)
    after = _accuracy(council, truth, {i.pk for i in chosen})
    after_all = _accuracy(council, truth, set())
    print(
        f"named {len(named)} themes, corrected {len(chosen)} of {len(wrong)} misplaced items; "
        f"accuracy of every item {before_all:.3f} before, {after_all:.3f} after the run that "
        f"learned from them; of the items nobody touched {before:.3f} before, {after:.3f} after "
        f"({second.learned_from} labelled)"
    )
    assert second.learned_from == len(chosen)
    assert after_all > before_all
    assert after >= before
    assert after_all >= 0.9
    # Corrected items keep their human label.
    for item in ThemeItem.objects.filter(pk__in=[i.pk for i in chosen]).select_related("theme"):
        assert item.confirmed
        assert item.theme is not None
        assert item.theme.name == truth[(item.interview_id, item.source)]
