"""The open-episodes home page, reporting a child missing, and every change to an episode.

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
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from homeward.aftercare import compliance
from homeward.aftercare import services as aftercare_services
from homeward.audit import services as audit
from homeward.children import emergency
from homeward.children import services as child_services
from homeward.children import steps as child_steps
from homeward.children.models import Placement
from homeward.core import clock
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
    ReportForm,
    ReturnForm,
    TimelineForm,
)
from homeward.episodes.models import Classification, Episode, EpisodeStatus, RiskGrade
from homeward.insights import access as insights_access
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import (
    AGGREGATE_ONLY_ROLES,
    Action,
    Step,
    role_allows,
)

# The home page lists at most this many episodes in each table.
HOME_LIMIT = 200

_RISK_ORDER = Case(
    When(risk_grade=RiskGrade.HIGH, then=Value(0)),
    When(risk_grade=RiskGrade.MEDIUM, then=Value(1)),
    When(risk_grade=RiskGrade.LOW, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class WorkLink:
    title: str
    url: str
    description: str


def work_links(actor: Actor) -> list[WorkLink]:
    """Where this user's work is: every page their role uses, for their home page."""
    links: list[WorkLink] = []
    org = actor.organisation
    if org is None:
        return links
    if role_allows(actor, Action.SEE_IDENTITY):
        links.append(
            WorkLink(
                "Find a child",
                reverse("children:find"),
                "Search the children your organisation works with"
                + (", to open their record or report them missing" if _reports(actor) else ""),
            )
        )
    if child_steps.add(actor):
        links.append(
            WorkLink(
                "Add a child",
                reverse("children:add"),
                "A child who is not in Homeward yet: add them, and report them missing "
                "in the same journey",
            )
        )
    if role_allows(actor, Action.RECORD_INTERVIEW):
        links.append(
            WorkLink(
                "Return interviews",
                reverse("aftercare:interviews"),
                "The return home interviews assigned to "
                + ("you" if org.kind == OrganisationKind.RHI_PROVIDER else "your council")
                + ", with their 72-hour clocks",
            )
        )
    if compliance.may_see_work_list(actor):
        links.append(
            WorkLink(
                "Checks and interviews",
                reverse("aftercare:work_list"),
                "Overdue safe and well checks and return interviews, and the figures",
            )
        )
    if emergency.may_review(actor):
        links.append(
            WorkLink(
                "Emergency access",
                reverse("children:emergency-reviews"),
                "Review who opened your council's children's records in an emergency",
            )
        )
    if role_allows(actor, Action.SEE_AGGREGATES) and actor.role in insights_access.DASHBOARD_ROLES:
        national = org.kind == OrganisationKind.NATIONAL
        links.append(
            WorkLink(
                "National figures" if national else "Figures",
                reverse("insights:dashboard"),
                "Episodes, children and return interviews across England, small numbers suppressed"
                if national
                else "Episodes, children and return interviews in your area, by period",
            )
        )
        if national:
            links.append(
                WorkLink(
                    "Download the national figures",
                    reverse("insights:national-csv"),
                    "The same figures as a spreadsheet (CSV), for this financial year",
                )
            )
    if (
        role_allows(actor, Action.SEE_AGGREGATES)
        and actor.role in insights_access.BOARD_ROLES
        and org.kind == OrganisationKind.COUNCIL
    ):
        links.append(
            WorkLink(
                "Board reports",
                reverse("insights:board"),
                f"{org.name}'s quarterly reports for the corporate parenting board",
            )
        )
    if role_allows(actor, Action.ADMINISTER):
        links.append(
            WorkLink(
                "Users",
                reverse("organisations:users"),
                f"Add people to {org.name}, change their roles, reset their sign-in",
            )
        )
    return links


def _reports(actor: Actor) -> bool:
    return steps.report(actor).available


@web_view
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """Every role's home page leads to that role's work: the open episodes for those who
    work with children, and links to each page their role uses."""
    actor = actor_of(request)
    links = work_links(actor)
    if not role_allows(actor, Action.SEE_EPISODES):
        return render(
            request,
            "episodes/no_access.html",
            {
                "aggregate_only": actor.role in AGGREGATE_ONLY_ROLES,
                "no_membership": actor.membership is None,
                "administrator": role_allows(actor, Action.ADMINISTER),
                "links": links,
                "organisation": actor.organisation,
                "nav": "home",
            },
        )
    org = actor.organisation
    assert org is not None
    if org.kind == OrganisationKind.RHI_PROVIDER:
        return _interviewer_home(request, actor, links)
    episodes = services.list_episodes(actor)
    missing_qs = episodes.filter(status=EpisodeStatus.MISSING)
    returned_qs = episodes.filter(status=EpisodeStatus.RETURNED)
    missing = list(
        missing_qs.annotate(risk_order=_RISK_ORDER).order_by("risk_order", "last_seen_at")[
            :HOME_LIMIT
        ]
    )
    returned = list(returned_qs.order_by("-returned_at")[:HOME_LIMIT])
    services.audit_listed(actor, missing + returned)
    placed: list[Any] = []
    if org.kind == OrganisationKind.CARE_PROVIDER:
        placed = child_services.placed_with(actor, limit=HOME_LIMIT)
    unconfirmed = list(child_services.awaiting_confirmation(actor)[:HOME_LIMIT])
    audit_read_children(actor, [c.pk for c in unconfirmed])
    emergency_awaiting = (
        emergency.awaiting_review(actor).filter(reviewed_at__isnull=True).count()
        if emergency.may_review(actor)
        else 0
    )
    open_by_child = {e.child_id: e for e in missing}
    return render(
        request,
        "episodes/home.html",
        {
            "emergency_awaiting": emergency_awaiting,
            "missing": missing,
            "missing_total": missing_qs.count() if len(missing) == HOME_LIMIT else len(missing),
            "returned": returned,
            "returned_total": returned_qs.count() if len(returned) == HOME_LIMIT else len(returned),
            "limit": HOME_LIMIT,
            "nav": "home",
            "links": links,
            "can_report": _reports(actor),
            "can_add": child_steps.add(actor).available,
            "placed": [(child, open_by_child.get(child.pk)) for child in placed],
            "is_home": org.kind == OrganisationKind.CARE_PROVIDER,
            "unconfirmed": unconfirmed,
        },
    )


