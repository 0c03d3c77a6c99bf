"""The acting user of an API request, and its JSON responses: one record (with its ETag)
or one page of a list."""

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError

from homeward.core.actor import Actor
from homeward.core.problems import JSON_CONTENT_TYPE


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
