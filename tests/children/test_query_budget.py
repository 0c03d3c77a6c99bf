"""Query budgets of a child's record (tests/budgets.py): the child's page and the API's
read, with the child's episodes about."""

from __future__ import annotations

import pytest

from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, Role
from tests.budgets import within
from tests.episodes.test_query_budget import several, signed_in, with_token

pytestmark = pytest.mark.django_db

# The page reads the child's other records (linked as one child: homeward.linkage) in one
# query: 18 -> 19. Its missing profile (with the current photograph's id), its plan's current
# version (with the plan and its owner) and the plan's open reviews, one query each
# (homeward.safeguarding): 19 -> 22. The persons of concern linked to the child and the
# harbouring notices naming them, one query each: 22 -> 24. The Places panel (the child's
# places, one query; issue 15): 24 -> 25.
BUDGETS = {"child_page": (25, 25), "api_child": (10, 10)}


@pytest.mark.parametrize("n", [1, 5])
def test_the_childs_page(council: Organisation, social_worker: Actor, n: int) -> None:
    episode = several(council, social_worker, n)[0]
    client = signed_in(Role.SOCIAL_WORKER, council)
    with within("child_page", BUDGETS):
        response = client.get(f"/children/{episode.child_id}/")
    assert response.status_code == 200
    assert episode.child.last_name in response.content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_the_api_reads_a_child(council: Organisation, social_worker: Actor, n: int) -> None:
    episode = several(council, social_worker, n)[0]
    client = with_token(social_worker)
    with within("api_child", BUDGETS):
        response = client.get(f"/api/v1/children/{episode.child_id}")
    assert response.status_code == 200
    assert response.json()["id"] == episode.child_id
