"""Persons of concern, places and harbouring notices for tests: every name is invented,
and a Place is made directly (the place services are another module's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding.models import HarbouringNotice, PersonLink, PersonOfConcern, Place
from homeward.safeguarding.services import notices, persons
from tests import factories


def make_place(
    council: Organisation | None = None, name: str = "Bandstand, Riverside Park"
) -> Place:
    return Place.objects.create(name=name, council=council, created_at=clock.now())


def person_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Darvell Oxenholme",
        "other_names": ["Dee", "Big D"],
        "approximate_age": 24,
        "description": "Tall, drives a silver hatchback",
    }
    data.update(overrides)
    return data


def link_data(child: Child | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "child_id": child.pk if child is not None else None,
        "nature": "Seen with her at the bus station",
        "source": "Residential staff at the home",
        "source_evaluation": "2",
        "information_assessment": "B",
    }
    data.update(overrides)
    return data


def record(by: Actor, child: Child | None = None, **overrides: Any) -> PersonOfConcern:
    link = link_data(child) if child is not None else None
    return persons.record_person(by, person_data(**overrides), link)


def link(by: Actor, person: PersonOfConcern, child: Child | None, **overrides: Any) -> PersonLink:
    return persons.link_person(by, person.pk, link_data(child, **overrides))


@dataclass
class World:
    """Two councils of one force, a child of each (both reported missing to the force), a
    third council that sees neither, and a person linked to both children."""

    force: Organisation
    council_a: Organisation
    council_b: Organisation
    council_c: Organisation
    child_a: Child
    child_b: Child
    episode_a: Episode
    officer: Actor
    coordinator_a: Actor
    coordinator_b: Actor
    coordinator_c: Actor
    person: PersonOfConcern


def world() -> World:
    force = factories.PoliceForceFactory()
    council_a, council_b, council_c = (factories.CouncilFactory(police_force=force) for _ in "abc")
    child_a = factories.ChildFactory(responsible_council=council_a)
    child_b = factories.ChildFactory(responsible_council=council_b)
    officer = factories.actor(Role.POLICE_OFFICER, force)
    coordinator_a = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council_a)
    coordinator_b = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council_b)
    episode_a = factories.report(coordinator_a, child_a)
    factories.report(coordinator_b, child_b)
    person = record(officer, child_a)
    link(officer, person, child_b, nature="Gives her lifts")
    return World(
        force,
        council_a,
        council_b,
        council_c,
        child_a,
        child_b,
        episode_a,
        officer,
        coordinator_a,
        coordinator_b,
        factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council_c),
        person,
    )


@pytest.fixture
def w(db: None) -> World:
    return world()


def issue(
    by: Actor, person: PersonOfConcern, *children: Child, **overrides: Any
) -> HarbouringNotice:
    data: dict[str, Any] = {
        "person_id": person.pk,
        "child_ids": [c.pk for c in children],
        "issued_on": overrides.pop("issued_on", clock.now().astimezone(clock.UK).date()),
        "served_by": "PC 4471 Amberley",
    }
    data.update(overrides)
    return notices.issue_notice(by, data)


def born(years: int, months: int = 0, *, on: date | None = None) -> date:
    day = on or clock.now().astimezone(clock.UK).date()
    month = day.month - months
    year = day.year - years + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, 28))
