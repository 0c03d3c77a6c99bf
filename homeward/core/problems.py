"""RFC 9457 problem documents: the Problem schema, the errors only the API raises, and
``problem()``, which answers with one."""

from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from homeward.core.errors import ServiceError, StaleEdit

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:homeward:problem:"
# Set on a request whose If-Match header was read: its stale edit is 412, not 409.
IF_MATCH_USED = "_homeward_if_match"


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: dict[str, list[str]] | None = None
    changed_fields: list[str] | None = None
    current_version: int | None = None


class PreconditionRequired(ServiceError):
    status = 428
    title = "Say which version of the record you are changing"


class PreconditionFailed(ServiceError):
    status = 412
    title = StaleEdit.title


class TooManyRequests(ServiceError):
    """429, with ``Retry-After`` in seconds."""

    status = 429
    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


PROBLEM_SLUGS: dict[int, str] = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    409: "stale-edit",
    412: "stale-edit",
    413: "too-large",
    422: "validation-failed",
    428: "precondition-required",
    429: "too-many-requests",
    500: "server-error",
}


def problem(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    title: str | None = None,
    problem_type: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body = Problem(
        type=PROBLEM_TYPE_BASE + (problem_type or PROBLEM_SLUGS.get(status, "error")),
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.path,
        errors=errors,
        **extra,
    )
    response = HttpResponse(
        body.model_dump_json(exclude_none=True),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
