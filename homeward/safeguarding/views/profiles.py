"""Pages of the child's missing profile: read it, write or change it (associates and places
as formsets with blank rows), add a photograph, see a photograph (through the access
check, never cached), the owner's list of profiles needing attention, and the profile's
panels on the child's page and the report page."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.safeguarding import access
from homeward.safeguarding.forms.profiles import (
    AssociateFormSet,
    PhotoForm,
    PlaceFormSet,
    ProfileForm,
    rows,
)
from homeward.safeguarding.services import photos as photo_service
from homeward.safeguarding.services import profiles as service

_ROW = re.compile(r"^(?:Associate|Place) (\d+): ")
_FIELDS = {"associates": "name", "places": "place"}


@web_view
@require_http_methods(["GET"])
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    read = service.read_profile(actor_of(request), pk)
    return render(
        request,
        "safeguarding/profiles/detail.html",
        {
            "child": read.child,
            "profile": read.profile,
            "photo": read.photo,
            "may_keep": read.may_keep,
            "flags": [service.FLAG_TEXT[f] for f in read.flags],
        },
    )


def _initial(found: service.ProfileRead) -> dict[str, Any]:
    initial: dict[str, Any] = {"review_date": service.review_date_offered(found.profile)}
    if found.profile is not None:
        initial.update({name: getattr(found.profile, name) for name in service.TEXT_FIELDS})
        initial["version"] = found.profile.version
    return initial


def _row_errors(formsets: dict[str, forms.BaseFormSet[Any]], errors: dict[str, list[str]]) -> None:
    """Put "Associate 2: enter a name" on row 2's name; other list errors on row 1."""
    for key, formset in formsets.items():
        for message in errors.pop(key, []):
            match = _ROW.match(message)
            index = int(match.group(1)) - 1 if match else 0
            row = formset.forms[min(index, len(formset.forms) - 1)]
            row.add_error(_FIELDS[key], message)


def _summary(
    form: forms.Form, formsets: dict[str, forms.BaseFormSet[Any]], message: str
) -> list[dict[str, str]]:
    items = [{"text": message, "href": ""}] if message else []
    for each in [form, *(f for fs in formsets.values() for f in fs.forms)]:
        if not each.is_bound:
            continue
        items += [{"text": str(e), "href": ""} for e in each.non_field_errors()]
        for bound in each:
            suffix = "_day" if bound.name in {"review_date", "taken_on"} else ""
            items += [{"text": str(e), "href": f"#{bound.auto_id}{suffix}"} for e in bound.errors]
    return items


@web_view
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the profile, or change it. A POST goes straight to the service."""
    actor = actor_of(request)
    posted = request.method == "POST"
    form = ProfileForm(request.POST) if posted else None
    formsets: dict[str, forms.BaseFormSet[Any]] = {
        "associates": AssociateFormSet(request.POST if posted else None, prefix="associates"),
        "places": PlaceFormSet(request.POST if posted else None, prefix="places"),
    }
    stale = ""
    if form is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        data = {**form.cleaned_data, **{k: rows(f) for k, f in formsets.items()}}
        try:
            service.save_profile(actor, pk, data, form.cleaned_data.get("version"))
        except ValidationFailed as exc:
            errors = dict(exc.errors)
            _row_errors(formsets, errors)
            add_service_errors(form, errors)
        except StaleEdit as exc:
            stale = exc.message
        else:
            messages.success(request, "The missing profile has been saved")
            return redirect("safeguarding:profile", pk=pk)
    found = service.read_profile(actor, pk)
    if not found.may_keep:
        raise AccessDenied("Your role does not allow you to keep this child's missing profile.")
    if form is None or stale:
        form = ProfileForm(initial=_initial(found))
        existing = found.profile
        formsets = {
            "associates": AssociateFormSet(
                initial=existing.associates if existing else None, prefix="associates"
            ),
            "places": PlaceFormSet(initial=existing.places if existing else None, prefix="places"),
        }
    return render(
        request,
        "safeguarding/profiles/edit.html",
        {
            "child": found.child,
            "profile": found.profile,
            "form": form,
            "associates": formsets["associates"],
            "places": formsets["places"],
            "error_items": _summary(form, formsets, stale),
        },
    )


@web_view
@require_http_methods(["GET", "POST"])
def add_photo(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    form = PhotoForm(request.POST, request.FILES) if request.method == "POST" else PhotoForm()
    if form.is_bound and form.is_valid():
        try:
            photo_service.add_photo(
                actor, pk, form.cleaned_data["photo"], form.cleaned_data.get("taken_on")
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "The photograph has been added to the missing profile")
            return redirect("safeguarding:profile", pk=pk)
    found = service.read_profile(actor, pk)
    if not found.may_keep:
        raise AccessDenied("Your role does not allow you to keep this child's missing profile.")
    return render(
        request,
        "safeguarding/profiles/photo.html",
        {
            "child": found.child,
            "profile": found.profile,
            "photo": found.photo,
            "form": form,
            "max_size": photo_service.limit_text(),
        },
    )


@web_view
@require_http_methods(["GET"])
def photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    """The photograph itself: after the access check, audited, never kept by a cache."""
    found, data = photo_service.read_photo(actor_of(request), pk, photo_id)
    return photo_response(found.content_type, data)


def photo_response(content_type: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@web_view
@require_http_methods(["GET"])
def attention(request: HttpRequest) -> HttpResponse:
    """The actor's organisation's profiles past their review date or without a photograph."""
    found = service.attention_for(actor_of(request))
    return render(
        request,
        "safeguarding/profiles/attention.html",
        {"rows": [(p, [service.FLAG_TEXT[r] for r in reasons]) for p, reasons in found]},
    )


urlpatterns: list[URLPattern] = [
    path("children/<int:pk>/profile", profile, name="profile"),
    path("children/<int:pk>/profile/edit", edit_profile, name="edit-profile"),
    path("children/<int:pk>/profile/photos", add_photo, name="add-photo"),
    path("children/<int:pk>/profile/photo/<int:photo_id>", photo, name="profile-photo"),
    path("profiles/attention", attention, name="profiles-attention"),
]


# --- panels on other apps' pages ----------------------------------------------------------


def _panel(actor: Actor, child: Child) -> dict[str, Any] | None:
    if not access.may_see_profiles(actor):
        return None
    found = service.profile_summary(child)
    flags = []
    if found is not None:
        flags = service.needs_attention(found, getattr(found, "photo_id", None) is not None)
    return {
        "child": child,
        "profile": found,
        "photo_id": getattr(found, "photo_id", None),
        "flags": [service.FLAG_TEXT[f] for f in flags],
        "may_keep": service.may_keep(actor, child, found),
    }


def child_panel(actor: Actor, child: Child) -> dict[str, Any]:
    """The profile's summary on the child's page: one query (the profile, its owner and
    its current photograph's id)."""
    panel = _panel(actor, child)
    return {"profile_panel": panel} if panel is not None else {}


def report_panel(actor: Actor, child: Child) -> dict[str, Any]:
    """The profile, with its photograph, beside the report form."""
    panel = _panel(actor, child)
    return {"report_profile": panel} if panel is not None else {}
