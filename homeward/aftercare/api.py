"""/api/v1: safe and well checks (on an episode) and return home interviews.

Thin: each endpoint builds the service input from its schema and calls
homeward.aftercare.services with the token's Actor. A check is recorded once and needs no
version; every change to an interview needs the version the client last saw (If-Match or
``version`` in the body)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from homeward.aftercare import services
from homeward.aftercare.models import ReturnInterview
from homeward.aftercare.schemas import (
    CheckIn,
    CheckOut,
    InterviewFilters,
    InterviewIn,
    InterviewListItemOut,
    InterviewOut,
    InterviewPageOut,
    OfferIn,
    OutcomeIn,
    OwnAccountLinkIn,
    OwnAccountLinkOut,
    OwnAccountOut,
    OwnAccountWithdrawalIn,
    ProviderIn,
)
from homeward.aftercare.services import own_accounts
from homeward.aftercare.views.own_account import link_url
from homeward.core.api import InterviewIfMatch, actor_of, expected_version, respond, respond_page
from homeward.core.idempotency import idempotent
from homeward.core.inputs import ON_INTERVIEW, service_arguments, service_input
from homeward.core.schemas import EpisodeReference, Id

router = Router()
INTERVIEWS = ["return interviews"]


def _interview(interview: ReturnInterview) -> HttpResponse:
    return respond(InterviewOut.build(interview))


# --- safe and well check ------------------------------------------------------------------


@router.post(
    "/episodes/{reference}/safe-and-well-check",
    response={201: CheckOut},
    tags=["safe and well checks"],
    summary="Record the safe and well check",
    description="Police roles. Once the child has returned: done (when, and what the child "
    "said in their own words) or not done with the reason. Recorded once per episode and "
    "shared with the child's council at once.",
)
@idempotent
def record_check(
    request: HttpRequest, reference: EpisodeReference, payload: CheckIn
) -> HttpResponse:
    details = service_input(services.CheckDetails, payload)
    check = services.record_check(actor_of(request), reference.upper(), details)
    return respond(
        CheckOut.build(check, check.episode.reference),
        201,
        location=reverse("api:read_episode", kwargs={"reference": check.episode.reference}),
    )


# --- return interviews --------------------------------------------------------------------


@router.get(
    "/return-interviews",
    response={200: InterviewPageOut},
    tags=INTERVIEWS,
    summary="List your organisation's return interviews",
    description="A council's coordinators and managers see the council's interviews; a "
    "return interview provider's workers see those assigned to it. Due soonest first. "
    "Each child shown is an audited read.",
)
def list_interviews(request: HttpRequest, filters: Query[InterviewFilters]) -> HttpResponse:
    actor = actor_of(request)
    queryset = services.list_interviews(
        actor,
        status=filters.status.value if filters.status else None,
        overdue=filters.overdue,
    )
    return respond_page(
        queryset.prefetch_related("episodes"),
        filters,
        InterviewPageOut,
        InterviewListItemOut.build,
        audit=lambda rows: services.audit_listed(actor, rows),
    )


@router.get(
    "/return-interviews/{interview_id}",
    response={200: InterviewOut},
    tags=INTERVIEWS,
    summary="Read a return interview",
    description="For the interview's council and its provider.",
)
def read_interview(request: HttpRequest, interview_id: Id) -> HttpResponse:
    return _interview(services.read_interview(actor_of(request), interview_id))


@router.post(
    "/return-interviews/{interview_id}/provider",
    response={200: InterviewOut},
    tags=INTERVIEWS,
    summary="Assign the interview to a provider",
    description="The council's coordinators and managers: a return interview provider, or "
    "the council itself. Needs If-Match or `version`.",
)
@idempotent
def assign_provider(
    request: HttpRequest, interview_id: Id, payload: ProviderIn, if_match: InterviewIfMatch = None
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version, "interview")
    interview = services.assign_provider(
        actor_of(request),
        interview_id,
        expected_version=version,
        **service_arguments(services.assign_provider, payload, given=ON_INTERVIEW),
    )
    return _interview(interview)


@router.post(
    "/return-interviews/{interview_id}/offer",
    response={200: InterviewOut},
    tags=INTERVIEWS,
    summary="Record when, by whom and how the interview was offered",
)
@idempotent
def record_offer(
    request: HttpRequest, interview_id: Id, payload: OfferIn, if_match: InterviewIfMatch = None
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version, "interview")
    interview = services.record_offer(
        actor_of(request),
        interview_id,
        version,
        **service_arguments(services.record_offer, payload, given=ON_INTERVIEW),
    )
    return _interview(interview)


@router.post(
    "/return-interviews/{interview_id}/outcome",
    response={200: InterviewOut},
    tags=INTERVIEWS,
    summary="Record the outcome: accepted, declined or not offered",
    description="Accepted and declined need the offer recorded first; not offered needs "
    "the reason. Declined and not offered finish the interview.",
)
@idempotent
def record_outcome(
    request: HttpRequest, interview_id: Id, payload: OutcomeIn, if_match: InterviewIfMatch = None
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version, "interview")
    interview = services.record_outcome(
        actor_of(request),
        interview_id,
        version,
        **service_arguments(services.record_outcome, payload, given=ON_INTERVIEW),
    )
    return _interview(interview)


@router.post(
    "/return-interviews/{interview_id}/interview",
    response={200: InterviewOut},
    tags=INTERVIEWS,
    summary="Record the interview as done",
    description="After the child accepted: who, where, the child's account in their own "
    "words, push and pull factors, risks found, what would help, actions and referrals.",
)
@idempotent
def record_interview(
    request: HttpRequest, interview_id: Id, payload: InterviewIn, if_match: InterviewIfMatch = None
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version, "interview")
    record = service_input(services.InterviewRecord, payload)
    interview = services.record_interview(actor_of(request), interview_id, version, record)
    return _interview(interview)


# --- the child's own account ---------------------------------------------------------------

OWN_ACCOUNT = ["the child's own account"]


def _own_account(request: HttpRequest, interview_id: int) -> HttpResponse:
    actor = actor_of(request)
    interview = services.read_interview(actor, interview_id)
    return respond(OwnAccountOut.build(own_accounts.own_account_state(actor, interview)))


@router.get(
    "/return-interviews/{interview_id}/own-account",
    response={200: OwnAccountOut},
    tags=OWN_ACCOUNT,
    summary="Read the state of the child's own account",
    description="For the interview's council and provider. The child's words only when "
    "the child chose that their worker may read them, and has not withdrawn it.",
)
def read_own_account(request: HttpRequest, interview_id: Id) -> HttpResponse:
    return _own_account(request, interview_id)


@router.post(
    "/return-interviews/{interview_id}/own-account/link",
    response={201: OwnAccountLinkOut},
    tags=OWN_ACCOUNT,
    summary="Make the child a private link for their own account",
    description="Those who record the interview. The link is in this answer only; any "
    "earlier link for the interview stops working. Not once the child has given it.",
)
def issue_own_account_link(
    request: HttpRequest, interview_id: Id, payload: OwnAccountLinkIn
) -> HttpResponse:
    issued = own_accounts.issue_link(actor_of(request), interview_id, days=payload.days)
    response = respond(
        OwnAccountLinkOut(url=link_url(issued.token), expires_at=issued.link.expires_at), 201
    )
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/return-interviews/{interview_id}/own-account/link/revoke",
    response={200: OwnAccountOut},
    tags=OWN_ACCOUNT,
    summary="Revoke the child's link",
)
@idempotent
def revoke_own_account_link(request: HttpRequest, interview_id: Id) -> HttpResponse:
    own_accounts.revoke_link(actor_of(request), interview_id)
    return _own_account(request, interview_id)


@router.post(
    "/return-interviews/{interview_id}/own-account/withdrawal",
    response={200: OwnAccountOut},
    tags=OWN_ACCOUNT,
    summary="Record that the child withdrew their consent",
    description="The child's words are deleted and the council's stored board reports "
    "that could have quoted them are made again.",
)
@idempotent
def withdraw_own_account_consent(
    request: HttpRequest, interview_id: Id, payload: OwnAccountWithdrawalIn
) -> HttpResponse:
    own_accounts.withdraw_consent(
        actor_of(request),
        interview_id,
        method=payload.method.value,
        expected_version=payload.version,
    )
    return _own_account(request, interview_id)
