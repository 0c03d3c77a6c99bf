"""The protocol's pages, without JavaScript: the home's steps (a formset with blank rows),
the run with the child's plan beside it, a step's errors on the page, and the sign-off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.safeguarding.models.protocols import HomeProtocol
from tests.actors import user_of
from tests.safeguarding.factories_protocol import a_home, a_plan, reported, run_of

pytestmark = pytest.mark.django_db


def client_for(actor: Actor) -> Client:
    client = Client()
    client.force_login(user_of(actor))
    return client


def parts(prefix: str, when: Any) -> dict[str, str]:
    local = when.astimezone(clock.UK)
    return {
        f"{prefix}_day": str(local.day),
        f"{prefix}_month": str(local.month),
        f"{prefix}_year": str(local.year),
        f"{prefix}_hour": str(local.hour),
        f"{prefix}_minute": f"{local.minute:02d}",
    }


def protocol_post(rows: list[tuple[str, str, str]], hours: str = "24") -> dict[str, str]:
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": "0",
        "sign_off_hours": hours,
    }
    for i, (kind, text, minutes) in enumerate(rows):
        data |= {
            f"steps-{i}-kind": kind,
            f"steps-{i}-text": text,
            f"steps-{i}-within_minutes": minutes,
        }
    return data


def test_a_manager_is_offered_the_usual_steps_and_saves_them_skipping_blank_rows() -> None:
    world = a_home(protocol=False)
    manager = client_for(world.manager)
    page = manager.get("/protocols/home").content.decode()
    assert "These are the usual steps" in page
    assert "Ring the people in the child&#x27;s missing profile" in page
    rows = [
        ("search", "Search the house", ""),
        ("", "", ""),
        ("tell_police", "Ring 101", "30"),
    ]
    response = manager.post("/protocols/home", protocol_post(rows, "12"))
    assert response.status_code == 302
    protocol = HomeProtocol.objects.get(home=world.home)
    assert [(s.position, s.text, s.within_minutes) for s in protocol.steps.all()] == [
        (1, "Search the house", None),
        (2, "Ring 101", 30),
    ]
    assert protocol.sign_off_hours == 12


def test_a_bad_row_is_named_and_nothing_is_saved() -> None:
    world = a_home()
    rows = [("search", "Search", "0"), ("other", "x" * 301, "")]
    response = client_for(world.manager).post("/protocols/home", protocol_post(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "must be 300 characters or fewer" in page
    assert HomeProtocol.objects.get(home=world.home).version == 1


def test_care_staff_see_the_protocol_read_only() -> None:
    world = a_home()
    staff = client_for(world.staff)
    page = staff.get("/protocols/home").content.decode()
    assert "Ring 101" in page
    assert "Save the protocol" not in page
    staff.post("/protocols/home", protocol_post([("other", "Changed", "")]))
    assert HomeProtocol.objects.get(home=world.home).version == 1


def test_the_episode_page_offers_the_protocol_to_the_homes_staff() -> None:
    world = a_home()
    episode = reported(world)
    page = client_for(world.staff).get(f"/episodes/{episode.reference}/").content.decode()
    assert "Follow the home's missing protocol" in page
    assert "0 of 3 steps recorded" in page


def test_the_run_page_shows_the_plan_and_records_a_step() -> None:
    world = a_home()
    a_plan(world.child, minutes=20, if_missing=["Check the bus station first"])
    episode = reported(world)
    staff = client_for(world.staff)
    url = f"/episodes/{episode.reference}/protocol"
    page = staff.get(url).content.decode()
    assert "Check the bus station first" in page
    assert "Tell the police within 20 minutes" in page
    when = clock.now() - timedelta(minutes=20)
    data = {"step-3-outcome": "done", **parts("step-3-done_at", when), "step-3-note": "Ref 42"}
    response = staff.post(f"{url}/steps/3", data)
    assert response.status_code == 302
    assert run_of(episode).police_told_at == when.replace(second=0, microsecond=0)


def test_a_steps_error_is_shown_on_the_page_naming_the_step() -> None:
    world = a_home()
    episode = reported(world)
    url = f"/episodes/{episode.reference}/protocol"
    data = {"step-1-outcome": "done", **parts("step-1-done_at", clock.now() + timedelta(hours=2))}
    response = client_for(world.staff).post(f"{url}/steps/1", data)
    assert response.status_code == 200
    assert "The time of step 1 (search the home and grounds) cannot be in the future" in (
        response.content.decode()
    )


def test_only_a_manager_signs_off_and_only_the_childs_home_sees_the_run() -> None:
    world = a_home()
    episode = reported(world)
    url = f"/episodes/{episode.reference}/protocol"
    staff = client_for(world.staff)
    for position in (1, 2, 3):
        staff.post(
            f"{url}/steps/{position}",
            {f"step-{position}-outcome": "not_done", f"step-{position}-not_done_reason": "Back"},
        )
    assert staff.post(f"{url}/sign-off", {"signoff-note": "Fine"}).status_code == 403
    assert "Sign off" not in staff.get(url).content.decode()
    manager = client_for(world.manager)
    assert manager.post(f"{url}/sign-off", {"signoff-note": "Fine"}).status_code == 302
    assert run_of(episode).signed_off_at is not None
    other = a_home()
    assert client_for(other.manager).get(url).status_code == 404


def test_a_step_sent_without_its_time_is_named_by_its_number() -> None:
    world = a_home()
    episode = reported(world)
    url = f"/episodes/{episode.reference}/protocol/steps/2"
    response = client_for(world.staff).post(url, {"step-2-outcome": "done"})
    assert response.status_code == 200
    assert "Enter when step 2 was done" in response.content.decode()
    missing = client_for(world.staff).post(url, {})
    assert "Select whether step 2 was done" in missing.content.decode()
