"""Making the codes an authenticator app would show, for tests."""

from __future__ import annotations

import base64
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_from_key(key: bytes, steps_ahead: int = 0, step: int = 30) -> str:
    """The code for ``key`` now (or ``steps_ahead`` steps of 30 s later: the server accepts
    one step either side, and never the same step twice)."""
    totp = TOTP(key, step=step)
    totp.time = time.time() + steps_ahead * step
    return f"{totp.token():06d}"


def code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """From the secret as the set-up page shows it: base32 in groups of 4."""
    text = secret.replace(" ", "").upper()
    text += "=" * (-len(text) % 8)
    return code_from_key(base64.b32decode(text), steps_ahead)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return code_from_key(device.bin_key, steps_ahead, device.step)


def give_app(user: object) -> TOTPDevice:
    """A confirmed authenticator app for ``user``."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
