"""What every API endpoint shares: RFC 9457 problem documents, the acting user, optimistic
concurrency (If-Match or a body ``version``), JSON responses with their ETag, and the
OpenAPI additions that describe all of these once rather than per endpoint."""

import logging
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any, ClassVar, Protocol, cast

from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.params.functions import Header
from ninja.types import DictStrAny

from homeward.core.actor import Actor
from homeward.core.errors import ServiceError, StaleEdit, ValidationFailed

logger = logging.getLogger(__name__)

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:homeward:problem:"
IF_MATCH_USED = "_homeward_if_match"


# --- problems ---------------------------------------------------------------------------


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


# --- the acting user and responses -----------------------------------------------------


def actor_of(request: HttpRequest) -> Actor:
    """The Actor the bearer token authenticated (see homeward.organisations.api)."""
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # pragma: no cover - every operation needs auth
        raise AuthenticationError()
    return actor


class Versioned(Schema):
    """A response schema for one versioned record: responses carry ``ETag: "<version>"``."""

    etag: ClassVar[bool] = True
    version: int


def respond(body: Schema, status: int = 200, *, location: str | None = None) -> HttpResponse:
    response = HttpResponse(body.model_dump_json(), status=status, content_type=JSON_CONTENT_TYPE)
    if isinstance(body, Versioned):
        response["ETag"] = f'"{body.version}"'
    if location:
        response["Location"] = location
    return response


class Paging(Protocol):
    page: int
    page_size: int


def respond_page(
    queryset: QuerySet[Any],
    paging: Paging,
    page_schema: Callable[..., Schema],
    build: Callable[[Any], Schema],
    *,
    audit: Callable[[list[Any]], None] | None = None,
    **extra: Any,
) -> HttpResponse:
    """One page of ``queryset`` as ``page_schema`` (count, page, page_size, items), each
    row built by ``build``; ``audit`` is given the rows shown (the reads of children)."""
    start = (paging.page - 1) * paging.page_size
    rows = list(queryset[start : start + paging.page_size])
    if audit is not None:
        audit(rows)
    return respond(
        page_schema(
            count=queryset.count(),
            page=paging.page,
            page_size=paging.page_size,
            items=[build(row) for row in rows],
            **extra,
        )
    )


# --- optimistic concurrency -------------------------------------------------------------

_ETAG = re.compile(r'^(?:W/)?"(\d{1,10})"$')


def _if_match(noun: str) -> Any:
    return Header(
        alias="If-Match",
        description=f'The ETag you last received for the {noun}, e.g. "3". '
        "Or send the version in the body.",
    )


# The optional If-Match header of an endpoint that changes an episode or an interview.
EpisodeIfMatch = Annotated[str | None, _if_match("episode")]
InterviewIfMatch = Annotated[str | None, _if_match("interview")]


def expected_version(
    request: HttpRequest,
    if_match: str | None,
    body_version: int | None,
    noun: str = "episode",
) -> int:
    """The version of the ``noun`` the client last saw: from If-Match (a stale one gives
    412) or from the body's ``version`` (a stale one gives 409). Neither gives 428."""
    if if_match is not None and if_match.strip():
        value = if_match.strip()
        if value == "*":
            raise PreconditionRequired(
                f"If-Match: * does not say which version you saw. Send the {noun}'s ETag."
            )
        tags = [tag.strip() for tag in value.split(",")]
        if len(tags) != 1:
            raise ValidationFailed({"If-Match": "Send the one ETag you last received"})
        match = _ETAG.match(tags[0])
        if match is None:
            setattr(request, IF_MATCH_USED, True)
            raise PreconditionFailed(
                f'If-Match does not match this {noun}\'s ETag, which looks like "3". '
                f"Fetch the {noun} again and use the ETag it returns."
            )
        version = int(match.group(1))
        if body_version is not None and body_version != version:
            raise ValidationFailed({"version": "The version does not match the If-Match header"})
        setattr(request, IF_MATCH_USED, True)
        return version
    if body_version is not None:
        return body_version
    raise PreconditionRequired(
        f"Say which version of the {noun} you are changing: send the ETag you received "
        f'in an If-Match header, or the {noun}\'s version in the body as "version".'
    )


# --- the API object and its OpenAPI document ----------------------------------------------


def _problem_response(description: str) -> DictStrAny:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


IDEMPOTENCY_KEY_PARAMETER: DictStrAny = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": (
        "A unique value (up to 200 printable characters) for this request. A retry with "
        "the same key and the same body returns the first result and changes nothing; "
        "the same key with a different body is refused with 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


class HomewardOpenAPISchema(OpenAPISchema):
    """Adds what ninja does not infer: problem responses, the Idempotency-Key header and
    the ETag response header."""

    def operation_details(self, operation: Operation) -> DictStrAny:
        result = super().operation_details(operation)
        self.schemas.setdefault("Problem", Problem.model_json_schema())
        responses: dict[Any, DictStrAny] = result["responses"]

        for status, model in operation.response_models.items():
            annotation = getattr(model, "model_fields", {}).get("response")
            kind = getattr(annotation, "annotation", None)
            if isinstance(kind, type) and issubclass(kind, Versioned) and status in responses:
                responses[status]["headers"] = {
                    "ETag": {
                        "description": 'The version of the record, quoted: "3". Send it '
                        "back in If-Match to change the record.",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                }

        parameters = result.setdefault("parameters", [])
        if getattr(operation.view_func, "idempotent", False):
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        versioned = any(
            p.get("in") == "header" and p.get("name", "").lower() == "if-match" for p in parameters
        )

        wanted = {
            401: "No valid bearer token",
            403: "Your role does not allow this",
            404: "Not found, or not yours to see",
            422: "Validation failed: `errors` names each field",
            429: "Too many requests with a wrong token from your address: wait for "
            "`Retry-After` seconds",
            500: "Unexpected error",
        }
        if "requestBody" in result:
            wanted[400] = "The body is not valid JSON"
            wanted[413] = "The body is larger than the service reads"
        if versioned:
            wanted[409] = "Stale edit: the body's version is not the current one"
            wanted[412] = "Stale edit: If-Match is not the current ETag"
            wanted[428] = "Neither If-Match nor a version was sent"
        if getattr(operation.view_func, "idempotent", False):
            in_use = "Another request with this Idempotency-Key is still being handled"
            wanted[409] = f"{wanted[409]}; or: {in_use}" if 409 in wanted else in_use
        for status, description in sorted(wanted.items()):
            responses.setdefault(status, _problem_response(description))
        responses[429]["headers"] = {
            "Retry-After": {
                "description": "Seconds until a token from your address is read again",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        }
        return result


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
    "HomewardAPI",
    "PreconditionFailed",
    "PreconditionRequired",
    "Problem",
    "TooManyRequests",
    "Versioned",
    "actor_of",
    "expected_version",
    "problem",
    "respond",
]
