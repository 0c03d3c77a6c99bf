"""The coordinator's writes and reads: who may, what each refuses and why, what each
leaves in the audit log and the outbox, and "You said, we did" in the board report."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.insights import board
from homeward.organisations.models import Organisation, OrganisationKind, Role
from homeward.safeguarding.services import meeting_actions
from homeward.themes import tasks
from homeward.themes.models import Theme, ThemeItem
from homeward.themes.services import edits, links, reads, runs
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_meetings import open_panel
from tests.safeguarding.factories_plan import write_plan
from tests.themes.conftest import Area

pytestmark = pytest.mark.django_db


def _themed(area: Area) -> tuple[Theme, ThemeItem]:
    """Council A's five items, one placed by its coordinator in a new theme."""
    runs.run(area.a)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    item = ThemeItem.objects.filter(
        council=area.a, interview=area.interviews["I1"], source="child_account"
    ).get()
    moved = edits.correct_item(coordinator, item.pk, new_name="Arguments at home")
    assert moved.theme is not None
    return moved.theme, moved


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.ORG_ADMIN, Role.COUNCIL_MANAGER]
)
def test_only_the_missing_coordinator_changes_themes(area: Area, role: str) -> None:
    theme, _item = _themed(area)
    with pytest.raises(AccessDenied):
        edits.name_theme(factories.actor(role, area.a), theme.pk, "Something else")


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.NATIONAL_ANALYST])
def test_roles_without_need_do_not_read_themes(area: Area, role: str) -> None:
    org = (
        Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="Unit", code="NAT")
        if role == Role.NATIONAL_ANALYST
        else area.a
    )
    with pytest.raises(AccessDenied):
        reads.themes(factories.actor(role, org))


def test_a_manager_reads_the_words_and_each_child_named_is_audited(area: Area) -> None:
    theme, _item = _themed(area)
    manager = factories.actor(Role.COUNCIL_MANAGER, area.a)
    page = reads.theme_page(manager, theme.pk)
    assert [v.words for v in page.items] == [
        "Me and my carer had a massive argument about my phone so I walked out."
    ]
    assert AuditEvent.objects.filter(
        action="list_result", child_id=area.interviews["I1"].child_id
    ).exists()


def test_another_councils_coordinator_does_not_find_the_theme(area: Area) -> None:
    theme, item = _themed(area)
    other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.b)
    with pytest.raises(NotFound):
        reads.theme_page(other, theme.pk)
    with pytest.raises(NotFound):
        edits.correct_item(other, item.pk, theme.pk)


def test_naming_is_checked_audited_and_evented(area: Area) -> None:
    theme, _item = _themed(area)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    with pytest.raises(ValidationFailed) as empty:
        edits.name_theme(coordinator, theme.pk, "   ")
    assert empty.value.errors == {"name": ["Enter a name for the theme"]}
    other = edits.correct_item(
        coordinator,
        ThemeItem.objects.get(interview=area.interviews["I3"], source="child_account").pk,
        new_name="Older friends",
    )
    with pytest.raises(ValidationFailed) as taken:
        edits.name_theme(coordinator, theme.pk, "older FRIENDS")
    assert taken.value.errors == {"name": ["Another theme has this name: merge them instead"]}
    edits.name_theme(coordinator, theme.pk, "Rows at home")
    assert AuditEvent.objects.filter(action="name_theme", object_id=str(theme.pk)).exists()
    assert DomainEvent.objects.filter(name="themes.named", aggregate_id=str(theme.pk)).exists()
    merged = edits.merge_themes(coordinator, other.theme_id, theme.pk)
    assert merged.pk == theme.pk
    assert ThemeItem.objects.filter(theme=theme, confirmed=True).count() == 2


def test_a_corrected_item_keeps_its_label_through_runs(area: Area) -> None:
    theme, item = _themed(area)
    runs.run(area.a)
    item.refresh_from_db()
    assert item.theme_id == theme.pk
    assert item.confirmed


def test_a_new_name_wins_and_neither_is_refused(area: Area) -> None:
    theme, item = _themed(area)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    with pytest.raises(ValidationFailed) as failed:
        edits.correct_item(coordinator, item.pk)
    assert failed.value.errors == {"theme": ["Choose a theme, or give the name of a new one"]}
    split = edits.correct_item(coordinator, item.pk, theme.pk, "Split off")
    assert split.theme is not None
    assert split.theme.name == "Split off"


def _decision(area: Area, council: object = None) -> int:
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council or area.a)  # type: ignore[arg-type]
    meeting = open_panel(coordinator, days_ahead=-1)
    meeting_actions.record_decision(
        coordinator,
        meeting.pk,
        meeting_actions.DecisionInput("Ask the youth service for evening sessions", ""),
    )
    return meeting.decisions.get().pk


