"""Web pages for what happens after a child returns: the police safe and well check, the
return home interview with its 72-hour clock, the interviews list, and the coordinator's
work list with the council's (or force's) compliance figures.

Thin, like the episode pages: read the form, call homeward.aftercare.services, draw the
page. A service's ValidationFailed becomes errors on the form; StaleEdit the summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from homeward.aftercare import compliance, services, steps
from homeward.aftercare.codes import (
    Disclosure,
    InterviewerKind,
    InterviewOutcome,
    OfferMethod,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.forms import CheckForm, InterviewForm, OfferForm, OutcomeForm, ProviderForm
from homeward.aftercare.models import CLOSED_INTERVIEW_STATUSES, InterviewStatus, ReturnInterview
from homeward.aftercare.services import own_accounts
from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import StaleEdit, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.inputs import ON_INTERVIEW, service_arguments, service_input
from homeward.core.views import actor_of, web_view
from homeward.episodes import services as episode_services
from homeward.notifications import access as notification_access
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Step

LIST_LIMIT = 200
RECEIVED_WINDOW = timedelta(days=7)
RECENT = timedelta(days=30)


def _labels(codes: list[str], choices: Any) -> list[str]:
    """Every answer recorded, in words, in the order the question lists them."""
    chosen = set(codes)
    known = [str(label) for value, label in choices.choices if value in chosen]
    return known + sorted(chosen - set(choices.values))


# --- safe and well check --------------------------------------------------------------------


@web_view
@require_http_methods(["GET"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """The episode's check as recorded, for everyone who can see the episode."""
    actor = actor_of(request)
    episode = episode_services.read_episode(actor, reference)
    state = services.episode_aftercare(episode)
    may_record = steps.record_check(actor, episode).available
    return render(
        request,
        "aftercare/check.html",
        {
            "episode": episode,
            "check": state.check,
            "check_due_at": state.check_due_at,
            "check_overdue": state.check_overdue,
            "disclosures": _labels(state.check.disclosures, Disclosure) if state.check else [],
            "may_record": may_record,
        },
    )


@web_view
@require_http_methods(["GET", "POST"])
def record_check(request: HttpRequest, reference: str) -> HttpResponse:
    """A POST goes straight to the service, which checks the permission and the episode's
    state; the page (a read of the episode) is drawn for a GET and for answers sent back."""
    actor = actor_of(request)
    form = CheckForm(request.POST) if request.method == "POST" else CheckForm()
    if form.is_bound and form.is_valid():
        details = service_input(services.CheckDetails, form.cleaned_data)
        try:
            check = services.record_check(actor, reference, details)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(
                request,
                "The safe and well check has been recorded and shared with the child's council"
                if details.done
                else "The reason the safe and well check was not done has been recorded",
            )
            return redirect("episodes:detail", reference=check.episode.reference)
    episode = episode_services.read_episode(actor, reference)
    step = steps.record_check(actor, episode)
    if not step.allowed:
        raise PermissionDenied
    if step.reason == steps.CHECK_RECORDED:
        messages.info(request, step.reason)
        return redirect("aftercare:check", reference=episode.reference)
    return render(request, "aftercare/record_check.html", {"form": form, "episode": episode})


# --- return interviews ----------------------------------------------------------------------


@web_view
@require_http_methods(["GET"])
def interviews(request: HttpRequest) -> HttpResponse:
    """The organisation's interviews: open ones due soonest first (overdue at the top),
    then those finished in the last 30 days."""
    actor = actor_of(request)
    everything = services.list_interviews(actor).prefetch_related("episodes")
    open_qs = everything.filter(closed_at__isnull=True)
    finished_qs = everything.filter(closed_at__gte=clock.now() - RECENT).order_by("-closed_at")
    open_ = list(open_qs[:LIST_LIMIT])
    finished = list(finished_qs[:LIST_LIMIT])
    services.audit_listed(actor, open_ + finished)
    now = clock.now()
    return render(
        request,
        "aftercare/interviews.html",
        {
            "open": [(i, services.is_overdue(i, now)) for i in open_],
            "open_total": open_qs.count() if len(open_) == LIST_LIMIT else len(open_),
            "finished": finished,
            "limit": LIST_LIMIT,
            "is_provider": actor.organisation is not None
            and actor.organisation.kind == OrganisationKind.RHI_PROVIDER,
            "nav": "interviews",
        },
    )


