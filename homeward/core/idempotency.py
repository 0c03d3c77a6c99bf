"""Idempotency-Key for POSTs that create or change something.

A client that did not hear the answer to a POST may send it again with the same
``Idempotency-Key``: it gets the first answer back (same status, body, ETag and Location,
plus ``Idempotent-Replayed: true``) and nothing is created twice. The same key with a
different request is refused with a 422 problem. Keys belong to the user who sent them.

The key is stored in the same transaction as the change, so either both are saved or
neither is. Only successful (2xx) answers are stored: a refused request changed nothing,
so sending it again, corrected, under the same key is allowed.

A stored answer holds what the response held, personal data included, so it is kept only
as long as a retry is plausible: KEY_LIFETIME (24 hours). The worker deletes expired keys
every minute or so (``prune_expired``, from its sweep), and a request that finds its own key
expired deletes it and uses the key afresh.

Usage, under the route decorator::

    @router.post("/things", response={201: ThingOut})
    @idempotent
    def create_thing(request, payload: ThingIn) -> HttpResponse:
        ...
        return respond(ThingOut(...), 201)

``@idempotent(atomic=False)`` is for a view whose service records audited reads or
attempted accesses (an emergency look-up), which must stay in the audit log even when the
request is refused, and so cannot run inside a transaction that a refusal rolls back
(``homeward.audit.services.record_access`` refuses to). There the key is reserved first,
in a transaction of its own (a concurrent retry with it gets a 409 and changes nothing),
the view runs with its service keeping its own transactions, and the answer is stored
afterwards; a refused request releases the key. A crash between the change and storing its
answer leaves the key reserved until it expires, answering 409, rather than repeating the
change.

This is presentation: it wraps API views (``homeward.*.api``) and answers HTTP, and it
imports nothing of the domain, only the API's plumbing in ``homeward.core``. No domain
module may import it (the "No domain module imports presentation" contract).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from homeward.core import clock
from homeward.core.api import JSON_CONTENT_TYPE, actor_of
from homeward.core.errors import ServiceError, ValidationFailed
from homeward.core.models import IdempotencyKey

if TYPE_CHECKING:  # annotations only: the key belongs to the user who sent it
    from homeward.organisations.models import User

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
KEY_LIFETIME = timedelta(hours=24)
# Headers that are part of the result and must come back with a replay.
KEPT_HEADERS = ("ETag", "Location")
# The status of a reserved key whose request is still being handled (atomic=False).
IN_PROGRESS = 0

View = TypeVar("View", bound=Callable[..., HttpResponse])


class _LostRace(Exception):
    """Another request with the same key committed first."""


class KeyInUse(ServiceError):
    status = 409
    title = "This Idempotency-Key is in use"
    problem_type = "idempotency-key-in-use"


STILL_HANDLED = (
    "Another request with this Idempotency-Key is still being handled. "
    "Nothing was changed by this one; send it again in a moment."
)


def prune_expired() -> int:
    """Delete stored answers older than KEY_LIFETIME; returns how many."""
    cutoff = clock.now() - KEY_LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _stored(user: User, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, key=key).first()


def _live(user: User, key: str) -> IdempotencyKey | None:
    """The stored answer for this key, unless it has expired: an expired one is deleted
    (it holds what the response held) and the key is free again."""
    stored = _stored(user, key)
    if stored is not None and _expired(stored):
        stored.delete()
        return None
    return stored


def _expired(stored: IdempotencyKey) -> bool:
    return stored.created_at < clock.now() - KEY_LIFETIME


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
    if stored.status_code == IN_PROGRESS:
        raise KeyInUse(STILL_HANDLED)
    response = HttpResponse(
        json.dumps(stored.response_body),
        status=stored.status_code,
        content_type=JSON_CONTENT_TYPE,
    )
    for name, value in stored.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _kept_headers(response: HttpResponse) -> dict[str, str]:
    return {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}


@overload
def idempotent(view: View, *, atomic: bool = True) -> View: ...
@overload
def idempotent(*, atomic: bool = True) -> Callable[[View], View]: ...
def idempotent(view: View | None = None, *, atomic: bool = True) -> Any:
    """Make a ninja view honour Idempotency-Key. The view must return an HttpResponse.
    With ``atomic=False`` the view does not run inside the wrapper's transaction (see the
    module's note)."""
    if view is None:
        return lambda given: idempotent(given, atomic=atomic)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.headers.get(HEADER)
        if raw is None:
            return view(request, *args, **kwargs)
        user = actor_of(request).user
        assert user is not None
        keyed = _Keyed(
            view=view,
            request=request,
            args=args,
            kwargs=kwargs,
            user=user,
            key=_valid_key(raw.strip()),
            method_path=f"{request.method} {request.path}"[:200],
            fingerprint=_fingerprint(request),
        )
        return keyed.atomic() if atomic else keyed.reserved()

    wrapper.idempotent = True  # type: ignore[attr-defined]  # read by the OpenAPI schema
    return wrapper


