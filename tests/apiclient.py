"""The API test client: every response is validated against the OpenAPI document the
service itself serves at /api/openapi.json (and, unless a test sends a deliberately bad
request, every request too), using openapi-core. Its fixtures (``api``, ``openapi_spec``,
``as_social_worker``...) are in tests/conftest.py."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from openapi_core import Config, OpenAPI
from openapi_core.deserializing.media_types import json_loads  # type: ignore[attr-defined]  # re-exported without __all__
from openapi_core.testing import MockRequest, MockResponse

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.models import ClassificationChange, Episode, RiskAssessment, TimelineEntry
from homeward.events.models import DomainEvent
from homeward.organisations.models import User
from tests import factories

_UNSET: Any = object()


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any
    raw: bytes
    content_type: str = ""

    @property
    def problem(self) -> dict[str, Any]:
        assert self.content_type == "application/problem+json", self.content_type
        problem: dict[str, Any] = self.body
        return problem


@dataclass
class ApiClient:
    spec: OpenAPI
    client: Client = field(default_factory=Client)
    token: str | None = None

    def as_(self, token: str | None) -> ApiClient:
        return ApiClient(self.spec, self.client, token)

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = _UNSET,
        raw_body: bytes | None = None,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = _UNSET,
        validate_request: bool = True,
        validate_response: bool = True,
        remote_addr: str | None = None,
    ) -> ApiResponse:
        token = self.token if token is _UNSET else token
        sent_headers = dict(headers or {})
        if token is not None:
            sent_headers["Authorization"] = f"Bearer {token}"
        if raw_body is not None:
            body = raw_body
        elif json_body is not _UNSET:
            body = json.dumps(json_body).encode()
        else:
            body = b""
        url = path + ("?" + urlencode(query) if query else "")
        response = self.client.generic(
            method,
            url,
            data=body,
            content_type="application/json",
            headers=sent_headers,
            **({"REMOTE_ADDR": remote_addr} if remote_addr else {}),  # type: ignore[arg-type]  # WSGI environ
        )
        content_type = response.get("Content-Type", "")
        mock_request = MockRequest(
            "http://testserver",
            method,
            path,
            args=query,
            headers=sent_headers,
            data=body or None,
            content_type="application/json",
        )
        mock_response = MockResponse(
            response.content,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=content_type.split(";")[0],
        )
        if validate_request:
            self.spec.validate_request(mock_request)
        if validate_response:
            self.spec.validate_response(mock_request, mock_response)
        assert response.status_code != 500, response.content
        parsed = json.loads(response.content) if response.content else None
        return ApiResponse(
            status=response.status_code,
            headers=dict(response.headers),
            body=parsed,
            raw=response.content,
            content_type=content_type.split(";")[0],
        )

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = _UNSET, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, json_body=body, **kwargs)

    def patch(self, path: str, body: Any = _UNSET, **kwargs: Any) -> ApiResponse:
        return self.request("PATCH", path, json_body=body, **kwargs)


def load_spec(document: dict[str, Any]) -> OpenAPI:
    # from_dict checks the document is valid OpenAPI before anything uses it. openapi-core
    # reads only application/json as JSON unless told: problem documents are JSON too.
    config = Config(extra_media_type_deserializers={"application/problem+json": json_loads})
    return OpenAPI.from_dict(document, config=config)


def token_for(actor_or_user: Actor | User) -> str:
    user = actor_or_user.user if isinstance(actor_or_user, Actor) else actor_or_user
    assert user is not None, "the system has no API token"
    return factories.api_token(user)


def counts() -> dict[str, int]:
    """Everything a request could write: compare before and after a refused request."""
    return {
        "children": Child.objects.count(),
        "episodes": Episode.objects.count(),
        "risk": RiskAssessment.objects.count(),
        "classification": ClassificationChange.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "audit": AuditEvent.objects.count(),
        "events": DomainEvent.objects.count(),
    }