@web_view
@require_http_methods(["GET"])
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    found = services.read_interview(actor, pk)
    return render(request, "aftercare/interview.html", _interview_context(actor, found))


def _interview_context(actor: Actor, interview: ReturnInterview) -> dict[str, Any]:
    episodes = list(interview.episodes.order_by("last_seen_at", "pk"))
    return {
        "interview": interview,
        "episodes": episodes,
        "overdue": services.is_overdue(interview),
        "finished": interview.status in CLOSED_INTERVIEW_STATUSES,
        "actions": steps.for_interview(actor, interview),
        "push_factors": _labels(interview.push_factors, PushFactor),
        "pull_factors": _labels(interview.pull_factors, PullFactor),
        "risks_found": _labels(interview.risks_found, RiskFound),
        "offer_method": dict(OfferMethod.choices).get(interview.offer_method, ""),
        "interviewer_kind": dict(InterviewerKind.choices).get(interview.interviewer_kind, ""),
        "own_account": own_accounts.own_account_state(actor, interview),
    }


@dataclass
class InterviewChange:
    key: str
    form_class: type[forms.Form]
    template: str
    # The service call, from the interview's id and the form: no read of the interview
    # before it, so a change leaves the same trail as through the API.
    perform: Callable[[Actor, int, forms.Form], str]
    initial: Callable[[ReturnInterview], dict[str, Any]] = lambda interview: {}
    field_map: Callable[[forms.Form], dict[str, str]] = lambda form: {}


def _form(
    change: InterviewChange, providers: Callable[[], list[Organisation]], **kwargs: Any
) -> forms.Form:
    if change.form_class is ProviderForm:
        kwargs["providers"] = providers()
    return change.form_class(**kwargs)


def _assignable(actor: Actor) -> list[Organisation]:
    """Who a council may assign its interviews to, read without the interview: the
    council itself, then every interview provider (the service checks the choice)."""
    org = actor.organisation
    own = [org] if org is not None and org.kind == OrganisationKind.COUNCIL else []
    providers = Organisation.objects.filter(kind=OrganisationKind.RHI_PROVIDER).order_by("name")
    return [*own, *providers]


def _change(request: HttpRequest, pk: int, change: InterviewChange) -> HttpResponse:
    """A POST goes straight to the service (which checks permission and state); the page,
    a read of the interview, is drawn for a GET and for answers the service sent back.
    The providers a council may choose are the same for every interview of its own."""
    actor = actor_of(request)
    stale_message = ""
    form: forms.Form | None = None
    if request.method == "POST":
        form = _form(change, lambda: _assignable(actor), data=request.POST)
        if form.is_valid():
            try:
                message = change.perform(actor, pk, form)
            except ValidationFailed as exc:
                add_service_errors(form, exc.errors, change.field_map(form))
            except StaleEdit as exc:
                stale_message = exc.message
                form = None
            else:
                messages.success(request, message)
                return redirect("aftercare:interview", pk=pk)
    interview = services.read_interview(actor, pk)
    step = steps.for_interview(actor, interview)[change.key]
    if not step.available and not stale_message and (not_now := _not_now(request, interview, step)):
        return not_now
    if not step.allowed:
        raise PermissionDenied

    def providers() -> list[Organisation]:
        return services.provider_choices(interview)

    if stale_message:
        data = request.POST.copy()
        data["version"] = str(interview.version)
        form = _form(change, providers, data=data)
        form.is_valid()
    elif form is None:
        form = _form(
            change,
            providers,
            initial={**change.initial(interview), "version": interview.version},
        )
    return render(
        request,
        change.template,
        {
            **_interview_context(actor, interview),
            "form": form,
            "stale_message": stale_message,
            "page_errors": bool(stale_message),
        },
    )


def _not_now(request: HttpRequest, interview: ReturnInterview, step: Step) -> HttpResponse | None:
    """Back to the interview, saying why, when it is finished or the step comes later."""
    reason = steps.FINISHED if interview.closed_at is not None else step.reason
    if not reason:
        return None
    messages.info(request, reason)
    return redirect("aftercare:interview", pk=interview.pk)


