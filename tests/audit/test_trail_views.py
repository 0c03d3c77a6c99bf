"""'Who has looked at this record': the responsible council's coordinator and managers see
a child's audit trail, page by page, and download it as CSV for a subject access request.
Looking and downloading are audited; nobody else reaches either."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from homeward.audit import reads as audit_reads
from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.children import services as children
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.actors import organisation_of, user_of
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db


def text(response: ClientResponse) -> str:
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(council: Organisation) -> User:
    return factories.member(Role.COUNCIL_MISSING_COORDINATOR, council)


@pytest.fixture
def looked(social_worker: Actor, child: Child) -> Actor:
    """The social worker opened the child's record once."""
    children.read_child(social_worker, child.pk)
    return social_worker


def trail_url(child: Child) -> str:
    return f"/children/{child.pk}/audit-trail"


def test_the_coordinator_sees_who_looked(coordinator: User, looked: Actor, child: Child) -> None:
    response = signed_in(coordinator).get(trail_url(child))
    body = text(response)
    assert response.status_code == 200
    assert "Who has looked at this record" in body
    assert child.full_name in body
    assert user_of(looked).get_full_name() in body
    assert organisation_of(looked).name in body
    assert "Social worker" in body
    assert "Opened the record" in body
    assert "Child&#x27;s record" in body
    # Looking is itself on the record, and shown.
    assert AuditEvent.objects.filter(
        action="view_audit_trail", child_id=child.pk, user=coordinator
    ).exists()
    assert "Looked at who has seen the record" in body


def test_a_manager_may_look_too(council: Organisation, looked: Actor, child: Child) -> None:
    manager = factories.member(Role.COUNCIL_MANAGER, council)
    assert signed_in(manager).get(trail_url(child)).status_code == 200


def test_newest_first_and_paged_without_shifting(
    coordinator: User, social_worker: Actor, child: Child
) -> None:
    audit.record_many_reads(social_worker, "child", [child.pk] * 60, action="list_result")
    client = signed_in(coordinator)
    first = text(client.get(trail_url(child)))
    assert "Showing 1 to 50 of 61 events" in first
    match = re.search(r'href="\?upto=(\d+)&amp;page=2"', first)
    assert match, "a link to the older events"
    # Another look adds an event, but page 2 is still the page 2 the link promised.
    client.get(trail_url(child))
    second = text(client.get(f"{trail_url(child)}?upto={match.group(1)}&page=2"))
    assert "Showing 51 to 61 of 61 events" in second
    assert second.count('<tr class="govuk-table__row">') == 1 + 11
    assert 'href="?upto=' in second  # back to the newer ones


def test_a_nonsense_page_or_anchor_is_harmless(
    coordinator: User, looked: Actor, child: Child
) -> None:
    client = signed_in(coordinator)
    for query in ("?page=abc", "?upto=-1", "?upto=99999999999999999999999&page=9"):
        assert client.get(trail_url(child) + query).status_code == 200


def test_csv_download_for_a_subject_access_request(
    coordinator: User, looked: Actor, child: Child
) -> None:
    response = signed_in(coordinator).get(f"/children/{child.pk}/audit-trail.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="audit-trail-child-')
    assert child.last_name not in disposition
    assert child.first_name not in disposition
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(text(response))))
    assert rows[0] == audit_reads.TRAIL_COLUMNS
    actions = [row[6] for row in rows[1:]]
    assert actions == ["view", "export_audit_trail"]  # oldest first, the download last
    assert rows[1][1] == user_of(looked).get_username()
    assert rows[1][3] == organisation_of(looked).name
    assert AuditEvent.objects.filter(
        action="export_audit_trail", child_id=child.pk, user=coordinator, channel="ui"
    ).exists()


def test_the_command_line_export_is_recorded_as_an_export(
    looked: Actor, child: Child, tmp_path: Path
) -> None:
    call_command("audit", "export", "--child", str(child.pk), "--out", str(tmp_path / "t.csv"))
    event = AuditEvent.objects.filter(child_id=child.pk).last()
    assert event is not None
    assert (event.action, event.channel, event.user) == ("export_audit_trail", "cli", None)


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.ORG_ADMIN],
    ids=["social worker", "board member", "administrator"],
)
def test_other_roles_at_the_council_are_refused(
    council: Organisation, looked: Actor, child: Child, role: Role
) -> None:
    client = signed_in(factories.member(role, council))
    before = AuditEvent.objects.count()
    for url in (trail_url(child), f"/children/{child.pk}/audit-trail.csv"):
        response = client.get(url)
        assert response.status_code == 403
        assert child.last_name not in text(response)
    assert AuditEvent.objects.count() == before


def test_other_councils_get_not_found(looked: Actor, child: Child) -> None:
    host = factories.CouncilFactory()
    factories.place(child, host=host)
    for council in (host, factories.CouncilFactory()):
        client = signed_in(factories.member(Role.COUNCIL_MISSING_COORDINATOR, council))
        for url in (trail_url(child), f"/children/{child.pk}/audit-trail.csv"):
            response = client.get(url)
            assert response.status_code == 404
            assert child.last_name not in text(response)


def test_national_analysts_never_reach_it(looked: Actor, child: Child) -> None:
    national = factories.CouncilFactory()
    client = signed_in(factories.member(Role.NATIONAL_ANALYST, national))
    assert client.get(trail_url(child)).status_code == 403


def test_the_child_page_links_to_it_only_for_those_who_may_look(
    coordinator: User, social_worker: Actor, child: Child
) -> None:
    link = f'href="{trail_url(child)}"'
    assert link in text(signed_in(coordinator).get(f"/children/{child.pk}/"))
    assert link not in text(signed_in(user_of(social_worker)).get(f"/children/{child.pk}/"))
    host = factories.CouncilFactory()
    factories.place(child, host=host)
    host_coordinator = factories.member(Role.COUNCIL_MISSING_COORDINATOR, host)
    page = signed_in(host_coordinator).get(f"/children/{child.pk}/")
    assert page.status_code == 200  # the host council sees the child...
    assert link not in text(page)  # ...but answers for nobody's looking at them


# --- a name that is a spreadsheet formula (issue 11, point 2) -------------------------------

FORMULA = '=HYPERLINK("http://x","click")'


@pytest.fixture
def formula_reader(council: Organisation, child: Child) -> Actor:
    """Someone whose name was stored as a formula (before names were checked at entry)
    opened the child's record."""
    reader = factories.actor(Role.SOCIAL_WORKER, council)
    user_of(reader).first_name = FORMULA
    user_of(reader).username = "@formula"
    user_of(reader).save()
    children.read_child(reader, child.pk)
    return reader


def formula_row(rows: list[list[str]]) -> list[str]:
    [row] = [r for r in rows if "click" in ",".join(r)]
    return row


def test_the_downloaded_trail_cannot_run_a_formula(
    coordinator: User, formula_reader: Actor, child: Child
) -> None:
    response = signed_in(coordinator).get(f"/children/{child.pk}/audit-trail.csv")
    row = formula_row(list(csv.reader(io.StringIO(text(response)))))
    assert row[1] == "'@formula"
    assert row[2] == f"'{FORMULA} {user_of(formula_reader).last_name}"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_the_exported_trail_cannot_run_a_formula(
    formula_reader: Actor, child: Child, tmp_path: Path
) -> None:
    out = tmp_path / "trail.csv"
    call_command("audit", "export", "--child", str(child.pk), "--out", str(out))
    with out.open(newline="") as handle:
        row = formula_row(list(csv.reader(handle)))
    assert row[2] == f"'{FORMULA} {user_of(formula_reader).last_name}"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
