"""The child's pages: the private link, and the one form it opens.

The child is never a user. ``open_link`` takes the token from the address, and if the
link still works swaps it for a signed cookie that lasts a couple of hours and is sent
only to these pages, then sends the browser to an address without the token (so it is
not left in the history or sent on in a Referer). ``account_form`` reads the cookie and
draws the form; sending it uses the link up. A wrong, expired, used or revoked link, or a
missing cookie, all get the same page, which names nothing. Every answer carries
``no-store``, ``noindex`` and a referrer policy (``no-referrer`` while the token is in
the address, ``same-origin`` after); too many tries get a plain 429 page
(django-ratelimit, counted in the shared database cache). docs/own-account.md."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from homeward.aftercare.forms import OwnAccountForm
from homeward.aftercare.services import own_accounts
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.inputs import service_input
from homeward.organisations.lockout import client_address

COOKIE = "homeward_own_account"
COOKIE_PATH = "/your-account/"
_COOKIE_SALT = "homeward.aftercare.own_account_cookie"


def _address(group: str, request: HttpRequest) -> str:  # noqa: ARG001
    return client_address(request) or "unknown"


def _per_link(link_id: int) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: f"link:{link_id}"


def _limited(
    request: HttpRequest,
    group: str,
    rate: str,
    *,
    key: Callable[[str, HttpRequest], str] = _address,
    count: bool = True,
) -> bool:
    """Over the limit: with ``count``, this request is counted first (the limit's next
    request is refused); without, whether the limit is already reached."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=count)
    if usage is None:
        return False
    if count:
        return bool(usage["should_limit"])
    return bool(usage["should_limit"]) or usage["count"] >= usage["limit"]


def _private(response: HttpResponse, referrer: str = "same-origin") -> HttpResponse:
    """Never cached, never indexed, and no address sent to another site. The answer to
    the address with the token says ``no-referrer``; the pages after it (their address
    holds nothing) say ``same-origin``, since with ``no-referrer`` the browser sends its
    form with ``Origin: null``, which the CSRF check rightly refuses."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    return _private(render(request, template, context, status=status))


def _too_many(request: HttpRequest) -> HttpResponse:
    return _page(request, "aftercare/own_account/child_too_many.html", {}, status=429)


def _ended(request: HttpRequest) -> HttpResponse:
    """The one page for every link that does not open, whatever the reason."""
    response = render(request, "aftercare/own_account/child_ended.html", {}, status=404)
    _private(response, "no-referrer")
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


def _address_limited(request: HttpRequest) -> bool:
    return _limited(request, "own_account_address", settings.HOMEWARD_OWN_ACCOUNT_ADDRESS_RATE)


@require_http_methods(["GET"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    bad_rate = settings.HOMEWARD_OWN_ACCOUNT_BAD_LINK_RATE
    if _address_limited(request) or _limited(request, "own_account_bad", bad_rate, count=False):
        return _private(_too_many(request), "no-referrer")
    link = own_accounts.open_link(token)
    if link is None:
        _limited(request, "own_account_bad", bad_rate)
        return _ended(request)
    response = redirect("own_account:form")
    response.set_signed_cookie(
        COOKIE,
        str(link.pk),
        salt=_COOKIE_SALT,
        max_age=settings.HOMEWARD_OWN_ACCOUNT_COOKIE_SECONDS,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return _private(response, "no-referrer")


def _link_of(request: HttpRequest) -> object:
    try:
        return request.get_signed_cookie(
            COOKIE, salt=_COOKIE_SALT, max_age=settings.HOMEWARD_OWN_ACCOUNT_COOKIE_SECONDS
        )
    except (KeyError, signing.BadSignature):
        return None


@require_http_methods(["GET", "POST"])
def account_form(request: HttpRequest) -> HttpResponse:
    if _address_limited(request):
        return _too_many(request)
    link = own_accounts.link_in_use(_link_of(request))
    if link is None:
        return _ended(request)
    form = OwnAccountForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        if _limited(
            request,
            "own_account_post",
            settings.HOMEWARD_OWN_ACCOUNT_POST_RATE,
            key=_per_link(link.pk),
        ):
            return _too_many(request)
        if form.is_valid():
            try:
                own_accounts.give_account(
                    link.pk, service_input(own_accounts.AccountAnswer, form.cleaned_data)
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors)
            except NotFound:
                return _ended(request)
            else:
                sharing = form.cleaned_data["sharing"]
                response = _page(
                    request, "aftercare/own_account/child_thanks.html", {"sharing": sharing}
                )
                response.delete_cookie(COOKIE, path=COOKIE_PATH)
                return response
    return _page(
        request,
        "aftercare/own_account/child_form.html",
        {"form": form, "expires_at": link.expires_at},
    )