def _assign(actor: Actor, pk: int, form: forms.Form) -> str:
    data = form.cleaned_data
    updated = services.assign_provider(
        actor,
        pk,
        expected_version=data["version"],
        **service_arguments(services.assign_provider, data, given=ON_INTERVIEW),
    )
    return f"The interview is assigned to {updated.provider.name}"


def _offer(actor: Actor, pk: int, form: forms.Form) -> str:
    data = form.cleaned_data
    services.record_offer(
        actor,
        pk,
        data["version"],
        **service_arguments(services.record_offer, data, given=ON_INTERVIEW),
    )
    return "The offer has been recorded"


def _outcome(actor: Actor, pk: int, form: forms.Form) -> str:
    data = form.cleaned_data
    updated = services.record_outcome(
        actor,
        pk,
        data["version"],
        **service_arguments(services.record_outcome, data, given=ON_INTERVIEW),
    )
    return {
        InterviewStatus.ACCEPTED: "The child accepted: record the interview once it is done",
        InterviewStatus.DECLINED: "Recorded that the child declined the interview",
        InterviewStatus.NOT_OFFERED: "Recorded that the interview was not offered, and why",
    }.get(InterviewStatus(updated.status), "The outcome has been recorded")


def _outcome_fields(form: forms.Form) -> dict[str, str]:
    chosen = form.data.get("outcome")
    reason = "not_offered_reason" if chosen == InterviewOutcome.NOT_OFFERED else "declined_reason"
    return {"reason": reason, "status": "outcome"}


def _record(actor: Actor, pk: int, form: forms.Form) -> str:
    data = form.cleaned_data
    services.record_interview(
        actor, pk, data["version"], service_input(services.InterviewRecord, data)
    )
    return "The return interview has been recorded"


CHANGES = {
    "assign": InterviewChange(
        "assign",
        ProviderForm,
        "aftercare/assign.html",
        _assign,
        initial=lambda interview: {"provider": str(interview.provider_id)},
    ),
    "offer": InterviewChange(
        "offer",
        OfferForm,
        "aftercare/offer.html",
        _offer,
        initial=lambda interview: {
            "offered_at": interview.offered_at,
            "offered_by": interview.offered_by,
            "offer_method": interview.offer_method,
        },
    ),
    "outcome": InterviewChange(
        "outcome", OutcomeForm, "aftercare/outcome.html", _outcome, field_map=_outcome_fields
    ),
    "record": InterviewChange("record", InterviewForm, "aftercare/record.html", _record),
}


def _change_view(key: str) -> Callable[..., HttpResponse]:
    change = CHANGES[key]

    @web_view
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _change(request, pk, change)

    view.__name__ = view.__qualname__ = f"{key}_interview"
    return view


assign_provider = _change_view("assign")
record_offer = _change_view("offer")
record_outcome = _change_view("outcome")
record_interview = _change_view("record")


# --- the coordinator's work list --------------------------------------------------------------


@web_view
@require_http_methods(["GET"])
def work_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not compliance.may_see_work_list(actor):
        raise PermissionDenied
    org = actor.organisation
    assert org is not None
    now = clock.now()
    since = compliance.three_months_before(now)
    figures = compliance.compliance(org, since, now)
    checks = list(compliance.overdue_checks(org, now)[:LIST_LIMIT])
    late_interviews = list(compliance.overdue_interviews(org, now)[:LIST_LIMIT])
    received = (
        list(compliance.checks_received(org, now - RECEIVED_WINDOW)[:LIST_LIMIT])
        if org.kind == OrganisationKind.COUNCIL
        else []
    )
    children = sorted(
        {e.child_id for e in checks}
        | {i.child_id for i in late_interviews}
        | {c.episode.child_id for c in received}
    )
    audit.record_many_reads(actor, "child", children, action="list_result")
    return render(
        request,
        "aftercare/work_list.html",
        {
            "organisation": org,
            "is_council": org.kind == OrganisationKind.COUNCIL,
            "may_set_rules": org.kind == OrganisationKind.COUNCIL
            and notification_access.may_set_rules(actor),
            "since": since,
            "figures": figures,
            "overdue_checks": [(e, services.check_due_at(e)) for e in checks],
            "overdue_interviews": late_interviews,
            "checks_received": received,
            "received_days": RECEIVED_WINDOW.days,
            "limit": LIST_LIMIT,
            "nav": "work",
        },
    )
