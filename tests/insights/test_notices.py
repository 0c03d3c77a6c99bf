"""Harbouring notices in the figures: live on a day, per force, per council (once in each
council of a child it names) and nationally (once), with small numbers suppressed in the
national view as every national figure is (homeward/insights/suppression.py).

The hand-built area, counted on today's date D (the current year's dashboard):

- Force A (council A1) issued 3 live notices, and one withdrawn yesterday, one that
  expired yesterday (its last day in force; not live on D) and one issued tomorrow:
  live 3.
- Force B (councils B1, B2) issued 6 live notices naming B1's children; one of them also
  names a child of B2: B 6, B1 6, B2 1.
- Force C (council C1) issued 5 live notices: C 5, C1 5.
- England 14 (3 + 6 + 5: the notice naming two councils' children is counted once).

Published nationally: A "c" (3 is under 5); C "c" as well (secondary suppression: with
England's 14 and B's 6 published, A alone hidden would be 14 - 6 - 5 = 3; the smallest
other count is hidden, C's 5, so A + C = 8 and neither can be worked out); B 6;
England 14. Councils: A1 "c", B1 6, B2 "c", C1 5 (no total is published for councils:
the notice in B1 and B2 is in both, so they add up to 15, not England's 14).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from homeward.core import clock
from homeward.insights import counting as c
from homeward.insights import national, notices
from homeward.insights import queries as q
from homeward.organisations.models import Organisation, OrganisationKind, Role
from homeward.safeguarding.services import notice_rules
from tests import factories
from tests.insights import recount
from tests.safeguarding import factories_peers as fp

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict[str, Organisation]:
    today = c.local_date(clock.now())
    day = timedelta(days=1)
    orgs: dict[str, Organisation] = {}
    for name in ("A", "B", "C"):
        orgs[name] = factories.PoliceForceFactory(name=f"Force {name}")
    for name, force in (("A1", "A"), ("B1", "B"), ("B2", "B"), ("C1", "C")):
        orgs[name] = factories.CouncilFactory(name=f"Council {name}", police_force=orgs[force])
    kid = {k: factories.ChildFactory(responsible_council=orgs[k]) for k in ("A1", "B1", "B2", "C1")}
    year_ago, later = today - 365 * day, today + 100 * day
    for _ in range(3):
        fp.notice(orgs["A"], [kid["A1"]], year_ago, later)
    fp.notice(orgs["A"], [kid["A1"]], year_ago, later, withdrawn=today - day)
    fp.notice(orgs["A"], [kid["A1"]], year_ago, today - day)  # expired: not live
    fp.notice(orgs["A"], [kid["A1"]], today + day, later)  # not yet issued
    fp.notice(orgs["B"], [kid["B1"], kid["B2"]], year_ago, later)
    for _ in range(5):
        fp.notice(orgs["B"], [kid["B1"]], year_ago, later)
    for _ in range(5):
        fp.notice(orgs["C"], [kid["C1"]], year_ago, later)
    return orgs


def _this_year() -> q.Period:
    return q.Period(c.financial_year(c.local_date(clock.now())))


def test_live_notices_per_force_council_and_nation(area: dict[str, Organisation]) -> None:
    live = notices.count_live(c.local_date(clock.now()))
    assert live.nation == 14
    assert {o.name: live.by_force.get(o.pk, 0) for o in area.values() if o.kind == "police"} == {
        "Force A": 3,
        "Force B": 6,
        "Force C": 5,
    }
    councils = {o.name: live.by_council.get(o.pk, 0) for o in area.values() if o.kind == "council"}
    assert councils == {"Council A1": 3, "Council B1": 6, "Council B2": 1, "Council C1": 5}


def test_notices_in_the_national_figures_are_suppressed(area: dict[str, Organisation]) -> None:
    period = _this_year()
    shown = notices.figures(q.Scope(q.NATION), period, suppressed=True)
    assert shown.forces == [("Force A", "c"), ("Force B", 6), ("Force C", "c"), ("England", 14)]
    assert shown.councils == [
        ("Council A1", "c"),
        ("Council B1", 6),
        ("Council B2", "c"),
        ("Council C1", 5),
    ]
    assert shown.live == 14
    # One area narrowed to in the national view shows what the national table shows.
    assert notices.figures(q.Scope.of(area["C"]), period, suppressed=True).live == "c"
    # The national CSV publishes the same.
    rows = list(csv.DictReader(io.StringIO(national.to_csv(period))))
    published = {(r["table"], r["area"]): r["value"] for r in rows if r["measure"] == "notices"}
    assert published == {
        ("live_notices_by_force", "Force A"): "c",
        ("live_notices_by_force", "Force B"): "6",
        ("live_notices_by_force", "Force C"): "c",
        ("live_notices_by_force", "England"): "14",
        ("live_notices_by_council", "Council A1"): "c",
        ("live_notices_by_council", "Council B1"): "6",
        ("live_notices_by_council", "Council B2"): "c",
        ("live_notices_by_council", "Council C1"): "5",
    }


def test_each_area_sees_its_own_exact_figure(area: dict[str, Organisation]) -> None:
    period = _this_year()
    for name, expected in (("A", 3), ("C", 5), ("B1", 6), ("B2", 1)):
        scope = q.Scope.of(area[name])
        assert notices.figures(scope, period, suppressed=False).live == expected, name


def test_the_dashboards_show_the_notices(area: dict[str, Organisation]) -> None:
    def text(role: str, org: Organisation) -> str:
        client = Client()
        client.force_login(factories.member(role, org))
        page = client.get("/insights/dashboard/")
        assert page.status_code == 200
        return page.content.decode()

    force_a = text(Role.POLICE_MISSING_COORDINATOR, area["A"])
    assert "issued by the force): <strong>3</strong>" in force_a
    council_b2 = text(Role.COUNCIL_MANAGER, area["B2"])
    assert "children): <strong>1</strong>" in council_b2
    unit = Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="Unit", code="NAT")
    nation = text(Role.NATIONAL_ANALYST, unit)
    assert "each notice once): <strong>14</strong>" in nation
    assert '<th scope="row" class="govuk-table__header">Force A</th><td' in nation
    assert 'Force B</th><td class="govuk-table__cell govuk-table__cell--numeric">6<' in nation


def test_the_notice_figures_are_a_recount(area: dict[str, Organisation]) -> None:
    assert recount.assert_notices_are_a_recount() > 0


def test_a_notice_is_live_on_its_expiry_day_and_not_the_day_after() -> None:
    """The expiry date is the last day in force: the figures count a notice on it, as its
    own page reads it ("Live"), and neither does the day after."""
    today = c.local_date(clock.now())
    force = factories.PoliceForceFactory(name="Force E")
    child = factories.ChildFactory(
        responsible_council=factories.CouncilFactory(name="Council E1", police_force=force)
    )
    notice = fp.notice(force, [child], today - timedelta(days=30), today)
    assert notice_rules.status(notice, today) == notice_rules.LIVE
    assert notices.count_live(today).nation == 1
    after = today + timedelta(days=1)
    assert notice_rules.status(notice, after) == notice_rules.EXPIRED
    assert notices.count_live(after).nation == 0
