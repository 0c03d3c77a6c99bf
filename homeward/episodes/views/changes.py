"""Every change to an episode: details, risk, classification, timeline, return, closing
and linking, each drawn and handled the same way.

Views stay thin: they read the form, call a service function (which checks permission,
validates, saves and audits), and draw the page. A service's ValidationFailed becomes
errors on the form's fields; StaleEdit becomes the error summary over the current record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from homeward.core.actor import Actor
from homeward.core.errors import StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.inputs import ON_RECORD, service_arguments, service_input
from homeward.core.views import actor_of, web_view
from homeward.episodes import services, steps, visibility
from homeward.episodes.forms import (
    ClassificationForm,
    CloseForm,
    DetailsForm,
    LinkForm,
    RegradeForm,
    ReturnForm,
    TimelineForm,
)
from homeward.episodes.models import Classification, Episode, EpisodeStatus, RiskGrade
from homeward.organisations.policy import Step


@dataclass
class Change:
    """One kind of change to an episode, drawn and handled the same way as the others."""

    step: Callable[[Actor, Episode], Step]
    form_class: type[forms.Form]
    template: str
    # The service call, from the episode's reference and the form's answers: no read of
    # the episode before it, so a change leaves the same trail as through the API.
    perform: Callable[[Actor, str, dict[str, Any]], str]
    initial: Callable[[Episode], dict[str, Any]] = lambda episode: {}
    field_map: dict[str, str] = field(default_factory=dict)
    # After a stale edit: show the current record (True) or keep what was typed (False),
    # for changes that add to the record rather than overwrite it.
    reset_on_stale: bool = False
    # A page that itself explains why the step must wait (closing shows what is left to
    # record); the others send the user back to the episode with the reason.
    explains_waiting: Callable[[Episode], bool] = lambda episode: False


def _edit(request: HttpRequest, reference: str, change: Change) -> HttpResponse:
    """A POST goes straight to the service (which checks permission and state); the page,
    a read of the episode, is drawn for a GET and for answers the service sent back."""
    actor = actor_of(request)
    stale_message = ""
    form: forms.Form | None = None
    if request.method == "POST":
        form = change.form_class(request.POST)
        if form.is_valid():
            try:
                message = change.perform(actor, reference, form.cleaned_data)
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors, change.field_map)
            except StaleEdit as exc:
                stale_message = exc.message
                form = None
            else:
                messages.success(request, message)
                return redirect("episodes:detail", reference=reference)
    episode = services.read_episode(actor, reference)
    step = change.step(actor, episode)
    if not step.allowed:
        raise PermissionDenied
    if form is None and stale_message:
        if change.reset_on_stale:
            form = change.form_class(
                initial={**change.initial(episode), "version": episode.version}
            )
        else:
            data = request.POST.copy()
            data["version"] = str(episode.version)
            form = change.form_class(data)
            form.is_valid()
    elif form is None:
        if step.waiting and not change.explains_waiting(episode):
            # Allowed, but not now: say why, where the user can see the episode as it is.
            messages.info(request, f"{step.reason}.")
            return redirect("episodes:detail", reference=episode.reference)
        form = change.form_class(initial={**change.initial(episode), "version": episode.version})
    return render(
        request,
        change.template,
        {
            "form": form,
            "episode": episode,
            "stale_message": stale_message,
            "page_errors": bool(stale_message),
        },
    )


def _details_initial(episode: Episode) -> dict[str, Any]:
    return {name: getattr(episode, name) for name in services.EDITABLE_FIELDS}


def _update(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    # What the user changed, against the record as it is (read to compare, not shown).
    episode = visibility.get_episode(actor, reference)
    changes = {}
    for name in services.EDITABLE_FIELDS:
        new, old = data[name], getattr(episode, name)
        if name == "last_seen_at" and old is not None:
            old = old.replace(second=0, microsecond=0)  # the form holds whole minutes
        if new != old:
            changes[name] = new
    services.update_episode(actor, reference, data["version"], changes)
    return "The episode's details have been updated" if changes else "Nothing was changed"


def _regrade(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    updated = services.regrade(
        actor, reference, data["version"], service_input(services.Regrading, data)
    )
    return f"Risk re-graded to {RiskGrade(updated.risk_grade).label.lower()}"


def _classify(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    updated = services.change_classification(
        actor,
        reference,
        data["version"],
        **service_arguments(services.change_classification, data, given=ON_RECORD),
    )
    return f"Classification changed to {Classification(updated.classification).label.lower()}"


def _add_timeline(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    # The service takes no version: an entry adds to the timeline and overwrites nothing.
    services.add_timeline_entry(
        actor, reference, **service_arguments(services.add_timeline_entry, data, given=ON_RECORD)
    )
    return "The timeline entry has been added"


def _record_return(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    services.record_return(actor, reference, data["version"], service_input(services.Return, data))
    return "The return has been recorded. A safe and well check and a return interview are now due"


def _close(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    services.close_episode(actor, reference, data["version"])
    return "The episode has been closed"


def _link(actor: Actor, reference: str, data: dict[str, Any]) -> str:
    other = data["other_reference"].strip().upper()
    services.link_episodes(
        actor, reference, **service_arguments(services.link_episodes, data, given=ON_RECORD)
    )
    return f"Episode linked with {other}: the children went missing together"


CHANGES = {
    "update": Change(
        steps.update,
        DetailsForm,
        "episodes/update.html",
        _update,
        initial=_details_initial,
        reset_on_stale=True,
    ),
    "regrade": Change(
        steps.regrade,
        RegradeForm,
        "episodes/regrade.html",
        _regrade,
        field_map={"risk_grade": "grade"},
    ),
    "classify": Change(
        steps.classify,
        ClassificationForm,
        "episodes/classification.html",
        _classify,
        reset_on_stale=True,
    ),
    "timeline": Change(steps.add_timeline, TimelineForm, "episodes/timeline.html", _add_timeline),
    "return": Change(steps.record_return, ReturnForm, "episodes/return.html", _record_return),
    "close": Change(
        steps.close,
        CloseForm,
        "episodes/close.html",
        _close,
        explains_waiting=lambda episode: episode.status == EpisodeStatus.RETURNED,
    ),
    "link": Change(steps.link, LinkForm, "episodes/link.html", _link),
}


def _change_view(key: str) -> Callable[..., HttpResponse]:
    change = CHANGES[key]

    @web_view
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        return _edit(request, reference, change)

    view.__name__ = view.__qualname__ = f"{key}_episode"
    return view


update = _change_view("update")
regrade = _change_view("regrade")
classify = _change_view("classify")
add_timeline = _change_view("timeline")
record_return = _change_view("return")
close = _change_view("close")
link = _change_view("link")
