"""One set of generated names: the demo's children, the generator's children and the demo
users are all built from the syllables in homeward.seed.names, and nothing else."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from homeward.children.codes import Sex
from homeward.children.models import Child
from homeward.organisations.models import User
from homeward.seed import demo, names, synthetic

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
SURNAMES = names.possible_surnames(0) | names.possible_surnames(1)


def assert_built_from_the_parts(children: list[Child]) -> None:
    assert children
    for child in children:
        assert child.first_name in names.possible_first_names(child.sex), child.first_name
        assert child.last_name in SURNAMES, child.last_name


@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(Sex.values))
def test_a_first_name_is_an_onset_and_an_ending_that_read_well(seed: int, sex: str) -> None:
    name = names.first_name(random.Random(seed), sex)
    assert name in names.possible_first_names(sex)
    assert 3 <= len(name) <= 9
    assert name[0].isupper()


@given(st.integers(min_value=0, max_value=2**32), st.sampled_from([0, 1]))
def test_a_surname_comes_from_its_own_pool(seed: int, pool: int) -> None:
    assert names.surname(random.Random(seed), pool) in names.possible_surnames(pool)


def test_the_pools_are_apart_and_girls_and_boys_names_mostly_are() -> None:
    assert not names.possible_surnames(0) & names.possible_surnames(1)
    girls, boys = names.possible_first_names(Sex.FEMALE), names.possible_first_names(Sex.MALE)
    assert len(girls) > 200
    assert len(boys) > 200
    assert len(girls & boys) < 0.1 * len(girls)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_children_and_users_have_generated_names() -> None:
    demo.load(seed=7, children=30, episodes=120, now=NOW)
    # The second records police made (seed/duplicates.py) spell names as police typed them.
    assert_built_from_the_parts(list(Child.objects.filter(added_by_organisation=None)))
    users = list(User.objects.all())
    assert users
    assert all(u.last_name in SURNAMES for u in users)
    assert all(
        u.first_name in names.possible_first_names(Sex.FEMALE)
        or u.first_name in names.possible_first_names(Sex.MALE)
        for u in users
    )


@pytest.mark.django_db
def test_the_generated_children_have_names_from_the_same_parts() -> None:
    synthetic.generate(episodes=200, seed=3, councils=2, now=NOW)
    assert_built_from_the_parts(list(Child.objects.all()))
