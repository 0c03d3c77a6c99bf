"""Pages of the home's missing protocol: the home's steps (written by its managers, read by
its staff), a run for one episode with the child's plan beside it, the manager's sign-off,
regulation 40 notifications, and the compliance figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from homeward.core.actor import Actor
from homeward.core.errors import StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.episodes.models import Episode
from homeward.safeguarding import access
from homeward.safeguarding.forms.protocols import (
    NoticeForm,
    ProtocolForm,
    SignOffForm,
    StepFormSet,
    StepRecordForm,
    initial_rows,
)
from homeward.safeguarding.models.protocols import HomeProtocol, ProtocolRun
from homeward.safeguarding.services import protocol_compliance, runs
from homeward.safeguarding.services import protocols as services


def _summary(*forms_: forms.BaseForm | None) -> list[dict[str, str]]:
    """The error summary's items for any number of forms (a formset's rows too)."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        items += [{"text": str(e), "href": ""} for e in form.non_field_errors()]
        for bound in form:
            target = f"{bound.auto_id}_day" if bound.name in {"done_at", "notified_at"} else ""
            if bound.name in {"outcome", "recipient"}:
                target = f"{bound.auto_id}_0"
            href = "#" + (target or str(bound.auto_id))
            items += [{"text": str(e), "href": href} for e in bound.errors]
    return items


# --- the home's protocol --------------------------------------------------------------


def _rows(protocol: HomeProtocol | None) -> list[dict[str, Any]]:
    if protocol is None:
        return initial_rows(services.default_steps())
    return initial_rows(
        [services.StepInput(s.kind, s.text, s.within_minutes) for s in protocol.steps.all()]
    )


def _save_protocol(actor: Actor, form: ProtocolForm, formset: Any) -> bool:
    steps = [s for s in (f.step() for f in formset.forms) if s is not None]
    # The service numbers the steps it is given; the rows with text are those steps.
    rows = [f for f in formset.forms if f.step() is not None]
    try:
        services.save_home_protocol(
            actor,
            steps,
            sign_off_hours=form.cleaned_data["sign_off_hours"],
            expected_version=form.cleaned_data.get("version"),
        )
    except StaleEdit as exc:
        form.add_error(None, str(exc))
        return False
    except ValidationFailed as exc:
        for name, found in exc.errors.items():
            parts = name.split(".")
            if len(parts) == 3 and int(parts[1]) < len(rows):
                rows[int(parts[1])].add_error(parts[2], found)
            else:
                add_service_errors(form, {name: found})
        return False
    return True