def test_a_link_is_checked(area: Area) -> None:
    theme, _item = _themed(area)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    elsewhere = _decision(area, area.b)
    future = clock.now().date() + timedelta(days=3)
    with pytest.raises(ValidationFailed) as failed:
        links.link(coordinator, links.LinkInput("theme-999999", "decision", elsewhere, "", future))
    assert failed.value.errors == {
        "answered_on": ["The date it was done must be today or in the past"],
        "theme": ["Choose one of the council's themes"],
        "summary": ["Say in a sentence what was done, for the board"],
    }
    with pytest.raises(ValidationFailed) as other_council:
        links.link(coordinator, links.LinkInput(f"theme-{theme.pk}", "decision", elsewhere, "Done"))
    assert other_council.value.errors == {"target": ["Choose what answered the theme"]}


def test_the_board_report_shows_you_said_we_did_without_identities(area: Area) -> None:
    theme, _item = _themed(area)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    decision = _decision(area)
    links.link(
        coordinator,
        links.LinkInput(
            f"theme-{theme.pk}", "decision", decision, "Carers trained in calming rows down."
        ),
    )
    links.link(
        coordinator,
        links.LinkInput("push:conflict_home", "decision", decision, "Family mediation offered."),
    )
    year, quarter = board.last_complete_quarter(clock.now().date() + timedelta(days=95))
    data = board.figures(area.a, year, quarter)
    said = {row["theme"]: row for row in data["you_said_we_did"]}
    assert said["Arguments at home"]["summary"] == "Carers trained in calming rows down."
    assert said["Push factor: Conflict at home or in placement"]["answer"].startswith(
        "A decision of the missing children panel of"
    )
    html = board.render_html(data)
    assert "You said, we did" in html
    assert "Family mediation offered." in html
    for interview in area.interviews.values():
        assert interview.child.last_name not in html
    assert "massive argument" not in html  # the child's words stay inside the council


def test_the_api_reads_and_names_themes_as_the_pages_do(area: Area) -> None:
    theme, _item = _themed(area)
    user = factories.member(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    api = {"Authorization": f"Bearer {factories.api_token(user)}"}
    listed = Client().get("/api/v1/themes", headers=api).json()
    assert theme.pk in [t["id"] for t in listed["items"]]
    named = Client().post(
        f"/api/v1/themes/{theme.pk}/name",
        {"name": "Rows at home"},
        content_type="application/json",
        headers=api,
    )
    assert named.status_code == 200, named.content
    assert named.json()["label"] == "Rows at home"
    assert named.json()["words"][0]["source"] == "child_account"
    assert AuditEvent.objects.filter(action="name_theme", channel="api").exists()
    refused = Client().post(
        f"/api/v1/themes/{theme.pk}/name",
        {"name": ""},
        content_type="application/json",
        headers=api,
    )
    assert refused.status_code == 422


def test_the_command_runs_every_council_with_its_progress(area: Area) -> None:
    out = io.StringIO()
    call_command("themes", "run", stdout=out)
    text = out.getvalue()
    assert "[1/2] Council A" in text
    assert "Council A: 5 pieces of free text" in text
    assert "done: 5 items" in text
    with pytest.raises(CommandError):
        call_command("themes", "run", "--council", "NOPE")


def test_the_worker_queues_the_daily_run_once(area: Area) -> None:
    assert tasks.schedule() is True
    assert tasks.schedule() is False  # one is waiting
    assert tasks.request(area.a) is True
    assert tasks.request(area.a) is False


def test_a_theme_links_to_an_action_of_a_childs_plan_the_coordinator_sees(area: Area) -> None:
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.a)
    child = area.interviews["I1"].child
    version = write_plan(coordinator, child, user_of(coordinator))
    with pytest.raises(ValidationFailed) as failed:
        links.link(
            coordinator,
            links.LinkInput("pull:friends", "plan", version.pk, "Plan reviewed", plan_action=3),
        )
    assert failed.value.errors == {"plan_action": ["Choose one of the plan's actions"]}
    made = links.link(
        coordinator,
        links.LinkInput("pull:friends", "plan", version.pk, "Plans reviewed", plan_action=0),
    )
    assert made.plan_version_id == version.pk
    other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.b)
    with pytest.raises(ValidationFailed):
        links.link(other, links.LinkInput("pull:friends", "plan", version.pk, "No", plan_action=0))
    year, quarter = board.last_complete_quarter(clock.now().date() + timedelta(days=95))
    said = board.figures(area.a, year, quarter)["you_said_we_did"]
    assert said[0]["answer"] == "An action in a child's risk management plan"
    assert child.last_name not in str(said)
