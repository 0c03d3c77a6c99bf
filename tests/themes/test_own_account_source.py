"""The child's own account in the themes: grouped and counted while their consent stands,
never shown on the themes pages (the child chose who reads it), and gone from the themes
the moment they withdraw it."""

from __future__ import annotations

import pytest

from homeward.aftercare.models import Sharing, WithdrawalMethod
from homeward.aftercare.services import own_accounts
from homeward.organisations.models import Role
from homeward.themes.models import ThemeItem
from homeward.themes.services import reads, runs
from homeward.themes.sources import WITHHELD
from tests import factories
from tests.aftercare.own_account_helpers import give_own_account
from tests.themes.conftest import Area

pytestmark = pytest.mark.django_db

OWN_WORDS = "Nobody at the home ever asks me how my day was, I want someone to talk to."


def _own_items(area: Area, key: str) -> list[ThemeItem]:
    return list(
        ThemeItem.objects.filter(
            interview=area.interviews[key], source__in=["own_what_happened", "own_what_would_help"]
        )
    )


@pytest.mark.parametrize("sharing", [Sharing.NAMED, Sharing.ANONYMISED])
def test_the_childs_own_words_are_grouped_but_not_shown(area: Area, sharing: str) -> None:
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    give_own_account(area.interviews["I1"].pk, coordinator, sharing, OWN_WORDS, OWN_WORDS)
    runs.run(area.a)
    items = _own_items(area, "I1")
    assert {i.source for i in items} == {"own_what_happened", "own_what_would_help"}
    assert all(i.theme_id is not None for i in items)
    page = reads.theme_page(coordinator, items[0].theme_id)
    shown = [v.words for v in page.items if v.item.pk == items[0].pk]
    assert shown == [WITHHELD]
    assert all(OWN_WORDS not in v.words for v in page.items)


def test_words_the_child_chose_to_share_with_nobody_are_not_grouped(area: Area) -> None:
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    give_own_account(area.interviews["I1"].pk, coordinator, Sharing.NOT_SHARED)
    runs.run(area.a)
    assert _own_items(area, "I1") == []


def test_withdrawing_consent_takes_the_words_out_of_the_themes_at_once(area: Area) -> None:
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    give_own_account(area.interviews["I1"].pk, coordinator, Sharing.ANONYMISED)
    runs.run(area.a)
    assert len(_own_items(area, "I1")) == 2
    own_accounts.withdraw_consent(
        coordinator, area.interviews["I1"].pk, method=WithdrawalMethod.values[0]
    )
    assert _own_items(area, "I1") == []
    runs.run(area.a)
    assert _own_items(area, "I1") == []
    # The interview's own words stay in the themes: only the child's own account left.
    assert ThemeItem.objects.filter(
        interview=area.interviews["I1"], source="child_account"
    ).exists()
