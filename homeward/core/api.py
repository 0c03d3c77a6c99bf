"""What every API endpoint shares: RFC 9457 problem documents, the acting user, optimistic
concurrency (If-Match or a body ``version``), JSON responses with their ETag, and the
OpenAPI additions that describe all of these once rather than per endpoint. Here are the
handlers that turn each exception into a problem document, and the API object; the rest
lives in homeward.core.problems, .responses, .concurrency and .openapi, and every name is
here too, so endpoints import ``homeward.core.api`` as before."""

import logging
from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.types import DictStrAny

from homeward.core.concurrency import EpisodeIfMatch, InterviewIfMatch, expected_version
from homeward.core.errors import ServiceError, StaleEdit, ValidationFailed
from homeward.core.openapi import IDEMPOTENCY_KEY_PARAMETER, HomewardOpenAPISchema
from homeward.core.problems import (
    IF_MATCH_USED,
    JSON_CONTENT_TYPE,
    PROBLEM_MEDIA_TYPE,
    PROBLEM_SLUGS,
    PROBLEM_TYPE_BASE,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    TooManyRequests,
    problem,
)
from homeward.core.responses import Paging, Versioned, actor_of, respond, respond_page

logger = logging.getLogger(__name__)


# --- the error handlers: each exception as a problem document ----------------------------


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "first_name") -> "first_name"; ("query", "page") -> "page"."""
    parts = [str(p) for p in loc]
    if not parts:
        return "body"
    source, rest = parts[0], parts[1:]
    if source == "body":
        # ninja puts the view's body parameter name second; the client never sees it.
        rest = rest[1:]
        return ".".join(rest) or "body"
    return ".".join(rest) or source


_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


_FRIENDLY = {
    "missing": "This field is required",
    "extra_forbidden": "This field is not recognised",
    "timezone_aware": "Include a UTC offset, e.g. 2026-03-01T18:30:00Z or +01:00",
    "model_attributes_type": "Send a JSON object",
    "dict_type": "Send a JSON object",
}


def _message(error: DictStrAny) -> str:
    friendly = _FRIENDLY.get(str(error.get("type")))
    if friendly:
        return friendly
    msg = str(error.get("msg", "Invalid value"))
    for prefix in _PYDANTIC_PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg


def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    status = exc.status
    extra: dict[str, Any] = {}
    errors = None
    if isinstance(exc, StaleEdit):
        status = 412 if getattr(request, IF_MATCH_USED, False) else 409
        extra = {"changed_fields": exc.changed_fields, "current_version": exc.current_version}
    if isinstance(exc, ValidationFailed):
        errors = exc.errors
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return problem(
        request,
        status,
        exc.message,
        title=exc.title,
        problem_type=getattr(exc, "problem_type", None),
        errors=errors,
        headers=headers,
        **extra,
    )


def _request_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = error.get("loc", ())
        if loc and loc[0] == "path":
            # A malformed id or reference names no record: that is "not found".
            return problem(request, 404, "No record was found.", title="Not found")
        errors.setdefault(_field_name(loc), []).append(_message(error))
    first_field, messages = next(iter(errors.items()))
    return problem(
        request,
        422,
        f"{first_field}: {messages[0]}",
        title=ValidationFailed.title,
        errors=errors,
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        sent = bool(request.headers.get("Authorization"))
        challenge = 'Bearer realm="homeward"' + (', error="invalid_token"' if sent else "")
        detail = (
            "The bearer token is not valid: it may be wrong, expired or revoked."
            if sent
            else "Send a bearer token in the Authorization header."
        )
        return problem(
            request,
            401,
            detail,
            title="Authentication required",
            headers={"WWW-Authenticate": challenge},
        )
    if exc.status_code == 400:
        return problem(
            request,
            400,
            "The request body is not valid JSON.",
            title="The request could not be read",
            errors={"body": ["The request body is not valid JSON"]},
        )
    return problem(request, exc.status_code, str(exc))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:  # noqa: ARG001
    return problem(request, 404, "No record was found.", title="Not found")


def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:  # noqa: ARG001
    # RequestSizeMiddleware answers first when the length is declared; this is the rest.
    from homeward.core.middleware import too_large

    return too_large(request)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:  # noqa: ARG001
    logger.exception("Unhandled error in API request %s %s", request.method, request.path)
    return problem(
        request,
        500,
        "Something went wrong on our side. Try again; if it keeps happening, tell the "
        "service desk the time of the request.",
        title="Something went wrong",
    )


# --- the API object ---------------------------------------------------------------------


class HomewardAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return HomewardOpenAPISchema(api=self, path_prefix=path_prefix)

    def set_default_exception_handlers(self) -> None:
        handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
            (Exception, _unexpected),
            (Http404, _not_found),
            (RequestDataTooBig, _too_large),
            (HttpError, _http_error),
            (NinjaValidationError, _request_validation_error),
            (ServiceError, _service_error),
        ]
        for exc_class, handler in handlers:
            # ninja types handlers as taking the exception or its class; ours get instances.
            self.add_exception_handler(exc_class, cast(Any, handler))


__all__ = [
    "IDEMPOTENCY_KEY_PARAMETER",
    "IF_MATCH_USED",
    "JSON_CONTENT_TYPE",
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_SLUGS",
    "PROBLEM_TYPE_BASE",
    "EpisodeIfMatch",
    "HomewardAPI",
    "HomewardOpenAPISchema",
    "InterviewIfMatch",
    "Paging",
    "PreconditionFailed",
    "PreconditionRequired",
    "Problem",
    "TooManyRequests",
    "Versioned",
    "actor_of",
    "expected_version",
    "problem",
    "respond",
    "respond_page",
]
