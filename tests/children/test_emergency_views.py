"""Emergency access through the web pages: asking for it (POST only, field errors), the
banner while it lasts, the council's review list and review form, and the links to them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.children.models import Child, EmergencyAccess
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.templatetags.govuk import uk_datetime
from homeward.events.models import DomainEvent
from homeward.notifications import delivery
from homeward.notifications.models import Notification
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.actors import user_of
from tests.responses import ClientResponse

pytestmark = pytest.mark.django_db

PAGE = "/children/emergency-access"
REVIEWS = "/children/emergency-access/reviews"
NHS = "9434765919"
REASON = "Found at the bus station at 3am, need her medical needs and who to call"


def text(response: ClientResponse) -> str:
    return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def child(council: Organisation) -> Child:
    return factories.ChildFactory(
        responsible_council=council, first_name="Philippa", last_name="Ravensworth", nhs_number=NHS
    )


@pytest.fixture
def stranger_police() -> Organisation:
    """A force with no relationship to the child."""
    return factories.PoliceForceFactory()


@pytest.fixture
def officer(stranger_police: Organisation) -> User:
    return factories.member(Role.POLICE_OFFICER, stranger_police)


@pytest.fixture
def coordinator(council: Organisation) -> User:
    return factories.member(Role.COUNCIL_MISSING_COORDINATOR, council)


def open_access(user: User, identifier: str = NHS, reason: str = REASON) -> ClientResponse:
    return signed_in(user).post(PAGE, {"identifier": identifier, "reason": reason})


# --- asking for emergency access -------------------------------------------------------------


def test_the_form_posts_and_never_puts_the_identifier_in_a_url(officer: User) -> None:
    body = text(signed_in(officer).get(PAGE))
    assert f'<form method="post" action="{PAGE}"' in body
    assert 'name="identifier"' in body
    assert 'name="reason"' in body
    assert "<script>" not in body
    assert "style=" not in body


def test_a_query_string_opens_nothing(officer: User, child: Child) -> None:
    response = signed_in(officer).get(PAGE, {"identifier": NHS, "reason": REASON})
    assert response.status_code == 200
    assert not EmergencyAccess.objects.exists()
    assert child.last_name not in text(response)


def test_opening_goes_to_the_child_with_a_warning_banner(officer: User, child: Child) -> None:
    client = signed_in(officer)
    response = client.post(PAGE, {"identifier": "943 476 5919", "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/"
    assert NHS not in response["Location"]
    access = EmergencyAccess.objects.get()
    assert access.user == officer
    page = client.get(response["Location"])
    body = text(page)
    assert page.status_code == 200
    assert child.full_name in body
    assert "govuk-notification-banner" in body
    assert "You are seeing this record under emergency access until" in body
    assert child.responsible_council.name in body
    assert "will review your reason" in body
    assert AuditEvent.objects.filter(
        action="emergency_access", child_id=child.pk, user=officer
    ).exists()
    assert AuditEvent.objects.filter(action="view", child_id=child.pk, user=officer).exists()


def test_the_banner_shows_the_expiry_time(officer: User, child: Child) -> None:
    client = signed_in(officer)
    client.post(PAGE, {"identifier": NHS, "reason": REASON})
    access = EmergencyAccess.objects.get()
    assert uk_datetime(access.expires_at) in text(client.get(f"/children/{child.pk}/"))


def test_the_banner_is_not_shown_to_those_with_a_relationship(
    social_worker: Actor, child: Child
) -> None:
    body = text(signed_in(user_of(social_worker)).get(f"/children/{child.pk}/"))
    assert "under emergency access" not in body


def test_once_expired_the_record_closes(officer: User, child: Child) -> None:
    client = signed_in(officer)
    client.post(PAGE, {"identifier": NHS, "reason": REASON})
    EmergencyAccess.objects.update(expires_at=clock.now() - timedelta(minutes=1))
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 404
    assert child.last_name not in text(response)


def test_empty_form_gives_field_errors_in_the_summary(officer: User) -> None:
    response = signed_in(officer).post(PAGE, {"identifier": "", "reason": ""})
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body
    assert '<a href="#id_identifier">Enter the child&#x27;s NHS number' in body
    assert '<a href="#id_reason">Explain why you need this record now</a>' in body
    assert 'id="id_identifier-error"' in body
    assert 'id="id_reason-error"' in body
    assert not EmergencyAccess.objects.exists()


def test_a_short_reason_is_refused_on_its_field(officer: User, child: Child) -> None:
    body = text(open_access(officer, reason="need it"))
    assert '<a href="#id_reason">Explain why you need this record now (at least 15' in body
    assert not EmergencyAccess.objects.exists()
    assert child.last_name not in body


def test_an_unknown_or_inexact_identifier_reveals_nothing(officer: User, child: Child) -> None:
    for identifier in ("9999999999", child.last_name, child.full_name):
        body = text(open_access(officer, identifier=identifier))
        assert '<a href="#id_identifier">No single child matches that identifier' in body
        assert child.first_name not in body.replace(identifier, "")
        assert child.responsible_council.name not in body
    assert not EmergencyAccess.objects.exists()
    # Each attempt is itself audited, without saying whom it was about.
    lookups = AuditEvent.objects.filter(action="emergency_lookup", user=officer)
    assert lookups.count() == 3
    assert all(event.child_id is None for event in lookups)


def test_someone_who_can_already_see_the_child_is_told_so(
    social_worker: Actor, child: Child
) -> None:
    body = text(open_access(user_of(social_worker)))
    assert "You can already see this child&#x27;s record" in body
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.BOARD_MEMBER, Role.ORG_ADMIN], ids=["board member", "administrator"]
)
def test_roles_that_never_see_identities_are_refused(
    council: Organisation, child: Child, role: Role
) -> None:
    client = signed_in(factories.member(role, council))
    assert client.get(PAGE).status_code == 403
    response = client.post(PAGE, {"identifier": NHS, "reason": REASON})
    assert response.status_code == 403
    assert child.last_name not in text(response)
    assert not EmergencyAccess.objects.exists()


def test_a_national_analyst_is_refused(child: Child) -> None:
    national = factories.CouncilFactory()  # the kind does not matter: the role decides
    client = signed_in(factories.member(Role.NATIONAL_ANALYST, national))
    assert client.post(PAGE, {"identifier": NHS, "reason": REASON}).status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_the_council_coordinator_is_told(officer: User, coordinator: User, child: Child) -> None:
    open_access(officer)
    event = DomainEvent.objects.get(name="child.emergency_access_used")
    delivery.deliver(event.pk)
    notification = Notification.objects.get(recipient=coordinator)
    assert notification.title == "Emergency access to a child's record"
    assert notification.child_id == child.pk
    # Nobody else at the council, and not the officer, is told.
    assert Notification.objects.count() == 1


# --- links to it -----------------------------------------------------------------------------


def test_find_a_child_offers_emergency_access(officer: User) -> None:
    body = text(signed_in(officer).get("/children/"))
    assert "Cannot find the child?" in body
    assert f'href="{PAGE}"' in body


def test_the_not_found_page_offers_emergency_access_to_practitioners(
    officer: User, child: Child
) -> None:
    body = text(signed_in(officer).get(f"/children/{child.pk}/"))
    assert f'href="{PAGE}"' in body
    assert "speak to your supervisor" not in body
    assert child.last_name not in body


def test_the_not_found_page_does_not_offer_it_to_aggregate_roles(council: Organisation) -> None:
    body = text(signed_in(factories.member(Role.BOARD_MEMBER, council)).get("/children/999999/"))
    assert f'href="{PAGE}"' not in body
    assert "speak to your supervisor" in body


# --- the council's review list ---------------------------------------------------------------


def test_the_review_list_shows_who_why_and_until_when(
    officer: User, coordinator: User, child: Child
) -> None:
    open_access(officer)
    access = EmergencyAccess.objects.get()
    response = signed_in(coordinator).get(REVIEWS)
    body = text(response)
    assert response.status_code == 200
    assert "Awaiting review" in body
    assert child.full_name in body
    assert f'href="/children/{child.pk}/"' in body
    assert officer.get_full_name() in body
    assert access.organisation.name in body
    assert "Police officer" in body
    assert REASON in body
    assert "(still open)" in body
    assert f'action="/children/emergency-access/{access.pk}/review"' in body
    assert f'name="access-{access.pk}-note"' in body
    # The list names the child: an audited read.
    assert AuditEvent.objects.filter(
        action="list_result", child_id=child.pk, user=coordinator
    ).exists()


def test_awaiting_review_comes_first(
    officer: User, coordinator: User, council: Organisation
) -> None:
    first = factories.ChildFactory(responsible_council=council, nhs_number="4857773456")
    second = factories.ChildFactory(responsible_council=council, nhs_number=NHS)
    open_access(officer, identifier="4857773456")
    open_access(officer, identifier=NHS)
    older, newer = EmergencyAccess.objects.order_by("granted_at", "pk")
    assert (older.child, newer.child) == (first, second)
    reviewer = signed_in(coordinator)
    reviewer.post(
        f"/children/emergency-access/{newer.pk}/review",
        {f"access-{newer.pk}-note": "Justified: the child was found at night"},
    )
    body = text(reviewer.get(REVIEWS))
    assert body.index(first.full_name) < body.index(second.full_name)
    assert "1 access is waiting for review" in body


def test_a_review_is_recorded(officer: User, coordinator: User, child: Child) -> None:
    open_access(officer)
    access = EmergencyAccess.objects.get()
    client = signed_in(coordinator)
    response = client.post(
        f"/children/emergency-access/{access.pk}/review",
        {f"access-{access.pk}-note": "Appropriate: officer found the child"},
    )
    assert response.status_code == 302
    assert response["Location"] == REVIEWS
    access.refresh_from_db()
    assert access.reviewed_by == coordinator
    assert access.review_note == "Appropriate: officer found the child"
    body = text(client.get(REVIEWS))
    assert "Your review has been recorded" in body
    assert "Appropriate: officer found the child" in body
    assert f'name="access-{access.pk}-note"' not in body
    assert AuditEvent.objects.filter(action="review_emergency_access", child_id=child.pk).exists()
    # A second review is refused, and says why.
    again = client.post(
        f"/children/emergency-access/{access.pk}/review", {f"access-{access.pk}-note": "again"}
    )
    assert again.status_code == 302
    assert "already been reviewed" in text(client.get(REVIEWS))


def test_the_coordinators_home_page_says_how_many_await_review(
    officer: User, coordinator: User, child: Child
) -> None:
    client = signed_in(coordinator)
    assert "awaiting review" not in text(client.get("/"))
    open_access(officer)
    body = text(client.get("/"))
    assert "1 emergency access to your council's children is awaiting review" in body
    assert f'href="{REVIEWS}"' in body
    access = EmergencyAccess.objects.get()
    client.post(
        f"/children/emergency-access/{access.pk}/review",
        {f"access-{access.pk}-note": "Appropriate: officer found the child"},
    )
    assert "awaiting review" not in text(client.get("/"))


def test_an_empty_review_is_an_error_on_that_access(
    officer: User, coordinator: User, child: Child
) -> None:
    open_access(officer)
    access = EmergencyAccess.objects.get()
    response = signed_in(coordinator).post(
        f"/children/emergency-access/{access.pk}/review", {f"access-{access.pk}-note": " "}
    )
    body = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert f'<a href="#id_access-{access.pk}-note">Record what the review found</a>' in body
    assert f'id="id_access-{access.pk}-note-error"' in body
    access.refresh_from_db()
    assert access.reviewed_at is None


def test_a_manager_reviews_too(officer: User, council: Organisation, child: Child) -> None:
    open_access(officer)
    manager = factories.member(Role.COUNCIL_MANAGER, council)
    assert signed_in(manager).get(REVIEWS).status_code == 200


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.ORG_ADMIN],
    ids=["social worker", "board member", "administrator"],
)
def test_other_council_roles_cannot_review(
    officer: User, council: Organisation, child: Child, role: Role
) -> None:
    open_access(officer)
    access = EmergencyAccess.objects.get()
    client = signed_in(factories.member(role, council))
    listing = client.get(REVIEWS)
    assert listing.status_code == 403
    assert child.last_name not in text(listing)
    posted = client.post(
        f"/children/emergency-access/{access.pk}/review", {f"access-{access.pk}-note": "fine"}
    )
    assert posted.status_code == 403
    access.refresh_from_db()
    assert access.reviewed_at is None


def test_another_councils_coordinator_sees_none_of_it(officer: User, child: Child) -> None:
    open_access(officer)
    access = EmergencyAccess.objects.get()
    elsewhere = factories.CouncilFactory()
    other = signed_in(factories.member(Role.COUNCIL_MISSING_COORDINATOR, elsewhere))
    body = text(other.get(REVIEWS))
    assert child.last_name not in body
    assert "Nobody has used emergency access" in body
    posted = other.post(
        f"/children/emergency-access/{access.pk}/review", {f"access-{access.pk}-note": "fine"}
    )
    assert posted.status_code == 404
    assert child.last_name not in text(posted)


def test_the_review_list_is_in_the_coordinators_navigation(
    coordinator: User, council: Organisation
) -> None:
    nav = re.compile(r'<a class="govuk-service-navigation__link" href="' + REVIEWS + '"')
    assert nav.search(text(signed_in(coordinator).get("/")))
    manager = factories.member(Role.COUNCIL_MANAGER, council)
    assert nav.search(text(signed_in(manager).get("/")))
    worker = factories.member(Role.SOCIAL_WORKER, council)
    assert not nav.search(text(signed_in(worker).get("/")))
