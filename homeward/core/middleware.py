"""Middleware that answers before any view does: no caching of pages about children, and a
plain 413 for a request body too large to read."""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class NoStoreMiddleware:
    """Pages about children must never sit in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response


def upload_limit_text() -> str:
    """DATA_UPLOAD_MAX_MEMORY_SIZE as people say it: "2.5 MB", "20 KB"."""
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    value, unit = next(
        (size / scale, name)
        for scale, name in ((1024**2, "MB"), (1024, "KB"), (1, "bytes"))
        if size >= scale or scale == 1
    )
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django reads it: an unreadable length is no body


def too_large(request: HttpRequest) -> HttpResponse:
    """413: a problem document for the API, a page for the web. Nothing was read or saved."""
    limit = upload_limit_text()
    if request.path.startswith("/api/"):
        from homeward.core.api import problem

        return problem(
            request,
            413,
            f"The request body is larger than {limit}, the most this service reads. "
            "Nothing was saved. Send less: no field needs anything near that much.",
            title="The request is too large",
        )
    return render(request, "errors/413.html", {"limit": limit}, status=413)


# Where a photograph is uploaded (homeward.safeguarding), and the room its form needs.
PHOTO_UPLOAD = re.compile(r"^/(?:api/v1/)?children/\d+/profile/photos$")
UPLOAD_ROOM = 256 * 1024


class RequestSizeMiddleware:
    """A request whose body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` gets a 413 here,
    before anything reads it. Django would otherwise raise RequestDataTooBig wherever the
    body is first read: a 400 page for a form, a 500 inside the API. The one upload, a
    missing profile's photograph, has its own limit (HOMEWARD_PHOTO_MAX_BYTES, and room
    for the form around it): its service says how large a photograph may be."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and PHOTO_UPLOAD.match(request.path_info):
            limit = max(limit, settings.HOMEWARD_PHOTO_MAX_BYTES + UPLOAD_ROOM)
        if limit is not None and declared_length(request) > limit:
            return too_large(request)
        return self.get_response(request)


# When the session signed in (a Unix time): set by Django's user_logged_in signal.
SIGNED_IN_AT_SESSION_KEY = "homeward_signed_in_at"
EXEMPT_FROM_SESSIONS = ("/static/", "/api/")


def stamp_sign_in(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:  # noqa: ARG001
    """Connected to user_logged_in (homeward.core.apps): the start of the session's life."""
    from homeward.core import clock

    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = clock.now().timestamp()


class SessionLifetimeMiddleware:
    """A signed-in session ends ``HOMEWARD_SESSION_MAX_AGE`` seconds after its sign-in,
    however active it has been (inactivity ends it sooner: SESSION_COOKIE_AGE). The next
    page is the sign-in page, saying why. A session with no sign-in time (one from before
    this rule) is ended too. Installed after the message middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(EXEMPT_FROM_SESSIONS):
            return self.get_response(request)
        message = self.ended(request)
        if message:
            from django.contrib import messages
            from django.contrib.auth import logout

            logout(request)
            messages.info(request, message)
        return self.get_response(request)

    @staticmethod
    def ended(request: HttpRequest) -> str:
        """Why this signed-in session has ended, or "" if it has not."""
        from homeward.core import clock

        if not request.user.is_authenticated:
            return ""
        signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
        if not isinstance(signed_in_at, int | float):
            return "Your session has ended. Sign in again to carry on."
        if clock.now().timestamp() - signed_in_at < settings.HOMEWARD_SESSION_MAX_AGE:
            return ""
        hours = settings.HOMEWARD_SESSION_MAX_AGE / 3600
        return (
            f"You have been signed out because you signed in more than {hours:g} "
            f"hour{'s' if hours != 1 else ''} ago. Sign in again to carry on."
        )
