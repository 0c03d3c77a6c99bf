"""/api/v1/episodes: report, list, read, and every change to an episode.

Thin: each endpoint builds the service input from its schema and calls
homeward.episodes.services with the token's Actor. Every edit of an episode's recorded
facts needs the version the client last saw (If-Match or ``version``); appending to the
timeline or linking episodes overwrites nothing and needs no version."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from homeward.core.actor import Actor
from homeward.core.api import EpisodeIfMatch, actor_of, expected_version, respond, respond_page
from homeward.core.errors import ValidationFailed
from homeward.core.idempotency import idempotent
from homeward.core.inputs import ON_RECORD, service_arguments, service_input
from homeward.core.schemas import EpisodeReference
from homeward.episodes import services
from homeward.episodes.models import Episode
from homeward.episodes.schemas import (
    ClassificationIn,
    CloseIn,
    EpisodeFilters,
    EpisodeOut,
    EpisodePageOut,
    EpisodeSummaryOut,
    EpisodeUpdateIn,
    LinkIn,
    PlanIfMissingOut,
    RegradeIn,
    ReportIn,
    ReportOut,
    ReturnIn,
    TimelineEntryIn,
)
from homeward.safeguarding.schemas.profiles import ProfileForPoliceOut
from homeward.safeguarding.services import plan_rules
from homeward.safeguarding.services import profiles as profile_services

router = Router(tags=["episodes"])


def _url(episode: Episode) -> str:
    return reverse("api:read_episode", kwargs={"reference": episode.reference})


def _profile_given(actor: Actor, episode: Episode) -> ProfileForPoliceOut | None:
    """The missing profile the report gave the force, if the reporter may see it."""
    found = profile_services.profile_for_report(actor, episode)
    if found is None:
        return None
    profile, photo_id = found
    return ProfileForPoliceOut.of(episode.child_id, profile, photo_id)


def _plan_steps(actor: Actor, episode: Episode) -> PlanIfMissingOut | None:
    """What the child's plan says to do if they go missing, for whoever just reported."""
    found = plan_rules.plan_for_report(actor, episode.child)
    if found is None:
        return None
    return PlanIfMissingOut(
        version=found.number,
        steps=list(found.if_missing),
        report_after_minutes=found.report_after_minutes,
    )


def _episode(request: HttpRequest, episode: Episode, status: int = 200) -> HttpResponse:
    return respond(EpisodeOut.build(actor_of(request), episode), status)


@router.post(
    "",
    response={201: ReportOut, 200: ReportOut},
    summary="Report a child missing",
    description="Opens an episode (201). If the child is already missing, the report is "
    "added to the open episode's timeline instead and that episode is returned with "
    "`already_missing: true` (200): there is never a second open episode. A late report "
    "of an episode that is already over carries `return_details`: it is recorded as its "
    "own, returned, episode. To report a child found by POST /api/v1/children/matches "
    "whose record you may not see, send the match's `match_token` instead of `child_id`.",
)
@idempotent
def report_missing(request: HttpRequest, payload: ReportIn) -> HttpResponse:
    actor = actor_of(request)
    report = service_input(services.Report, payload, besides={"child_id", "match_token"})
    if payload.match_token:
        result = services.report_against_match(actor, payload.match_token, report)
    elif payload.child_id is None:
        raise ValidationFailed({"child_id": "Send the child's id, or a match_token"})
    else:
        result = services.report_missing(actor, payload.child_id, report)
    body = ReportOut(
        **EpisodeOut.fields_for(actor, result.episode, result.written),
        already_missing=not result.created,
        missing_profile=_profile_given(actor, result.episode),
        plan_if_missing=_plan_steps(actor, result.episode),
    )
    return respond(body, 201 if result.created else 200, location=_url(result.episode))


