"""Bearer tokens: stored hashed, refused when wrong, expired or revoked, and acting as the
user through their active membership."""

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from openapi_core import OpenAPI
from pytest_django import Settings

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.organisations.models import ApiToken, Membership, Organisation, Role, TokenFailure
from tests import factories
from tests.actors import user_of
from tests.apiclient import ApiClient, ApiResponse, token_for
from tests.organisations.totp import give_app

EPISODES = "/api/v1/episodes"


def assert_unauthorised(response: ApiResponse, invalid_token: bool) -> None:
    assert response.status == 401
    assert response.problem["type"] == "urn:homeward:problem:unauthenticated"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert ('error="invalid_token"' in challenge) is invalid_token


def test_no_token_is_401(api: ApiClient) -> None:
    assert_unauthorised(api.get(EPISODES, validate_request=False), invalid_token=False)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer hw_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_a_wrong_token_is_401(api: ApiClient, authorization: str) -> None:
    response = api.get(
        EPISODES, token=None, headers={"Authorization": authorization}, validate_request=False
    )
    assert response.status == 401


def test_expired_and_revoked_tokens_are_401(api: ApiClient, social_worker: Actor) -> None:
    expired = token_for(social_worker)
    revoked = token_for(social_worker)
    assert api.get(EPISODES, token=expired).status == 200
    ApiToken.objects.filter(token_hash=hashlib.sha256(expired.encode()).hexdigest()).update(
        expires_at=clock.now() - timedelta(seconds=1)
    )
    ApiToken.objects.filter(token_hash=hashlib.sha256(revoked.encode()).hexdigest()).update(
        revoked_at=clock.now()
    )
    assert_unauthorised(api.get(EPISODES, token=expired), invalid_token=True)
    assert_unauthorised(api.get(EPISODES, token=revoked), invalid_token=True)


def test_a_deactivated_users_token_is_401(api: ApiClient, social_worker: Actor) -> None:
    token = token_for(social_worker)
    user_of(social_worker).is_active = False
    user_of(social_worker).save()
    assert_unauthorised(api.get(EPISODES, token=token), invalid_token=True)


def test_the_token_is_stored_only_as_its_sha256(social_worker: Actor) -> None:
    token, secret = ApiToken.issue(user_of(social_worker))
    assert re.fullmatch(r"hw_[A-Za-z0-9_-]{40,}", secret)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix)
    assert len(token.prefix) < len(secret) // 3
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())
    assert token.expires_at - token.created_at == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=5)
    )


def test_use_is_recorded(api: ApiClient, social_worker: Actor) -> None:
    token = token_for(social_worker)
    api.get(EPISODES, token=token)
    row = ApiToken.objects.get(user=social_worker.user)
    assert row.last_used_at is not None


def test_the_token_acts_through_the_users_active_membership(
    api: ApiClient, social_worker: Actor, child: Child
) -> None:
    token = token_for(social_worker)
    api.get(f"/api/v1/children/{child.pk}", token=token)
    event = AuditEvent.objects.get(action="view", child_id=child.pk)
    assert event.channel == "api"
    assert event.user == social_worker.user
    assert event.organisation == social_worker.organisation
    assert event.role == Role.SOCIAL_WORKER


def test_a_user_with_no_active_membership_can_do_nothing(
    api: ApiClient, social_worker: Actor, child: Child
) -> None:
    token = token_for(social_worker)
    Membership.objects.filter(user=social_worker.user).update(is_active=False)
    assert api.get(f"/api/v1/children/{child.pk}", token=token).status == 404
    assert api.get(EPISODES, token=token).status == 403
    assert api.post("/api/v1/children/search", {"q": child.last_name}, token=token).status == 403


def test_a_signed_in_browser_session_is_not_api_authentication(
    api: ApiClient, social_worker: Actor
) -> None:
    api.client.force_login(user_of(social_worker))
    response = api.get(EPISODES, token=None, validate_request=False)
    assert response.status == 401


def _fill(path: str) -> str:
    return path.replace("{child_id}", "1").replace("{reference}", "HW-AAAAAAAA")


