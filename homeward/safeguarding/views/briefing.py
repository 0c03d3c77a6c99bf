"""Pages: the police briefing sheet (a printable page and a one-page PDF) and the public
appeal (agree, withdraw, and its public version), with their part of the episode page."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.episodes.models import Episode
from homeward.safeguarding.forms.briefing import AgreeAppealForm, WithdrawAppealForm
from homeward.safeguarding.models.profiles import APPEAL_FIELDS
from homeward.safeguarding.services import appeals, briefing
from homeward.safeguarding.views.briefing_pdf import appeal_pdf, appeal_rows, briefing_pdf

TEMPLATES = "safeguarding/briefing"


def _data_uri(data: bytes | None, content_type: str = "image/jpeg") -> str:
    """A photograph drawn inside the page itself: never at an address of its own."""
    if not data:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _pdf(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@web_view
@require_http_methods(["GET"])
def sheet(request: HttpRequest, reference: str) -> HttpResponse:
    b = briefing.read_briefing(actor_of(request), reference)
    photo = _data_uri(b.photo_bytes(), b.photo.content_type if b.photo else "image/jpeg")
    return render(request, f"{TEMPLATES}/sheet.html", {"b": b, "photo": photo})


@web_view
@require_http_methods(["GET"])
def sheet_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    b = briefing.read_briefing(actor_of(request), reference, download=True)
    return _pdf(briefing_pdf(b), f"briefing-{b.episode.reference}.pdf")


@web_view
@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    episode = appeals.episode_for_agreer(actor, reference)
    live = appeals.live_appeal(episode)
    initial = {"publish": live.fields, "wording": live.wording} if live else {}
    form = AgreeAppealForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.agree_appeal(
                actor,
                episode.reference,
                fields=form.cleaned_data["publish"],
                wording=form.cleaned_data["wording"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors, {"fields": "publish"})
        else:
            messages.success(request, "Public appeal agreed")
            return redirect("episodes:detail", reference=episode.reference)
    return render(
        request, f"{TEMPLATES}/agree.html", {"episode": episode, "form": form, "live": live}
    )


@web_view
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    episode = appeals.episode_for_agreer(actor, reference)
    live = appeals.live_appeal(episode)
    if live is None:
        return redirect("episodes:detail", reference=episode.reference)
    form = WithdrawAppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.withdraw_appeal(actor, episode.reference, reason=form.cleaned_data["reason"])
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "Public appeal withdrawn")
            return redirect("episodes:detail", reference=episode.reference)
    return render(
        request, f"{TEMPLATES}/withdraw.html", {"episode": episode, "form": form, "live": live}
    )


def _withdrawn(request: HttpRequest, page: appeals.AppealPage) -> HttpResponse:
    return render(request, f"{TEMPLATES}/withdrawn.html", {"page": page}, status=404)


@web_view
@require_http_methods(["GET"])
def appeal(request: HttpRequest, reference: str) -> HttpResponse:
    page = appeals.read_appeal(actor_of(request), reference)
    if not page.live:
        return _withdrawn(request, page)
    context = {
        "page": page,
        "rows": appeal_rows(page.content),
        "photo": _data_uri(
            page.content.get("photo"), page.content.get("photo_type") or "image/jpeg"
        ),
        "who": page.content.get("first_name") or "this child",
    }
    return render(request, f"{TEMPLATES}/appeal.html", context)


@web_view
@require_http_methods(["GET"])
def appeal_download(request: HttpRequest, reference: str) -> HttpResponse:
    page = appeals.read_appeal(actor_of(request), reference, download=True)
    if not page.live:
        return _withdrawn(request, page)
    return _pdf(appeal_pdf(page), f"appeal-{page.episode.reference}.pdf")


urlpatterns: list[URLPattern] = [
    path("episodes/<str:reference>/briefing", sheet, name="briefing"),
    path("episodes/<str:reference>/briefing.pdf", sheet_pdf, name="briefing-pdf"),
    path("episodes/<str:reference>/appeal", appeal, name="appeal"),
    path("episodes/<str:reference>/appeal.pdf", appeal_download, name="appeal-pdf"),
    path("episodes/<str:reference>/appeal/agree", agree, name="agree-appeal"),
    path("episodes/<str:reference>/appeal/withdraw", withdraw, name="withdraw-appeal"),
]


def episode_panel(actor: Actor, episode: Episode) -> dict[str, Any]:
    """The episode page's links to the sheet and the appeal, and the appeal's state: for
    the handling force and the council's leads always; for the rest of the council while the child
    is missing (afterwards the appeal is over, and the page spends no query on it)."""
    prints = briefing.may_see_briefing(actor, episode)
    agrees = appeals.may_agree(actor, episode)
    leads = agrees or briefing.handles(actor, episode)
    told = leads or (episode.is_open and appeals.may_see_appeal(actor, episode))
    latest = (
        appeals.latest_appeal(episode) if told and appeals.may_see_appeal(actor, episode) else None
    )
    return {
        "briefing_panel": {
            "briefing": prints,
            "agree": episode.is_open and agrees,
            "appeal": latest,
            "appeal_fields": [APPEAL_FIELDS[f] for f in (latest.fields if latest else [])],
        }
    }
