"""Idempotency-Key for POSTs that create or change something.

A client that did not hear the answer to a POST may send it again with the same
``Idempotency-Key``: it gets the first answer back (same status, body, ETag and Location,
plus ``Idempotent-Replayed: true``) and nothing is created twice. The same key with a
different request is refused with a 422 problem. Keys belong to the user who sent them.

The key is stored in the same transaction as the change, so either both are saved or
neither is. Only successful (2xx) answers are stored: a refused request changed nothing,
so sending it again, corrected, under the same key is allowed.

A stored answer holds what the response held, personal data included, so it is kept only
as long as a retry is plausible: KEY_LIFETIME (24 hours). Expired keys are deleted as new
keyed requests arrive, and an expired key may be used afresh.

Usage, under the route decorator::

    @router.post("/things", response={201: ThingOut})
    @idempotent
    def create_thing(request, payload: ThingIn) -> HttpResponse:
        ...
        return respond(ThingOut(...), 201)
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from homeward.core.api import JSON_CONTENT_TYPE, actor_of
from homeward.core.errors import ServiceError, ValidationFailed
from homeward.core.models import IdempotencyKey
from homeward.organisations.models import User

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
KEY_LIFETIME = timedelta(hours=24)
# Headers that are part of the result and must come back with a replay.
KEPT_HEADERS = ("ETag", "Location")

View = TypeVar("View", bound=Callable[..., HttpResponse])


class _LostRace(Exception):
    """Another request with the same key committed first."""


class KeyInUse(ServiceError):
    status = 409
    title = "This Idempotency-Key is in use"
    problem_type = "idempotency-key-in-use"


def prune_expired() -> int:
    """Delete stored answers older than KEY_LIFETIME; returns how many."""
    cutoff = timezone.now() - KEY_LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _stored(user: User, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, key=key).first()


def _fingerprint(request: HttpRequest) -> str:
    try:
        body: Any = json.loads(request.body) if request.body else None
    except ValueError:  # pragma: no cover - ninja refuses malformed JSON before the view
        body = request.body.decode("utf-8", "replace")
    canonical = json.dumps(
        {
            "method": request.method,
            "path": request.path,
            "if_match": request.headers.get("If-Match", ""),
            "body": body,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _valid_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not all(" " <= ch <= "~" for ch in key):
        raise ValidationFailed(
            {HEADER: f"Send up to {MAX_KEY_LENGTH} printable ASCII characters, e.g. a UUID"}
        )
    return key


def _replay(stored: IdempotencyKey, fingerprint: str, method_path: str) -> HttpResponse:
    if stored.request_hash != fingerprint or stored.method_path != method_path:
        raise ValidationFailed(
            {HEADER: "This key was already used for a different request: use a new key"},
            "This Idempotency-Key was already used for a different request. "
            "Nothing was changed; send the request again with a new key.",
        )
    response = HttpResponse(
        json.dumps(stored.response_body),
        status=stored.status_code,
        content_type=JSON_CONTENT_TYPE,
    )
    for name, value in stored.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent(view: View) -> View:
    """Make a ninja view honour Idempotency-Key. The view must return an HttpResponse."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.headers.get(HEADER)
        if raw is None:
            return view(request, *args, **kwargs)
        key = _valid_key(raw.strip())
        user = actor_of(request).user
        assert user is not None
        method_path = f"{request.method} {request.path}"[:200]
        fingerprint = _fingerprint(request)

        prune_expired()
        stored = _stored(user, key)
        if stored is not None:
            return _replay(stored, fingerprint, method_path)
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    try:
                        with transaction.atomic():
                            IdempotencyKey.objects.create(
                                user=user,
                                key=key,
                                method_path=method_path,
                                request_hash=fingerprint,
                                status_code=response.status_code,
                                response_body=json.loads(response.content),
                                response_headers={
                                    name: response[name]
                                    for name in KEPT_HEADERS
                                    if response.has_header(name)
                                },
                            )
                    except IntegrityError:
                        # Undo this request's change too: the first one stands.
                        raise _LostRace from None
        except _LostRace:
            stored = _stored(user, key)
            if stored is None:  # pragma: no cover - the winner's row is committed by now
                raise KeyInUse(
                    "Another request with this Idempotency-Key is still being handled. "
                    "Nothing was changed by this one; send it again in a moment."
                ) from None
            return _replay(stored, fingerprint, method_path)
        return response

    wrapper.idempotent = True  # type: ignore[attr-defined]  # read by the OpenAPI schema
    return wrapper  # type: ignore[return-value]