def audit_read_children(actor: Actor, child_ids: list[int]) -> None:
    if child_ids:
        audit.record_many_reads(actor, "child", sorted(set(child_ids)), action="list_result")


def _interviewer_home(request: HttpRequest, actor: Actor, links: list[WorkLink]) -> HttpResponse:
    """A return-interview provider's work is its interviews: how many are open, and how
    many of those are past their 72 hours. No names here: the list has them."""
    interviews = aftercare_services.list_interviews(actor).filter(closed_at__isnull=True)
    return render(
        request,
        "episodes/interviewer_home.html",
        {
            "links": links,
            "open_count": interviews.count(),
            "overdue_count": interviews.filter(due_at__lt=clock.now()).count(),
            "organisation": actor.organisation,
            "nav": "home",
        },
    )


# --- reporting a child missing -------------------------------------------------------------


@web_view
@require_http_methods(["GET", "POST"])
def report_missing(request: HttpRequest, pk: int) -> HttpResponse:
    """A POST goes straight to the service, which checks the permission; the page (a read
    of the child) is drawn only when there is a form to show."""
    actor = actor_of(request)
    form = ReportForm(request.POST) if request.method == "POST" else ReportForm()
    if form.is_bound and form.is_valid():
        try:
            result = services.report_missing(
                actor, pk, service_input(services.Report, form.cleaned_data)
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            return _reported(request, actor, result)
    child = child_services.read_child(actor, pk)
    if not steps.report(actor).allowed:
        raise PermissionDenied
    open_episode = services.list_episodes(
        actor, child_id=child.pk, status=EpisodeStatus.MISSING
    ).first()
    return render(
        request,
        "episodes/report.html",
        {
            "form": form,
            "child": child,
            "open_episode": open_episode,
            "just_added": request.GET.get("added") == "1",
            "access_ends": child_services.access_from_adding_ends(child)
            if child.added_by_organisation_id == getattr(actor.organisation, "pk", None)
            else None,
        },
    )


def _reported(request: HttpRequest, actor: Actor, result: services.ReportResult) -> HttpResponse:
    episode = result.episode
    reference = episode.reference
    org = actor.organisation
    from_a_home = org is not None and org.kind == OrganisationKind.CARE_PROVIDER
    if from_a_home and not visibility.visible_episodes(actor).filter(pk=episode.pk).exists():
        # A home's late report of an episode from before the child came to it (only a
        # home sees a child's episodes from one placement on, so only a home can lose one):
        # recorded, and known to the home only in outline from now on.
        messages.success(
            request,
            f"Episode {reference} has been recorded. It happened before "
            f"{episode.child.first_name} was placed with you, so you see it only in "
            "outline on their record",
        )
        return redirect("children:detail", pk=episode.child_id)
    if result.created and episode.returned_at is not None:
        messages.success(
            request,
            f"Episode {reference} has been recorded, with the child's return. "
            "A safe and well check and a return interview are now due",
        )
    elif result.created:
        messages.success(request, f"Episode {reference} has been created")
    else:
        messages.info(
            request,
            f"The child was already missing, so no new episode was created. "
            f"Your report has been added to the timeline of open episode "
            f"{reference}.",
        )
    return redirect("episodes:detail", reference=reference)


# --- the episode page ------------------------------------------------------------------------


@web_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    episode = services.read_episode(actor, reference)
    linked_ids = list(episode.went_missing_with.values_list("pk", flat=True))
    linked = list(services.list_episodes(actor).filter(pk__in=linked_ids))
    services.audit_listed(actor, linked)
    return render(
        request,
        "episodes/detail.html",
        {
            "episode": episode,
            "risk_history": list(
                episode.risk_history.select_related("decided_by", "decided_by_organisation")
            ),
            "classification_history": list(
                episode.classification_history.select_related("changed_by")
            ),
            "timeline": list(
                episode.timeline.select_related("recorded_by", "recorded_by_organisation")
            ),
            "linked": linked,
            "linked_hidden": len(linked_ids) - len(linked),
            "placement": _placement(episode),
            "actions": steps.for_episode(actor, episode),
            "age": episode.child.age_on(timezone.localtime(episode.last_seen_at).date()),
            "contacts": _contacts(episode),
        },
    )


def _contacts(episode: Episode) -> dict[str, Any]:
    """Who answers for the child now: their council, allocated worker and placement."""
    child = episode.child
    allocation = (
        child.allocations.filter(end_date__isnull=True)
        .select_related("worker", "organisation")
        .order_by("-start_date", "-pk")
        .first()
    )
    placement = (
        Placement.objects.select_related("provider", "host_council")
        .filter(pk=child.current_placement_id)
        .first()
        if child.current_placement_id is not None
        else None
    )
    return {
        "council": child.responsible_council,
        "provisional": child.responsible_council_provisional,
        "worker": allocation,
        "placement": placement,
    }


def _placement(episode: Episode) -> Placement | None:
    """The placement the child was in when they went missing."""
    if episode.placement_id is None:
        return None
    return (
        Placement.objects.select_related("provider", "host_council")
        .filter(pk=episode.placement_id)
        .first()
    )


# --- changes to an episode -----------------------------------------------------------------


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
