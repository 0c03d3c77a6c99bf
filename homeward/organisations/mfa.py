"""Two-factor sign-in with a time-based code (TOTP, django-otp).

After the password, a user with a confirmed authenticator app enters its 6-digit code; a
user with none, where two-factor is required, sets one up first. ``MfaRequiredMiddleware``
keeps every page but signing in and out, the two-factor pages, /healthz, /static/ and
/api/ (which uses bearer tokens) for sessions that have finished signing in.

``HOMEWARD_MFA_REQUIRED`` (on in production) makes two-factor compulsory. When it is off,
anyone may still set it up, and from then on their sign-ins ask for the code.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set in the session when the password was right and a code is still owed.
CODE_OWED_SESSION_KEY = "homeward_mfa_code_owed"
DEVICE_NAME = "Authenticator app"

EXEMPT_PREFIXES = ("/static/", "/api/", "/set-password/")
EXEMPT_NAMES = (
    "organisations:sign-in",
    "organisations:sign-out",
    "organisations:mfa-verify",
    "organisations:mfa-setup",
    "healthz",
)


def mfa_required() -> bool:
    return bool(getattr(settings, "HOMEWARD_MFA_REQUIRED", False))


def confirmed_device(user: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def needs_code(request: HttpRequest) -> bool:
    """Whether this signed-in session must still show a code (or set up an app) before it
    may see anything."""
    if not request.user.is_authenticated or is_verified(request):
        return False
    return mfa_required() or bool(request.session.get(CODE_OWED_SESSION_KEY))


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def with_next(url: str, next_url: str) -> str:
    return f"{url}?next={quote(next_url)}" if next_url else url


def next_step_url(request: HttpRequest, next_url: str) -> str:
    """Where a session that has just given its password goes: the code page, the set-up
    page, or on to where it was going."""
    device = confirmed_device(request.user)
    if device is not None:
        return with_next(reverse("organisations:mfa-verify"), next_url)
    if mfa_required():
        return with_next(reverse("organisations:mfa-setup"), next_url)
    return next_url or reverse(settings.LOGIN_REDIRECT_URL)


class MfaRequiredMiddleware:
    """Sends a session that still owes its code to the code page (or, with no app set up,
    to set one up). Installed after django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt_paths: frozenset[str] | None = None

    def exempt(self, path: str) -> bool:
        if path.startswith(EXEMPT_PREFIXES):
            return True
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in EXEMPT_NAMES)
        return path in self._exempt_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.exempt(request.path_info) and needs_code(request):
            next_url = request.get_full_path() if request.method == "GET" else ""
            return HttpResponseRedirect(next_step_url(request, next_url))
        return self.get_response(request)


# --- setting up an authenticator app -----------------------------------------------------


def pending_device(user: object) -> TOTPDevice:
    """The unconfirmed app being set up: the same secret on every visit until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of 4."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The app's set-up link as a QR code: an SVG in a data: URI (the Content Security
    Policy allows data: images; nothing inline runs)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
