"""A child's council record and the record a force made of the same child."""

from __future__ import annotations

import pytest

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.linkage import services
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Organisation, Role
from tests import factories

EVIDENCE = [
    {"field": "nhs_number", "label": "NHS number", "level": "Exact match", "weight": 8.1},
    {"field": "surname", "label": "Surname", "level": "Sounds alike", "weight": 3.2},
]


@pytest.fixture
def coordinator(council: Organisation) -> Actor:
    return factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)


@pytest.fixture
def police_record(police: Organisation) -> Child:
    """The record a force made of a child it could not find: held by the area council."""
    other = factories.CouncilFactory(police_force=police)
    return factories.ChildFactory(responsible_council=other, added_by_organisation=police)


@pytest.fixture
def candidate(child: Child, police_record: Child) -> MatchCandidate:
    queued = services.queue_match(
        child.pk,
        police_record.pk,
        probability=0.9,
        match_weight=6.0,
        evidence=EVIDENCE,
        source=MatchCandidate.Source.RUN,
    )
    assert queued is not None
    return queued
