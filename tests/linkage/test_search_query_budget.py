"""The query budget of find before create (tests/budgets.py): the same whether one record
or twenty match, visible or not: keys, records, aliases, identifiers, visibility, audit."""

from __future__ import annotations

from datetime import date

import pytest

from homeward.core.actor import Actor
from homeward.linkage.search import find
from homeward.organisations.models import Organisation
from tests import factories
from tests.budgets import within
from tests.linkage.helpers import held, query

pytestmark = pytest.mark.django_db

BUDGETS = {"find": (14, 14), "find_nothing": (10, 10)}
DOB = date(2010, 11, 23)


@pytest.mark.parametrize("n", [1, 20])
def test_find(police_officer: Actor, council: Organisation, n: int) -> None:
    far = factories.CouncilFactory(police_force=factories.PoliceForceFactory())
    for i in range(n):
        child = held("Tyrone", "Holby", DOB, responsible_council=far if i % 2 else council,
                     aliases=("Ty Marsh",), reference=f"R{i}", postcode="LS6")  # fmt: skip
        if i % 2 == 0:
            factories.place(child, host=council)
    with within("find", BUDGETS):
        matches = find(police_officer, query("Tyrin", "Holbey", DOB, postcode="LS6"), limit=20)
    assert len(matches) == n


def test_find_nothing(police_officer: Actor) -> None:
    with within("find_nothing", BUDGETS):
        assert find(police_officer, query("Nobody", "Atall", DOB)) == []
