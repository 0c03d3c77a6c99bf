"""Query budgets (tests/budgets.py) of a person of concern's page and a notice's page, with
several links and breaches: neither grows with them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from homeward.core import clock
from homeward.safeguarding.services import notice_breaches
from tests import factories
from tests.actors import user_of
from tests.budgets import within
from tests.safeguarding.factories_persons import World, issue, link, w

pytestmark = pytest.mark.django_db
__all__ = ["w"]

# The page, the person and its holding force, the links (with their children, places,
# episodes and recorders), the notices, and the audited reads: 14, however many links.
# The notice: its person and force, its children, their breaches, the audited reads: 15.
BUDGETS = {"person_page": (14, 14), "notice_page": (15, 15)}


def _more(w: World, n: int) -> int:
    notice = issue(w.officer, w.person, w.child_a)
    for i in range(n):
        child = factories.ChildFactory(responsible_council=w.council_a)
        factories.report(w.coordinator_a, child)
        link(w.officer, w.person, child, nature=f"Seen with them, {i}")
        notice_breaches.record_breach(
            w.officer,
            notice.pk,
            {"child_id": w.child_a.pk, "occurred_at": clock.now() - timedelta(hours=i + 1),
             "location": f"Place {i}"},
        )  # fmt: skip
    return notice.pk


@pytest.mark.parametrize("n", [1, 4])
def test_the_persons_page(w: World, n: int) -> None:
    _more(w, n)
    client = Client()
    client.force_login(user_of(w.coordinator_a))
    with within("person_page", BUDGETS):
        response = client.get(f"/persons/{w.person.pk}")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_the_notices_page(w: World, n: int) -> None:
    notice = _more(w, n)
    client = Client()
    client.force_login(user_of(w.coordinator_a))
    with within("notice_page", BUDGETS):
        response = client.get(f"/notices/{notice}")
    assert response.status_code == 200