def test_every_operation_refuses_a_request_without_a_token(
    api: ApiClient, openapi_document: dict[str, Any]
) -> None:
    for path, operations in openapi_document["paths"].items():
        for method in operations:
            response = api.request(
                method.upper(), _fill(path), json_body={}, validate_request=False
            )
            assert response.status == 401, (method, path)


def test_csrf_does_not_apply_to_token_requests(
    openapi_spec: OpenAPI, social_worker: Actor, child: Child
) -> None:
    from django.test import Client

    from tests.apiclient import ApiClient

    client = ApiClient(openapi_spec, Client(enforce_csrf_checks=True), token_for(social_worker))
    response = client.post("/api/v1/children/search", {"q": child.last_name})
    assert response.status == 200


def test_factories_make_working_tokens(api: ApiClient, council: Organisation) -> None:
    user = factories.member(Role.COUNCIL_MANAGER, council)
    assert api.get(EPISODES, token=factories.api_token(user)).status == 200


class TestWrongTokensFromOneAddress:
    """300 wrong tokens once got 300 401s. Now after HOMEWARD_API_TOKEN_FAILURES (20) in
    the lockout period, that address gets 429 with Retry-After, whatever it sends."""

    def bad(self, api: ApiClient, n: int, address: str = "198.51.100.9") -> ApiResponse:
        return api.get(
            EPISODES,
            token=f"hw_guess-{n:04d}",
            remote_addr=address,
            validate_request=False,
        )

    def test_300_wrong_tokens(
        self, api: ApiClient, social_worker: Actor, settings: Settings
    ) -> None:
        assert settings.HOMEWARD_API_TOKEN_FAILURES == 20
        statuses = [self.bad(api, n).status for n in range(300)]
        assert statuses == [401] * 20 + [429] * 280
        assert TokenFailure.objects.count() == 20

    def test_the_429_is_a_problem_document_with_retry_after(
        self, api: ApiClient, social_worker: Actor
    ) -> None:
        for n in range(20):
            self.bad(api, n)
        refused = self.bad(api, 20)
        assert refused.status == 429
        assert refused.problem["type"] == "urn:homeward:problem:too-many-requests"
        assert 890 <= int(refused.headers["Retry-After"]) <= 900
        assert refused.headers["Retry-After"] in refused.problem["detail"]

    def test_a_valid_token_from_that_address_waits_too_but_not_from_elsewhere(
        self, api: ApiClient, social_worker: Actor
    ) -> None:
        token = token_for(social_worker)
        for n in range(20):
            self.bad(api, n)
        from_there = api.get(EPISODES, token=token, remote_addr="198.51.100.9")
        assert from_there.status == 429
        elsewhere = api.get(EPISODES, token=token, remote_addr="203.0.113.7")
        assert elsewhere.status == 200

    def test_the_address_may_try_again_once_the_period_has_passed(
        self, api: ApiClient, social_worker: Actor
    ) -> None:
        token = token_for(social_worker)
        for n in range(20):
            self.bad(api, n)
        TokenFailure.objects.update(at=F("at") - timedelta(minutes=15, seconds=1))
        assert api.get(EPISODES, token=token, remote_addr="198.51.100.9").status == 200
        assert self.bad(api, 21).status == 401
        # Rows older than the period are cleared as new ones are written.
        assert TokenFailure.objects.count() == 1

    def test_good_tokens_are_not_counted(self, api: ApiClient, social_worker: Actor) -> None:
        token = token_for(social_worker)
        for _ in range(30):
            assert api.get(EPISODES, token=token).status == 200
        assert not TokenFailure.objects.exists()


class TestTwoFactorRequired:
    def test_a_token_works_only_while_its_user_has_an_authenticator_app(
        self, api: ApiClient, social_worker: Actor, settings: Settings
    ) -> None:
        token = token_for(social_worker)
        settings.HOMEWARD_MFA_REQUIRED = True
        assert_unauthorised(api.get(EPISODES, token=token), invalid_token=True)
        give_app(social_worker.user)
        assert api.get(EPISODES, token=token).status == 200
