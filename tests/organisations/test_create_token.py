"""`homeward create-token USERNAME [--days N]`: prints the token once, keeps its hash."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.cli import main
from homeward.organisations.models import ApiToken, Organisation, Role
from tests import factories
from tests.organisations.totp import give_app


def create_token(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_working_token_once_and_keeps_only_its_hash(
    council: Organisation, child: Child
) -> None:
    user = factories.member(Role.SOCIAL_WORKER, council, username="jo.social")
    token, message = create_token("jo.social")

    row = ApiToken.objects.get(user=user)
    assert token.startswith("hw_")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    assert row.prefix in message
    assert token not in message
    assert row.expires_at - row.created_at == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=5)
    )

    response = Client().get(
        f"/api/v1/children/{child.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


def test_days_sets_the_expiry(council: Organisation) -> None:
    user = factories.member(Role.SOCIAL_WORKER, council, username="short.lived")
    create_token("short.lived", "--days", "7")
    row = ApiToken.objects.get(user=user)
    assert row.expires_at - row.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )


@pytest.mark.parametrize("days", ["0", "-3", "400"])
def test_days_out_of_range_is_refused(council: Organisation, days: str) -> None:
    factories.member(Role.SOCIAL_WORKER, council, username="someone")
    with pytest.raises(CommandError):
        create_token("someone", "--days", days)
    assert not ApiToken.objects.exists()


def test_unknown_and_inactive_users_get_no_token(council: Organisation) -> None:
    with pytest.raises(CommandError, match="No user"):
        create_token("nobody")
    user = factories.member(Role.SOCIAL_WORKER, council, username="left.the.council")
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="not active"):
        create_token("left.the.council")
    assert not ApiToken.objects.exists()


def test_a_user_without_a_membership_is_warned(db: None) -> None:
    factories.UserFactory(username="no.membership")
    token, message = create_token("no.membership")
    assert token
    assert "no active membership" in message


def test_issuing_a_token_is_audited_without_the_token(council: Organisation) -> None:
    user = factories.member(Role.SOCIAL_WORKER, council, username="audited")
    token, _ = create_token("audited")
    event = AuditEvent.objects.get(action="create_token")
    assert event.details["user"] == user.pk
    assert event.channel == "cli"
    assert token not in str(event.details)


def test_the_command_line_accepts_the_hyphenated_name(
    monkeypatch: pytest.MonkeyPatch, council: Organisation
) -> None:
    factories.member(Role.SOCIAL_WORKER, council, username="via.cli")
    seen: dict[str, list[str]] = {}

    def fake_execute(argv: list[str]) -> None:
        seen["argv"] = argv

    monkeypatch.setattr("sys.argv", ["homeward", "create-token", "via.cli", "--days", "3"])
    monkeypatch.setattr("django.core.management.execute_from_command_line", fake_execute)
    main()
    assert seen["argv"] == ["homeward", "create_token", "via.cli", "--days", "3"]


def test_where_two_factor_is_required_a_user_without_an_app_gets_no_token(
    council: Organisation, settings: Settings
) -> None:
    settings.HOMEWARD_MFA_REQUIRED = True
    user = factories.member(Role.SOCIAL_WORKER, council, username="no.app.yet")
    with pytest.raises(CommandError, match="has not set up two-factor authentication"):
        create_token("no.app.yet")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="create_token").exists()

    give_app(user)
    token, _ = create_token("no.app.yet")
    assert ApiToken.objects.get().user == user
    response = Client().get("/api/v1/episodes", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_an_app_still_being_set_up_is_not_enough(council: Organisation, settings: Settings) -> None:
    settings.HOMEWARD_MFA_REQUIRED = True
    user = factories.member(Role.SOCIAL_WORKER, council, username="half.way")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    with pytest.raises(CommandError, match="two-factor"):
        create_token("half.way")


def test_where_two_factor_is_optional_anyone_active_gets_one(
    council: Organisation, settings: Settings
) -> None:
    settings.HOMEWARD_MFA_REQUIRED = False
    factories.member(Role.SOCIAL_WORKER, council, username="optional.mfa")
    token, _ = create_token("optional.mfa")
    assert token.startswith("hw_")
