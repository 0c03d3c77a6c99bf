"""API: the police briefing sheet of an open episode (JSON and a one-page PDF) and the
public appeal (agree, withdraw, read). Thin: each endpoint calls
homeward.safeguarding.services.briefing or .appeals with the token's Actor."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from homeward.core.api import actor_of, respond
from homeward.core.clock import UK
from homeward.core.errors import NotFound
from homeward.core.idempotency import idempotent
from homeward.core.responses import Versioned
from homeward.core.schemas import EpisodeReference, InputSchema
from homeward.safeguarding.models.profiles import APPEAL_FIELDS, PublicAppeal
from homeward.safeguarding.services import appeals, briefing
from homeward.safeguarding.views.briefing_pdf import briefing_pdf

router = Router(tags=["briefing and appeals"])

AppealField = StrEnum("AppealField", {name: name for name in APPEAL_FIELDS})  # type: ignore[misc]


class BriefingContactOut(Schema):
    role: str
    name: str
    email: str


class BriefingChildOut(Schema):
    name: str
    age: int
    sex: str


class BriefingSheetOut(Versioned):
    """Everything on the sheet; ``version`` is the episode's."""

    reference: str
    police_reference: str
    police_force: str
    child: BriefingChildOut
    has_photo: bool = Field(description="The PDF carries the photograph")
    description: dict[str, str]
    clothing: str
    last_seen_at: datetime
    last_seen_location: str
    last_seen_with: str
    risk_grade: str
    risk_rationale: str
    medical_needs: str
    medication: str
    vulnerabilities: str
    places: list[dict[str, Any]]
    associates: list[dict[str, Any]]
    phone: str
    social_media: str
    what_worked_before: str
    if_missing: list[str]
    council: str
    contacts: list[BriefingContactOut]
    generated_at: datetime


class AppealPublicOut(Schema):
    """Only what the council agreed may be published; the rest is null."""

    first_name: str | None = None
    age: int | None = None
    has_photo: bool = False
    description: dict[str, str] | None = None
    clothing: str | None = None
    last_seen_area: str | None = None
    last_seen_at: datetime | None = None
    wording: str
    police_force: str
    police_reference: str


class AppealOut(Versioned):
    """The appeal; ``version`` counts the agreements made for the episode."""

    id: int
    episode: str
    status: str = Field(description="live or withdrawn")
    fields: list[str]
    wording: str
    agreed_at: datetime
    agreed_by_organisation: str
    withdrawn_at: datetime | None
    withdrawn_reason: str
    public: AppealPublicOut | None = Field(description="The public version, while live")

    @classmethod
    def build(cls, appeal: PublicAppeal, content: dict[str, Any] | None = None) -> "AppealOut":
        public = None
        if content is not None:
            public = AppealPublicOut(
                **{k: v for k, v in content.items() if k not in {"photo", "photo_type"}},
                has_photo=bool(content.get("photo")),
            )
        return cls(
            id=appeal.pk,
            episode=appeal.episode.reference,
            status="withdrawn" if appeal.withdrawn_at else "live",
            fields=list(appeal.fields),
            wording=appeal.wording,
            agreed_at=appeal.agreed_at,
            agreed_by_organisation=appeal.agreed_by_organisation.name,
            withdrawn_at=appeal.withdrawn_at,
            withdrawn_reason=appeal.withdrawn_reason,
            public=public,
            version=appeal.episode.public_appeals.filter(pk__lte=appeal.pk).count(),
        )


class AppealIn(InputSchema):
    fields: list[AppealField] = Field(
        min_length=1, max_length=len(APPEAL_FIELDS), description="What may be published"
    )
    wording: Annotated[str, Field(max_length=appeals.WORDING_MAX)] = ""


class AppealWithdrawIn(InputSchema):
    reason: Annotated[str, Field(min_length=1, max_length=appeals.REASON_MAX)]


_ETAG = {
    "description": 'The version of the episode, quoted: "3".',
    "required": True,
    "schema": {"type": "string"},
}


def _pdf_response(description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                "headers": {"ETag": _ETAG},
            }
        }
    }


def _pdf(pdf: bytes, name: str, version: int) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = f'"{version}"'
    return response


@router.get(
    "/episodes/{reference}/briefing",
    response={200: BriefingSheetOut},
    summary="Read the police briefing sheet",
    description="The force handling an open episode (police roles): who the child is, "
    "their description, where and when last seen, the risk grade and why, medical needs, "
    "places, associates, what worked before and the plan's steps. An audited read.",
)
def read_briefing(request: HttpRequest, reference: EpisodeReference) -> HttpResponse:
    sheet = briefing.read_briefing(actor_of(request), reference)
    data = briefing.as_data(sheet)
    return respond(BriefingSheetOut(**data, version=sheet.episode.version))


@router.get(
    "/episodes/{reference}/briefing.pdf",
    summary="Download the police briefing sheet as a PDF",
    description="The same sheet as one A4 page, with the photograph. An audited read.",
    openapi_extra=_pdf_response("The briefing sheet, one A4 page"),
)
def download_briefing(request: HttpRequest, reference: EpisodeReference) -> HttpResponse:
    sheet = briefing.read_briefing(actor_of(request), reference, download=True)
    name = f"briefing-{sheet.episode.reference}.pdf"
    return _pdf(briefing_pdf(sheet), name, sheet.episode.version)


@router.post(
    "/episodes/{reference}/appeal",
    response={201: AppealOut},
    summary="Agree a public appeal",
    description="The child's responsible council's missing coordinators and managers, "
    "while the child is missing: which details may be published, and the wording. "
    "Withdraws the appeal agreed before it.",
)
@idempotent
def agree_appeal(
    request: HttpRequest, reference: EpisodeReference, payload: AppealIn
) -> HttpResponse:
    appeal = appeals.agree_appeal(
        actor_of(request),
        reference,
        fields=[str(f.value) for f in payload.fields],
        wording=payload.wording,
    )
    return respond(AppealOut.build(appeal), 201)


@router.post(
    "/episodes/{reference}/appeal/withdraw",
    response={200: AppealOut},
    summary="Withdraw the public appeal",
    description="The child's responsible council's missing coordinators and managers, "
    "with the reason. A return withdraws the appeal by itself.",
)
@idempotent
def withdraw_appeal(
    request: HttpRequest, reference: EpisodeReference, payload: AppealWithdrawIn
) -> HttpResponse:
    appeal = appeals.withdraw_appeal(actor_of(request), reference, reason=payload.reason)
    return respond(AppealOut.build(appeal))


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value, UK)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


@router.get(
    "/episodes/{reference}/appeal",
    response={200: AppealOut},
    summary="Read the public appeal",
    description="The force handling the episode and the responsible council, while the "
    "appeal is live: only the agreed details. Once withdrawn, 404 saying when and why. "
    "An audited read.",
)
def read_appeal(request: HttpRequest, reference: EpisodeReference) -> HttpResponse:
    page = appeals.read_appeal(actor_of(request), reference)
    if not page.live:
        appeal = page.appeal
        why = (
            "the child was found"
            if appeal.withdrawn_reason == appeals.FOUND_REASON
            else f"of this reason: {appeal.withdrawn_reason}"
        )
        raise NotFound(f"This appeal was withdrawn on {_when(appeal.withdrawn_at)} because {why}.")
    return respond(AppealOut.build(page.appeal, page.content))
