"""Dashboards, board reports and national figures as each role sees them."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.insights.conftest import Area

YEAR = "?year=2024"
NAMES = ("Tamsin", "Oakridge", "Rowan", "Pellow", "Kit", "Farrow")


def client_for(role: str, organisation: Organisation) -> Client:
    user = factories.member(role, organisation)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def national(db: None) -> Organisation:
    from homeward.organisations.models import Organisation, OrganisationKind

    return Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="Unit", code="NAT")


def test_council_coordinator_sees_its_children(area: Area) -> None:
    page = client_for(Role.COUNCIL_MISSING_COORDINATOR, area.council_a).get(
        "/insights/dashboard/" + YEAR
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Children missing from home or care, 2024-25" in text
    assert "Council A" in text
    # Every chart has its one-line summary and its table.
    assert "Age at the start: the largest group is" in text
    assert "Of 4 returns in the period, 25.0% had a safe and well check" in text
    assert "style=" not in text  # the CSP forbids inline style
    for name in NAMES:
        assert name not in text


def test_quarter_filter(area: Area) -> None:
    page = client_for(Role.COUNCIL_MANAGER, area.council_a).get(
        "/insights/dashboard/?year=2024&quarter=4"
    )
    assert "2024-25 Q4" in page.content.decode()


def test_police_coordinator_sees_its_area(area: Area) -> None:
    page = client_for(Role.POLICE_MISSING_COORDINATOR, area.force_g).get(
        "/insights/dashboard/" + YEAR
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Force G" in text
    assert "Children of other councils" in text


def test_national_analyst_sees_suppressed_figures_and_can_narrow_by_area(
    area: Area, national: Organisation
) -> None:
    client = client_for(Role.NATIONAL_ANALYST, national)
    text = client.get("/insights/dashboard/" + YEAR).content.decode()
    assert "England" in text
    assert "shown as “c”" in text
    narrowed = client.get(f"/insights/dashboard/{YEAR}&area=council-{area.council_a.code}")
    assert "Council A" in narrowed.content.decode()


def test_national_csv_suppresses_small_counts(area: Area, national: Organisation) -> None:
    response = client_for(Role.NATIONAL_ANALYST, national).get(
        "/insights/national-figures.csv" + YEAR
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["period", "table", "measure", "area", "characteristic", "value"]
    for row in rows[1:]:
        value = row[5]
        assert value == "c" or value == "0" or int(value) >= 5
    # England's total episodes (6) is published; the small council figures are not.
    england = [
        r for r in rows if r[1] == "episodes_by_age" and r[3] == "England" and r[4] == "Total"
    ]
    assert england[0][5] == "6"


@pytest.mark.parametrize(
    ("role", "where", "path"),
    [
        (Role.BOARD_MEMBER, "council_a", "/insights/dashboard/"),
        (Role.SOCIAL_WORKER, "council_a", "/insights/dashboard/"),
        (Role.POLICE_OFFICER, "force_f", "/insights/dashboard/"),
        (Role.COUNCIL_MISSING_COORDINATOR, "council_a", "/insights/national-figures.csv"),
        (Role.POLICE_MISSING_COORDINATOR, "force_f", "/insights/board/"),
        (Role.SOCIAL_WORKER, "council_a", "/insights/board/2024/q1/report.pdf"),
    ],
)
def test_who_may_not(area: Area, role: str, where: str, path: str) -> None:
    assert client_for(role, getattr(area, where)).get(path).status_code == 403


def test_board_member_gets_only_the_board_report(area: Area) -> None:
    client = client_for(Role.BOARD_MEMBER, area.council_a)
    assert client.get("/insights/")["Location"] == "/insights/board/"
    listing = client.get("/insights/board/")
    assert listing.status_code == 200
    assert "Corporate parenting board reports" in listing.content.decode()
    page = client.get("/insights/board/2024/q1/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "board report, 2024-25 Q1" in text
    for name in (*NAMES, "Marcus", "Quayside", "Alex", "Merrow", "07700"):
        assert name not in text


def test_unknown_quarter_is_not_found(area: Area) -> None:
    client = client_for(Role.BOARD_MEMBER, area.council_a)
    assert client.get("/insights/board/2024/q7/").status_code == 404
    assert client.get("/insights/board/1990/q1/").status_code == 404


def test_sign_in_required(db: None) -> None:
    assert Client().get("/insights/dashboard/").status_code == 302
