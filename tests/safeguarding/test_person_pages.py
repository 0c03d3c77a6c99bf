"""The pages of persons of concern and harbouring notices, as their users drive them:
record a person from the child's page, link, issue a notice, record a breach, review and
withdraw; what the council sees and does not; and who is refused."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from homeward.core import clock
from homeward.organisations.models import Role, User
from homeward.safeguarding.models import HarbouringNotice, NoticeBreach, PersonLink, PersonOfConcern
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_persons import World, issue, link, make_place, w

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db
__all__ = ["w"]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Response) -> str:
    return html.unescape(response.content.decode())


def day_parts(name: str, day: Any) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


GRADING = {
    "link-nature": "Waits outside the school",
    "link-source": "Head of year",
    "link-source_evaluation": "1",
    "link-information_assessment": "A",
}


def test_a_council_records_a_person_from_the_childs_page(w: World) -> None:
    client = signed_in(user_of(w.coordinator_a))
    page = text(client.get(f"/children/{w.child_a.pk}/"))
    assert "Persons of concern" in page
    assert "Darvell Oxenholme" in page
    assert "Record a person of concern linked to this child" in page
    form = text(client.get(f"/persons/new?child={w.child_a.pk}"))
    assert "Police notes" not in form
    response = client.post(
        f"/persons/new?child={w.child_a.pk}",
        {
            "name": "Orrin Castlemaine",
            "other_names": "Oz\nOrry",
            "approximate_age": "31",
            "child": w.child_a.pk,
            "link-person": "0",
            **GRADING,
        },
    )
    assert response.status_code == 302, text(response)
    person = PersonOfConcern.objects.get(name="Orrin Castlemaine")
    assert person.other_names == ["Oz", "Orry"]
    shown = text(client.get(response["Location"]))
    assert "Waits outside the school" in shown
    assert "1: reliable" in shown


def test_the_form_names_each_missing_field(w: World) -> None:
    client = signed_in(user_of(w.coordinator_a))
    body = text(
        client.post(
            f"/persons/new?child={w.child_a.pk}", {"child": w.child_a.pk, "link-person": "0"}
        )
    )
    assert "Enter the person's name, or what they are known as" in body
    assert "Enter where the information came from" in body
    assert "Select how reliable the source is" in body


def test_the_council_sees_no_police_parts_and_not_the_other_child(w: World) -> None:
    link(w.officer, w.person, w.child_a, nature="Supplies her with drugs", police_only=True)
    page = text(signed_in(user_of(w.coordinator_a)).get(f"/persons/{w.person.pk}"))
    assert w.child_a.full_name in page
    assert w.child_b.full_name not in page
    assert "Gives her lifts" not in page
    assert "Supplies her with drugs" not in page
    assert "Police notes" not in page
    police = text(signed_in(user_of(w.officer)).get(f"/persons/{w.person.pk}"))
    assert "Supplies her with drugs" in police
    assert "Police notes" in police
    assert signed_in(user_of(w.coordinator_c)).get(f"/persons/{w.person.pk}").status_code == 404


def test_police_link_issue_breach_review_and_withdraw(w: World) -> None:
    client = signed_in(user_of(w.officer))
    place = make_place(w.council_a)
    response = client.post(
        f"/persons/{w.person.pk}/links/new",
        {
            "person": w.person.pk,
            "child": w.child_a.pk,
            "place": place.pk,
            "nature": "Stays at his flat",
            "source": "Neighbour",
            "source_evaluation": "2",
            "information_assessment": "C",
            "police_only": "yes",
        },
    )
    assert response.status_code == 302, text(response)
    assert PersonLink.objects.filter(
        nature="Stays at his flat", police_only=True, place=place
    ).exists()
    today = clock.now().astimezone(clock.UK).date()
    response = client.post(
        f"/persons/{w.person.pk}/notices/new",
        {"children": [w.child_a.pk], "served_by": "PC Amberley", **day_parts("issued_on", today)},
    )
    assert response.status_code == 302, text(response)
    notice = HarbouringNotice.objects.get()
    when = (clock.now() - timedelta(hours=2)).astimezone(clock.UK)
    response = client.post(
        f"/notices/{notice.pk}/breach",
        {
            "child": w.child_a.pk,
            "location": "Car park behind the shops",
            "occurred_at_hour": str(when.hour),
            "occurred_at_minute": str(when.minute),
            **day_parts("occurred_at", when),
        },
    )
    assert response.status_code == 302, text(response)
    assert NoticeBreach.objects.get().location == "Car park behind the shops"
    council = text(signed_in(user_of(w.coordinator_a)).get(f"/notices/{notice.pk}"))
    assert "Car park behind the shops" in council
    assert "Record a breach" not in council
    assert client.post(f"/notices/{notice.pk}/review", {"notes": "Still needed"}).status_code == 302
    assert (
        client.post(f"/notices/{notice.pk}/withdraw", {"reason": "Moved away"}).status_code == 302
    )
    notice.refresh_from_db()
    assert notice.withdrawn_reason == "Moved away"
    assert notice.last_reviewed_on == today
    listed = text(client.get("/notices/?status=withdrawn"))
    assert notice.reference in listed


def test_who_is_refused(w: World) -> None:
    notice = issue(w.officer, w.person, w.child_a)
    worker = signed_in(factories.member(Role.SOCIAL_WORKER, w.council_a))
    assert worker.get(f"/persons/{w.person.pk}").status_code == 200
    assert worker.get(f"/persons/{w.person.pk}/links/new").status_code == 403
    assert worker.get(f"/persons/{w.person.pk}/notices/new").status_code == 403
    assert worker.get(f"/notices/{notice.pk}/breach").status_code == 403
    coordinator = signed_in(user_of(w.coordinator_a))
    assert coordinator.get(f"/notices/{notice.pk}/withdraw").status_code == 403
    assert signed_in(user_of(w.coordinator_c)).get(f"/notices/{notice.pk}").status_code == 404
