"""A token to report against a record the actor may not see.

A search that finds a likely match the actor may not see (search.py) gives them, in place
of the record's id, a token: signed (django.core.signing, so it cannot be forged or
changed), bound to the user and the membership they searched in, valid for an hour
(``MAX_AGE``, by homeward.core.clock). Redeeming it gives the record's id back to the
service that reports against that record. The token says nothing of the child: the
record's id in it is enciphered (XOR with a keyed HMAC of a random nonce), so decoding the
signed value shows no id either."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.utils.crypto import salted_hmac

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed

MAX_AGE = timedelta(hours=1)
SALT = "homeward.linkage.report-against"
INVALID = "This match has expired or is not valid: search for the child again"
NOT_YOURS = "This match was found by someone else: search for the child again"


def _holder(actor: Actor) -> tuple[int, int]:
    if actor.user is None or actor.membership is None:
        raise AccessDenied("Only a user acting for an organisation can report against a record.")
    return actor.user.pk, actor.membership.pk


def _pad(nonce: str) -> int:
    return int.from_bytes(salted_hmac(SALT, nonce, algorithm="sha256").digest()[:8], "big")


def issue(actor: Actor, child_id: int) -> str:
    """A token for ``child_id``, for this user in this membership, for ``MAX_AGE``."""
    user, membership = _holder(actor)
    issued = int(clock.now().timestamp())
    nonce = secrets.token_hex(8)
    hidden = int(child_id) ^ _pad(nonce)
    return signing.dumps(
        {"n": nonce, "c": hidden, "u": user, "m": membership, "t": issued}, salt=SALT
    )


def redeem(actor: Actor, token: str) -> int:
    """The record's id. ValidationFailed (field ``token``) when the token is forged,
    changed or expired; AccessDenied when it was issued to another user or membership."""
    user, membership = _holder(actor)
    try:
        payload = signing.loads(token, salt=SALT)
        child = int(payload["c"]) ^ _pad(str(payload["n"]))
        issued = int(payload["t"])
        holder = (int(payload["u"]), int(payload["m"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationFailed({"token": INVALID}) from None
    age = clock.now().timestamp() - issued
    if age > MAX_AGE.total_seconds() or age < -60:
        raise ValidationFailed({"token": INVALID})
    if holder != (user, membership):
        raise AccessDenied(NOT_YOURS)
    return child