@web_view
@require_http_methods(["GET", "POST"])
def home_protocol(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    protocol = services.read_home_protocol(actor)
    may_keep = access.may_keep_protocol(actor)
    form = ProtocolForm(
        initial={
            "sign_off_hours": protocol.sign_off_hours
            if protocol
            else services.default_sign_off_hours(),
            "version": protocol.version if protocol else None,
        }
    )
    formset = StepFormSet(prefix="steps", initial=_rows(protocol))
    if request.method == "POST" and may_keep:
        form = ProtocolForm(request.POST)
        formset = StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and formset.is_valid() and _save_protocol(actor, form, formset):
            messages.success(request, "The home's missing protocol has been saved")
            return redirect("safeguarding:protocol-home")
    return render(
        request,
        "safeguarding/protocols/home.html",
        {
            "protocol": protocol,
            "may_keep": may_keep,
            "form": form,
            "formset": formset,
            "errors": _summary(form, *formset.forms) if request.method == "POST" else [],
            "offered_default": protocol is None,
            "may_see_figures": access.may_see_protocol_compliance(actor),
        },
    )


# --- a run --------------------------------------------------------------------------


def _run_page(request: HttpRequest, actor: Actor, reference: str, **bound: Any) -> HttpResponse:
    page = services.read_run(actor, reference)
    run = page.run
    step_forms = []
    for step in page.steps:
        form = bound.get("step_form") if bound.get("position") == step.position else None
        if form is None:
            initial: dict[str, Any] = {"note": step.note}
            if step.done_at is not None:
                initial.update(outcome="done", done_at=step.done_at)
            elif step.not_done_reason:
                initial.update(outcome="not_done", not_done_reason=step.not_done_reason)
            form = StepRecordForm(position=step.position, initial=initial)
        step_forms.append((step, form))
    notice_form = bound.get("notice_form") or NoticeForm(prefix="notice")
    sign_off_form = bound.get("sign_off_form") or SignOffForm(prefix="signoff")
    return render(
        request,
        "safeguarding/protocols/run.html",
        {
            "page": page,
            "run": run,
            "episode": run.episode,
            "child": run.episode.child,
            "step_forms": step_forms,
            "notice_form": notice_form,
            "sign_off_form": sign_off_form,
            "errors": _summary(bound.get("step_form"), notice_form, sign_off_form),
            "may_record": access.may_follow_protocol(actor) and run.signed_off_at is None,
            "may_sign_off": access.may_sign_off_protocol(actor),
            "unrecorded": runs.unrecorded(run),
        },
    )


@web_view
@require_http_methods(["GET"])
def run_page(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    if not ProtocolRun.objects.filter(episode__reference=reference.upper()).exists():
        # Not started: the staff of the child's home may start it; anyone else, 404.
        episode = runs.find_episode(actor, reference)
        return render(request, "safeguarding/protocols/start.html", {"episode": episode})
    return _run_page(request, actor, reference)


@web_view
@require_http_methods(["POST"])
def start(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    try:
        run = runs.start_run(actor, reference)
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("safeguarding:protocol-run", reference=reference.upper())
    messages.success(request, "The home's missing protocol has been started")
    return redirect("safeguarding:protocol-run", reference=run.episode.reference)


@web_view
@require_http_methods(["POST"])
def record_step(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    actor = actor_of(request)
    form = StepRecordForm(request.POST, position=position)
    if form.is_valid():
        data = form.cleaned_data
        result = runs.StepResult(
            done=data["outcome"] == "done",
            done_at=data.get("done_at"),
            not_done_reason=data.get("not_done_reason") or "",
            note=data.get("note") or "",
        )
        try:
            step = runs.record_step(actor, reference, position, result)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, f"Step {step.position} has been recorded")
            return redirect(f"{_run_url(reference)}#step-{step.position}")
    return _run_page(request, actor, reference, position=position, step_form=form)


@web_view
@require_http_methods(["POST"])
def sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    form = SignOffForm(request.POST, prefix="signoff")
    if form.is_valid():
        try:
            runs.sign_off(actor, reference, form.cleaned_data["note"])
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "The protocol has been signed off")
            return redirect("safeguarding:protocol-run", reference=reference.upper())
    return _run_page(request, actor, reference, sign_off_form=form)


@web_view
@require_http_methods(["POST"])
def record_notice(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    form = NoticeForm(request.POST, prefix="notice")
    if form.is_valid():
        data = form.cleaned_data
        notice = runs.NoticeInput(
            recipient=data["recipient"],
            notified_at=data["notified_at"],
            reason=data["reason"],
            reference=data.get("reference") or "",
        )
        try:
            runs.record_notice(actor, reference, notice)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "The regulation 40 notification has been recorded")
            return redirect(f"{_run_url(reference)}#notices")
    return _run_page(request, actor, reference, notice_form=form)


def _run_url(reference: str) -> str:
    return reverse("safeguarding:protocol-run", kwargs={"reference": reference.upper()})


# --- compliance -----------------------------------------------------------------------


@web_view
@require_http_methods(["GET"])
def compliance(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    figures = protocol_compliance.compliance(actor)
    return render(
        request,
        "safeguarding/protocols/compliance.html",
        {"figures": figures, "organisation": actor.organisation},
    )


# --- the episode page's panel ---------------------------------------------------------


def episode_panel(actor: Actor, episode: Episode) -> dict[str, Any]:
    """For the staff of the child's home: the run's state, or a way to start it."""
    if not runs.is_staff_of_current_home(actor, episode):
        return {}
    run = ProtocolRun.objects.filter(episode=episode).first()
    has_protocol = HomeProtocol.objects.filter(home_id=runs.current_home_id(episode)).exists()
    recorded = run.steps.exclude(done_at=None, not_done_reason="").count() if run else 0
    return {
        "protocol_panel": {
            "run": run,
            "steps": run.steps.count() if run else 0,
            "recorded": recorded,
            "may_start": run is None and has_protocol and access.may_follow_protocol(actor),
            "has_protocol": has_protocol,
            "may_keep": access.may_keep_protocol(actor),
        }
    }


urlpatterns: list[URLPattern] = [
    path("protocols/home", home_protocol, name="protocol-home"),
    path("protocols/compliance", compliance, name="protocol-compliance"),
    path("episodes/<str:reference>/protocol", run_page, name="protocol-run"),
    path("episodes/<str:reference>/protocol/start", start, name="protocol-start"),
    path(
        "episodes/<str:reference>/protocol/steps/<int:position>",
        record_step,
        name="protocol-step",
    ),
    path("episodes/<str:reference>/protocol/sign-off", sign_off, name="protocol-sign-off"),
    path("episodes/<str:reference>/protocol/notices", record_notice, name="protocol-notices"),
]