@dataclass(frozen=True)
class _Keyed:
    """One request sent with an Idempotency-Key: the view it calls, and what the key is
    checked against."""

    view: Callable[..., HttpResponse]
    request: HttpRequest
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    user: User
    key: str
    method_path: str
    fingerprint: str

    def run(self) -> HttpResponse:
        return self.view(self.request, *self.args, **self.kwargs)

    def replay(self, stored: IdempotencyKey) -> HttpResponse:
        return _replay(stored, self.fingerprint, self.method_path)

    def store(self, response: HttpResponse) -> None:
        IdempotencyKey.objects.create(
            user=self.user,
            key=self.key,
            method_path=self.method_path,
            request_hash=self.fingerprint,
            status_code=response.status_code,
            response_body=json.loads(response.content),
            response_headers=_kept_headers(response),
        )

    def atomic(self) -> HttpResponse:
        """The view and its stored answer in one transaction: both are saved or neither.

        The key is not looked up first: the request runs, and its answer's insert meets
        the key's unique constraint if the key was used before (a retry, or a race). Then
        the whole block is rolled back, so the retry changed nothing, and the first answer
        is replayed. A refused request looks the key up too, since a retry of one that
        succeeded may now be refused (the child is already missing). So a first request
        costs only the insert, and only a retry pays for the look-up."""
        try:
            with transaction.atomic():
                response = self.run()
                if 200 <= response.status_code < 300:
                    try:
                        # No savepoint of its own: a clash rolls back this whole block, the
                        # request's change with it, which is what a retry must do.
                        self.store(response)
                    except IntegrityError:
                        raise _LostRace from None
        except _LostRace:
            return self.answer_of_used_key()
        except ServiceError:
            stored = _live(self.user, self.key)
            if stored is None:
                raise
            return self.replay(stored)
        if response.status_code >= 300:
            stored = _live(self.user, self.key)
            if stored is not None:
                return self.replay(stored)
        return response

    def answer_of_used_key(self) -> HttpResponse:
        """The key was taken when this request came to store its answer (its change has
        been rolled back): replay the answer stored under it, or, if that has expired,
        delete it and handle the request afresh."""
        stored = _stored(self.user, self.key)
        if stored is None:  # pragma: no cover - the winner's row is committed by now
            raise KeyInUse(STILL_HANDLED)
        if _expired(stored):
            stored.delete()
            return self.atomic()
        return self.replay(stored)

    def reserved(self) -> HttpResponse:
        """Reserve the key, run the view outside any transaction of ours, then store its
        answer (or, if it was refused, release the key)."""
        stored = _live(self.user, self.key)
        if stored is not None:
            return self.replay(stored)
        try:
            with transaction.atomic():
                reservation = IdempotencyKey.objects.create(
                    user=self.user,
                    key=self.key,
                    method_path=self.method_path,
                    request_hash=self.fingerprint,
                    status_code=IN_PROGRESS,
                    response_body={},
                )
        except IntegrityError:
            stored = _stored(self.user, self.key)
            if stored is None:  # pragma: no cover - released between the insert and the read
                raise KeyInUse(
                    "Another request with this Idempotency-Key was being handled. "
                    "Nothing was changed by this one; send it again."
                ) from None
            return self.replay(stored)
        try:
            response = self.run()
        except BaseException:
            IdempotencyKey.objects.filter(pk=reservation.pk).delete()
            raise
        if 200 <= response.status_code < 300:
            IdempotencyKey.objects.filter(pk=reservation.pk).update(
                status_code=response.status_code,
                response_body=json.loads(response.content),
                response_headers=_kept_headers(response),
            )
        else:
            IdempotencyKey.objects.filter(pk=reservation.pk).delete()
        return response