@router.get(
    "",
    response={200: EpisodePageOut},
    summary="List episodes you may see",
    description="Newest last-seen first. Each child shown is an audited read.",
)
def list_episodes(request: HttpRequest, filters: Query[EpisodeFilters]) -> HttpResponse:
    actor = actor_of(request)
    queryset = services.list_episodes(
        actor,
        status=filters.status.value if filters.status else None,
        child_id=filters.child_id,
        risk_grade=filters.risk_grade.value if filters.risk_grade else None,
        since=filters.since,
        until=filters.until,
    )
    return respond_page(
        queryset,
        filters,
        EpisodePageOut,
        EpisodeSummaryOut.build,
        audit=lambda rows: services.audit_listed(actor, rows),
    )


@router.get("/{reference}", response={200: EpisodeOut}, summary="Read an episode")
def read_episode(request: HttpRequest, reference: EpisodeReference) -> HttpResponse:
    episode = services.read_episode(actor_of(request), reference.upper())
    return _episode(request, episode)


@router.patch(
    "/{reference}",
    response={200: EpisodeOut},
    summary="Change an episode's details",
    description="Send only the fields that change. Needs If-Match or `version`.",
)
def update_episode(
    request: HttpRequest,
    reference: EpisodeReference,
    payload: EpisodeUpdateIn,
    if_match: EpisodeIfMatch = None,
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version)
    episode = services.update_episode(
        actor_of(request), reference.upper(), version, payload.changes()
    )
    return _episode(request, episode)


@router.post(
    "/{reference}/risk-assessments",
    response={201: EpisodeOut},
    summary="Re-grade the risk",
    description="Adds a risk assessment to the episode's risk history. Police roles only.",
)
@idempotent
def regrade(
    request: HttpRequest,
    reference: EpisodeReference,
    payload: RegradeIn,
    if_match: EpisodeIfMatch = None,
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version)
    regrading = service_input(services.Regrading, payload)
    episode = services.regrade(actor_of(request), reference.upper(), version, regrading)
    return _episode(request, episode, 201)


@router.post(
    "/{reference}/classification",
    response={200: EpisodeOut},
    summary="Change the classification (missing / away without authorisation)",
)
@idempotent
def change_classification(
    request: HttpRequest,
    reference: EpisodeReference,
    payload: ClassificationIn,
    if_match: EpisodeIfMatch = None,
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version)
    episode = services.change_classification(
        actor_of(request),
        reference.upper(),
        version,
        **service_arguments(services.change_classification, payload, given=ON_RECORD),
    )
    return _episode(request, episode)


@router.post(
    "/{reference}/timeline",
    response={201: EpisodeOut},
    summary="Add a sighting, call, action or note",
)
@idempotent
def add_timeline_entry(
    request: HttpRequest, reference: EpisodeReference, payload: TimelineEntryIn
) -> HttpResponse:
    entry = services.add_timeline_entry(
        actor_of(request),
        reference.upper(),
        **service_arguments(services.add_timeline_entry, payload, given=ON_RECORD),
    )
    return _episode(request, entry.episode, 201)


@router.post(
    "/{reference}/return",
    response={200: EpisodeOut},
    summary="Record the child's return or being found",
)
@idempotent
def record_return(
    request: HttpRequest,
    reference: EpisodeReference,
    payload: ReturnIn,
    if_match: EpisodeIfMatch = None,
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version)
    details = service_input(services.Return, payload)
    episode = services.record_return(actor_of(request), reference.upper(), version, details)
    return _episode(request, episode)


@router.post("/{reference}/close", response={200: EpisodeOut}, summary="Close the episode")
@idempotent
def close_episode(
    request: HttpRequest,
    reference: EpisodeReference,
    payload: CloseIn,
    if_match: EpisodeIfMatch = None,
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version)
    episode = services.close_episode(actor_of(request), reference.upper(), version)
    return _episode(request, episode)


@router.post(
    "/{reference}/links",
    response={201: EpisodeOut},
    summary="Record that another child went missing with this one",
)
@idempotent
def link_episodes(
    request: HttpRequest, reference: EpisodeReference, payload: LinkIn
) -> HttpResponse:
    episode = services.link_episodes(
        actor_of(request),
        reference.upper(),
        **service_arguments(services.link_episodes, payload, given=ON_RECORD),
    )
    return _episode(request, episode, 201)
