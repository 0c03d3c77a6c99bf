"""The password policy, after the NCSC's guidance: long passwords welcome, at least 12
characters, common ones refused, no rules about character types, and no forced expiry;
and the page where a signed-in user changes theirs."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.organisations.models import Organisation, Role, User
from tests import factories

pytestmark = pytest.mark.django_db


def problems(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",  # words, lower case, spaces: fine
        "tallyhoblueumbrellaseven",  # no digits, no symbols, no capitals
        "x7#kd9!q2mzp",  # exactly 12
        "a long sentence that somebody will remember easily " * 2 + "ok" * 14,  # 128+
    ],
)
def test_long_and_plain_passwords_are_accepted(password: str) -> None:
    assert len(password) >= 12
    assert problems(password) == []


def test_passwords_up_to_at_least_128_characters_are_allowed(council: Organisation) -> None:
    password = "river-lamp-" * 12  # 132 characters
    assert len(password) >= 128
    assert problems(password) == []
    user = factories.member(Role.SOCIAL_WORKER, council)
    user.set_password(password)
    user.save()
    assert (
        Client().post("/sign-in", {"username": user.username, "password": password})["Location"]
        == "/"
    )


def test_fewer_than_12_characters_is_refused() -> None:
    assert any("at least 12 characters" in p for p in problems("eleven-char"))


@pytest.mark.parametrize(
    "password", ["password1234", "qwerty123456", "1q2w3e4r5t6y", "PASSWORD1234"]
)
def test_common_passwords_are_refused(password: str) -> None:
    found = problems(password)
    assert any("too common" in p for p in found), found


def test_a_password_like_the_username_is_refused(db: None) -> None:
    user = factories.UserFactory.build(username="morgan.hendry", email="morgan.hendry@x.test")
    assert any("too similar" in p for p in problems("morgan.hendry1", user))


def test_there_are_no_composition_rules_or_expiry() -> None:
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    names = [v["NAME"].rsplit(".", 1)[-1] for v in validators]
    assert names == [
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "UserAttributeSimilarityValidator",
    ]
    assert not [name for name in dir(settings) if "PASSWORD_EXPIR" in name]


# --- changing your password ---------------------------------------------------------------


@pytest.fixture
def worker(council: Organisation) -> User:
    return factories.member(Role.SOCIAL_WORKER, council)


def test_the_change_password_page_is_a_gov_uk_form(client: Client, worker: User) -> None:
    client.force_login(worker)
    response = client.get("/account/password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Change your password - Homeward</title>" in body
    assert 'autocomplete="current-password"' in body
    assert body.count('autocomplete="new-password"') == 2
    assert "At least 12 characters" in body


def test_changing_the_password_keeps_this_session_and_ends_the_others(worker: User) -> None:
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post("/sign-in", {"username": worker.username, "password": factories.TEST_PASSWORD})
    new = "a-completely-new-passphrase"
    response = here.post(
        "/account/password",
        {"old_password": factories.TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert "Your password has been changed" in here.get("/account/").content.decode()
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(new)
    event = AuditEvent.objects.get(action="change_password")
    assert event.user == worker
    assert new not in str(event.details)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"old_password": "wrong-old-password", "new_password1": "x" * 20},
            "Your current password is not right: enter it again",
        ),
        ({"new_password1": "short", "new_password2": "short"}, "at least 12 characters"),
        ({"new_password1": "password1234", "new_password2": "password1234"}, "too common"),
        (
            {"new_password1": "one-long-passphrase", "new_password2": "another-passphrase"},
            "The passwords do not match",
        ),
        ({"old_password": "", "new_password1": "", "new_password2": ""}, "Enter a new password"),
    ],
)
def test_change_password_errors(
    client: Client, worker: User, data: dict[str, object], message: str
) -> None:
    client.force_login(worker)
    posted = {"old_password": factories.TEST_PASSWORD, "new_password2": "x" * 20, **data}
    response = client.post("/account/password", posted)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in body
    assert message in body
    worker.refresh_from_db()
    assert worker.check_password(factories.TEST_PASSWORD)
