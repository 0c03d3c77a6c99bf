"""Middleware that answers before any view does: no caching of pages about children, and a
plain 413 for a request body too large to read."""

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
    """DATA_UPLOAD_MAX_MEMORY_SIZE as people say it: "2.5 MB"."""
    megabytes = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / (1024 * 1024)
    return f"{megabytes:.1f}".removesuffix(".0") + " MB"


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


class RequestSizeMiddleware:
    """A request whose body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` gets a 413 here,
    before anything reads it. Django would otherwise raise RequestDataTooBig wherever the
    body is first read: a 400 page for a form, a 500 inside the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and declared_length(request) > limit:
            return too_large(request)
        return self.get_response(request)
