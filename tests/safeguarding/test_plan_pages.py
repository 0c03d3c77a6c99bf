"""The plan's pages: write it on the web (rows in formsets, errors naming the row), read it
and its versions back, who is refused, and the plan on the child's and the report page."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from homeward.organisations.models import Role, User
from homeward.safeguarding.models import PlanVersion
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_plan import STEPS, PlanWorld, in_weeks, world, write_plan

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Response) -> str:
    return html.unescape(response.content.decode())


def error_summary(body: str) -> list[str]:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert match, "no error summary on the page"
    return [re.sub(r"<[^>]+>", "", i).strip() for i in re.findall(r"<li>(.*?)</li>", match[0])]


def form_data(w: PlanWorld, owner: User, **changes: Any) -> dict[str, Any]:
    review = in_weeks(6)
    due = in_weeks(2)
    data: dict[str, Any] = {
        "risks": "Meets older men near Ashcombe station",
        "if_missing": "\n".join(STEPS),
        "report_after_minutes": "45",
        "review_date_day": str(review.day),
        "review_date_month": str(review.month),
        "review_date_year": str(review.year),
        "owner": str(owner.pk),
        "agencies-TOTAL_FORMS": "2",
        "agencies-INITIAL_FORMS": "0",
        "agencies-0-agency": "Police",
        "agencies-0-will_do": "Patrol the station at night",
        "agencies-0-owner": "PC Hale",
        "agencies-1-agency": "",
        "agencies-1-will_do": "",
        "agencies-1-owner": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-action": "Refer to the MACE panel",
        "actions-0-owner": "Sam Hill",
        "actions-0-due_day": str(due.day),
        "actions-0-due_month": str(due.month),
        "actions-0-due_year": str(due.year),
        "actions-0-done": "yes",
    }
    data.update(changes)
    return data


def test_a_social_worker_writes_the_plan_on_the_web_and_reads_it_back() -> None:
    w = world()
    client = signed_in(w.worker)
    page = text(client.get(f"/children/{w.child.pk}/plan/edit"))
    assert "Write a plan" in page
    assert 'name="agencies-1-agency"' in page  # blank rows to fill, no JavaScript needed
    assert "What changed and why" not in page  # not asked for the first version
    response = client.post(f"/children/{w.child.pk}/plan/edit", form_data(w, w.coordinator))
    assert response.status_code == 302
    saved = PlanVersion.objects.get()
    assert saved.agencies == [
        {"agency": "Police", "will_do": "Patrol the station at night", "owner": "PC Hale"}
    ]
    assert saved.actions[0]["done"] is True
    assert saved.if_missing == STEPS
    assert saved.owner == w.coordinator
    page = text(client.get(f"/children/{w.child.pk}/plan"))
    for shown in (*STEPS, "Patrol the station at night", "after 45 minutes", "Refer to the MACE"):
        assert shown in page


def test_row_errors_name_the_row_and_nothing_is_saved() -> None:
    w = world()
    client = signed_in(w.worker)
    response = client.post(
        f"/children/{w.child.pk}/plan/edit",
        form_data(
            w,
            w.coordinator,
            risks="",
            **{"agencies-1-agency": "School", "actions-0-owner": ""},
        ),
    )
    assert response.status_code == 200
    summary = error_summary(text(response))
    assert summary[0] == "Enter the risks to this child"  # all shown at once, in page order
    assert "Agency 2: enter what they will do" in summary
    assert "Agency 2: enter who owns it" in summary
    assert "Action 1: enter who owns it" in summary
    assert not PlanVersion.objects.exists()


def test_the_next_version_needs_a_note_and_the_history_names_what_changed() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    client = signed_in(user_of(w.manager))
    data = form_data(w, w.worker, version="1", if_missing="Ring the aunt's neighbour")
    response = client.post(f"/children/{w.child.pk}/plan/edit", data)
    assert "Enter what changed and why" in error_summary(text(response))
    data["change_note"] = "Found at the neighbour's twice"
    assert client.post(f"/children/{w.child.pk}/plan/edit", data).status_code == 302
    history = text(signed_in(w.coordinator).get(f"/children/{w.child.pk}/plan/versions"))
    assert "Version 2" in history
    assert "Version 1" in history
    assert "What to do if this child goes missing" in history
    assert "Found at the neighbour's twice" in history
    earlier = text(client.get(f"/children/{w.child.pk}/plan/versions/1"))
    assert "This is an earlier version" in earlier
    assert STEPS[0] in earlier


def test_a_stale_form_is_refused_with_the_reason() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    write_plan(w.manager, w.child, w.worker, change_note="New school")
    data = form_data(w, w.worker, version="1", change_note="Old view")
    response = signed_in(w.worker).post(f"/children/{w.child.pk}/plan/edit", data)
    assert response.status_code == 200
    assert "Someone else saved this plan" in error_summary(text(response))[0]
    assert PlanVersion.objects.count() == 2


def test_a_care_home_reads_the_plan_but_may_not_change_it() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    client = signed_in(user_of(w.care_staff))
    page = text(client.get(f"/children/{w.child.pk}/plan"))
    assert STEPS[0] in page
    assert "Change the plan" not in page
    assert client.get(f"/children/{w.child.pk}/plan/edit").status_code == 403
    assert (
        client.post(f"/children/{w.child.pk}/plan/edit", form_data(w, w.worker)).status_code == 403
    )
    assert PlanVersion.objects.count() == 1


def test_no_way_in_for_an_unrelated_council() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    client = signed_in(factories.member(Role.COUNCIL_MANAGER, factories.CouncilFactory()))
    for path in ("", "/edit", "/versions", "/versions/1"):
        assert client.get(f"/children/{w.child.pk}/plan{path}").status_code == 404, path


def test_the_plan_shows_on_the_child_page_and_the_report_page() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker, review_date=in_weeks(1))
    officer = signed_in(user_of(w.officer))
    child_page = text(officer.get(f"/children/{w.child.pk}/"))
    assert "Risk management plan" in child_page
    assert STEPS[0] in child_page
    report_page = text(officer.get(f"/children/{w.child.pk}/report-missing"))
    assert 'id="plan-if-missing"' in report_page
    assert STEPS[1] in report_page
    assert "not back after 60 minutes" in report_page
