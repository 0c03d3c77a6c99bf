"""/api/v1: a children's home's missing protocol, its runs for episodes, and how well homes
follow them. Thin: each endpoint calls homeward.safeguarding.services with the token's
Actor."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.params.functions import Header
from pydantic import Field

from homeward.core.api import actor_of, expected_version, respond
from homeward.core.errors import NotFound
from homeward.core.idempotency import idempotent
from homeward.core.responses import Versioned
from homeward.core.schemas import EpisodeReference, InputSchema, LongText, When
from homeward.safeguarding.models.protocols import HomeProtocol
from homeward.safeguarding.services import protocol_compliance, runs
from homeward.safeguarding.services import protocols as services

router = Router(tags=["home protocols"])

StepText = Annotated[str, Field(max_length=300)]
Position = Annotated[int, Field(ge=1, le=100)]
ProtocolIfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag you last received for the home\'s protocol, e.g. "3". Or send '
        "the version in the body. Not needed for the home's first protocol.",
    ),
]


class ProtocolStepSchema(Schema):
    kind: str = Field(description="search, ring_child, ring_contacts, tell_police, ...")
    text: StepText
    within_minutes: int | None = Field(
        default=None, description="Done within this many minutes of noticing (optional)"
    )


class ProtocolStepIn(InputSchema):
    kind: Annotated[str, Field(max_length=20)]
    text: StepText
    within_minutes: Annotated[int, Field(ge=1, le=services.MAX_WITHIN_MINUTES)] | None = None


class HomeProtocolIn(InputSchema):
    steps: list[ProtocolStepIn] = Field(max_length=services.MAX_STEPS)
    sign_off_hours: Annotated[int, Field(ge=1, le=services.MAX_SIGN_OFF_HOURS)]
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="The version you last saw: refused (409) if it changed"
    )


class HomeProtocolOut(Versioned):
    home_id: int
    sign_off_hours: int
    updated_at: datetime
    steps: list[ProtocolStepSchema]

    @classmethod
    def build(cls, protocol: HomeProtocol) -> "HomeProtocolOut":
        return cls(
            home_id=protocol.home_id,
            version=protocol.version,
            sign_off_hours=protocol.sign_off_hours,
            updated_at=protocol.updated_at,
            steps=[
                ProtocolStepSchema(kind=s.kind, text=s.text, within_minutes=s.within_minutes)
                for s in protocol.steps.all()
            ],
        )


class ProtocolRunStepOut(Schema):
    position: int
    kind: str
    text: str
    within_minutes: int | None
    done_at: datetime | None
    not_done_reason: str
    note: str
    recorded_at: datetime | None


class ProtocolNoticeOut(Schema):
    recipient: str
    notified_at: datetime
    reference: str
    reason: str


class ProtocolPlanOut(Schema):
    plan_version: int | None
    if_missing: list[str]
    report_after_minutes: int | None
    associates: list[dict[str, str]] = Field(description="name, relationship and phone")


class ProtocolRunOut(Versioned):
    episode: str
    protocol_version: int
    noticed_at: datetime
    started_at: datetime
    police_due_minutes: int | None
    police_told_at: datetime | None
    sign_off_due_at: datetime
    signed_off_at: datetime | None
    sign_off_note: str
    steps: list[ProtocolRunStepOut]
    notices: list[ProtocolNoticeOut]
    plan: ProtocolPlanOut


def _run(actor_request: HttpRequest, reference: str, status: int = 200) -> HttpResponse:
    page = services.read_run(actor_of(actor_request), reference)
    run = page.run
    body = ProtocolRunOut(
        version=run.version,
        episode=run.episode.reference,
        protocol_version=run.protocol_version,
        noticed_at=run.noticed_at,
        started_at=run.started_at,
        police_due_minutes=run.police_due_minutes,
        police_told_at=run.police_told_at,
        sign_off_due_at=run.sign_off_due_at,
        signed_off_at=run.signed_off_at,
        sign_off_note=run.sign_off_note,
        steps=[ProtocolRunStepOut.model_validate(s, from_attributes=True) for s in page.steps],
        notices=[ProtocolNoticeOut.model_validate(n, from_attributes=True) for n in page.notices],
        plan=ProtocolPlanOut(**vars(page.plan)),
    )
    return respond(body, status)


class ProtocolStepRecordIn(InputSchema):
    done: bool
    done_at: When | None = None
    not_done_reason: LongText = ""
    note: LongText = ""


class ProtocolSignOffIn(InputSchema):
    note: LongText


class ProtocolNoticeIn(InputSchema):
    recipient: Annotated[str, Field(max_length=20, description="ofsted or placing_council")]
    notified_at: When
    reason: LongText
    reference: Annotated[str, Field(max_length=60)] = ""


class ProtocolFiguresOut(Schema):
    runs: int
    followed: int
    followed_share: float | None
    median_police_minutes: float | None
    longest_police_minutes: int | None
    told_in_time: int
    told_in_time_share: float | None
    signed_off_on_time: int
    signed_off_late: int
    awaiting_sign_off: int

    @classmethod
    def build(cls, f: protocol_compliance.Figures) -> "ProtocolFiguresOut":
        return cls(
            runs=f.runs,
            followed=f.followed,
            followed_share=f.followed_share,
            median_police_minutes=f.median_police_minutes,
            longest_police_minutes=f.longest_police_minutes,
            told_in_time=f.told_in_time,
            told_in_time_share=f.told_in_time_share,
            signed_off_on_time=f.on_time,
            signed_off_late=f.late,
            awaiting_sign_off=f.awaiting,
        )


class ProtocolHomeFiguresOut(Schema):
    home_id: int
    home: str
    figures: ProtocolFiguresOut


class ProtocolComplianceOut(Schema):
    total: ProtocolFiguresOut
    homes: list[ProtocolHomeFiguresOut]


@router.get(
    "/protocols/compliance",
    response=ProtocolComplianceOut,
    summary="How well homes follow their missing protocols",
    description="A home's care managers: their home. A council's coordinators and managers: "
    "runs of children it is responsible for, and at homes or placements in its area.",
)
def compliance(request: HttpRequest) -> HttpResponse:
    found = protocol_compliance.compliance(actor_of(request))
    return respond(
        ProtocolComplianceOut(
            total=ProtocolFiguresOut.build(found.total),
            homes=[
                ProtocolHomeFiguresOut(
                    home_id=h.home_id, home=h.home, figures=ProtocolFiguresOut.build(h.figures)
                )
                for h in found.homes
            ],
        )
    )


@router.get(
    "/protocols/home",
    response=HomeProtocolOut,
    summary="Your home's missing protocol",
    description="A children's home's staff. 404 if the home has not written one.",
)
def read_home_protocol(request: HttpRequest) -> HttpResponse:
    protocol = services.read_home_protocol(actor_of(request))
    if protocol is None:
        raise NotFound("Your home has not written its missing protocol.")
    return respond(HomeProtocolOut.build(protocol))


@router.put(
    "/protocols/home",
    response=HomeProtocolOut,
    summary="Write your home's missing protocol",
    description="A home's care managers. Each save is a new version; runs already started "
    "keep the steps they copied.",
)
def save_home_protocol(
    request: HttpRequest, payload: HomeProtocolIn, if_match: ProtocolIfMatch = None
) -> HttpResponse:
    actor = actor_of(request)
    version = None
    if services.read_home_protocol(actor) is not None:
        version = expected_version(request, if_match, payload.version, "home's protocol")
    protocol = services.save_home_protocol(
        actor,
        [services.StepInput(s.kind, s.text, s.within_minutes) for s in payload.steps],
        sign_off_hours=payload.sign_off_hours,
        expected_version=version,
    )
    return respond(HomeProtocolOut.build(services.protocol_of(protocol.home_id) or protocol))


@router.get(
    "/episodes/{reference}/protocol",
    response=ProtocolRunOut,
    summary="The home's protocol followed for an episode",
    description="The staff of the home the child lives in now, with the child's plan beside.",
)
def read_run(request: HttpRequest, reference: EpisodeReference) -> HttpResponse:
    return _run(request, reference)


@router.post(
    "/episodes/{reference}/protocol/steps/{position}",
    response=ProtocolRunOut,
    summary="Record a step of the home's protocol",
    description="Done (at what time), or not done and why. Telling the police sets when the "
    "police were told.",
)
@idempotent
def record_step(
    request: HttpRequest,
    reference: EpisodeReference,
    position: Position,
    payload: ProtocolStepRecordIn,
) -> HttpResponse:
    runs.record_step(
        actor_of(request),
        reference,
        position,
        runs.StepResult(
            done=payload.done,
            done_at=payload.done_at,
            not_done_reason=payload.not_done_reason,
            note=payload.note,
        ),
    )
    return _run(request, reference)


@router.post(
    "/episodes/{reference}/protocol/sign-off",
    response=ProtocolRunOut,
    summary="Sign off the home's protocol",
    description="The home's care managers, once every step is recorded.",
)
@idempotent
def sign_off(
    request: HttpRequest, reference: EpisodeReference, payload: ProtocolSignOffIn
) -> HttpResponse:
    runs.sign_off(actor_of(request), reference, payload.note)
    return _run(request, reference)


@router.post(
    "/episodes/{reference}/protocol/notices",
    response={201: ProtocolRunOut},
    summary="Record a regulation 40 notification",
    description="Where regulation 40 applies (a serious event): to Ofsted or the placing "
    "council, when, their reference and why it applies.",
)
@idempotent
def record_notice(
    request: HttpRequest, reference: EpisodeReference, payload: ProtocolNoticeIn
) -> HttpResponse:
    runs.record_notice(
        actor_of(request),
        reference,
        runs.NoticeInput(
            recipient=payload.recipient,
            notified_at=payload.notified_at,
            reason=payload.reason,
            reference=payload.reference,
        ),
    )
    return _run(request, reference, 201)
