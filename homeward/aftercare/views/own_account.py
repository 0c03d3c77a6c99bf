"""The worker's pages for the child's own account: give the child a link (shown once,
with a QR code), revoke it, and record that the child withdrew their consent.

Thin: each POST goes to homeward.aftercare.services.own_accounts; the pages are reads of
the interview (audited by read_interview)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from homeward.aftercare import services
from homeward.aftercare.forms import OwnAccountLinkForm, WithdrawConsentForm
from homeward.aftercare.services import own_accounts
from homeward.core.errors import StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view


def link_url(token: str) -> str:
    """The link the child is given: the service's address and the token, nothing else."""
    path = reverse("own_account:open", kwargs={"token": token})
    return settings.HOMEWARD_BASE_URL.rstrip("/") + path


def qr_code(url: str) -> str:
    """The link as a QR code, an SVG in a data: URI (the Content Security Policy allows
    data: images)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@web_view
@require_http_methods(["GET", "POST"])
def give_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose how long the link works; the answer to the POST shows the link, once."""
    actor = actor_of(request)
    form = OwnAccountLinkForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            issued = own_accounts.issue_link(actor, pk, days=form.cleaned_data["days"])
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            interview = services.read_interview(actor, pk)
            url = link_url(issued.token)
            return _private(
                render(
                    request,
                    "aftercare/own_account/link_given.html",
                    {"interview": interview, "link": issued.link, "url": url, "qr": qr_code(url)},
                )
            )
    interview = services.read_interview(actor, pk)
    state = own_accounts.own_account_state(actor, interview)
    if not state.offer.allowed:
        raise PermissionDenied
    if state.offer.reason:
        messages.info(request, state.offer.reason)
        return redirect("aftercare:interview", pk=pk)
    return render(
        request,
        "aftercare/own_account/give_link.html",
        {"interview": interview, "form": form, "state": state},
    )


@web_view
@require_http_methods(["POST"])
def revoke_link(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        own_accounts.revoke_link(actor, pk)
    except ValidationFailed as exc:
        messages.info(request, next(iter(exc.errors.values()))[0])
    else:
        messages.success(request, "The link has been revoked: it no longer opens")
    return redirect("aftercare:interview", pk=pk)


@web_view
@require_http_methods(["GET", "POST"])
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = WithdrawConsentForm(request.POST if request.method == "POST" else None)
    stale_message = ""
    if form.is_bound and form.is_valid():
        try:
            own_accounts.withdraw_consent(
                actor,
                pk,
                method=form.cleaned_data["method"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        except StaleEdit as exc:
            stale_message = exc.message
        else:
            messages.success(
                request,
                "The child's consent has been withdrawn: their words have been deleted and "
                "are no longer used anywhere",
            )
            return redirect("aftercare:interview", pk=pk)
    interview = services.read_interview(actor, pk)
    state = own_accounts.own_account_state(actor, interview)
    if not state.withdraw.allowed:
        raise PermissionDenied
    if state.withdraw.reason:
        messages.info(request, state.withdraw.reason)
        return redirect("aftercare:interview", pk=pk)
    if not form.is_bound and state.account is not None:
        form = WithdrawConsentForm(initial={"version": state.account.version})
    return render(
        request,
        "aftercare/own_account/withdraw.html",
        {
            "interview": interview,
            "form": form,
            "state": state,
            "stale_message": stale_message,
            "page_errors": bool(stale_message),
        },
    )
