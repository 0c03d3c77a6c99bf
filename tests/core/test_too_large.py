"""A form sent with more than the service reads (DATA_UPLOAD_MAX_MEMORY_SIZE) gets a GOV.UK
page saying so, with status 413: not the 400 page, and nothing saved."""

import pytest
from django.conf import settings
from django.test import Client

from homeward.children.models import Child
from homeward.organisations.models import Organisation, Role
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "<title>What you sent is too large - Homeward</title>"


def huge() -> str:
    return "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def test_a_huge_sign_in_form_gets_the_too_large_page() -> None:
    response = Client().post("/sign-in", {"username": huge(), "password": "whatever"})
    assert response.status_code == 413
    body = response.content.decode()
    assert TITLE in body
    assert "2.5 MB" in body
    assert "Nothing was saved" in body
    assert 'class="govuk-header' in body


def test_a_signed_in_user_sending_too_much_loses_nothing_already_saved(
    council: Organisation,
) -> None:
    user = factories.member(Role.SOCIAL_WORKER, council)
    client = Client()
    client.force_login(user)
    before = Child.objects.count()
    response = client.post(
        "/children/add", {"first_name": huge(), "last_name": "Large", "sex": "1"}
    )
    assert response.status_code == 413
    assert TITLE in response.content.decode()
    assert Child.objects.count() == before
    # Still signed in: the next page works.
    assert client.get("/").status_code == 200


def test_a_form_within_the_limit_is_read_as_usual() -> None:
    response = Client().post("/sign-in", {"username": "x" * 1000, "password": "whatever"})
    assert response.status_code == 200
