"""/api/v1: the child's risk management plan, its versions, and any earlier version.

Thin: the same services as the pages (``homeward.safeguarding.services.plans``), so a save
here leaves the same trail as one on the web. A PUT writes the next version: send the
``version`` you last read (leave it out for the first), or it is refused as stale (409)."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header

from homeward.core.api import Versioned, actor_of, expected_version, respond
from homeward.core.errors import NotFound
from homeward.core.schemas import MAX_VERSION, Day, Id, InputSchema, LongText
from homeward.organisations.models import User
from homeward.safeguarding.models import PlanVersion
from homeward.safeguarding.services import plans

router = Router()
PLANS = ["risk management plans"]

RowText = Annotated[str, Field(max_length=plans.ROW_TEXT)]
PlanIfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag you last received for the plan, e.g. "3". Or send the version '
        "in the body; send neither for the first version.",
    ),
]


class PlanAgencyIn(InputSchema):
    agency: RowText = ""
    will_do: RowText = ""
    owner: RowText = ""


class PlanActionIn(InputSchema):
    action: RowText = ""
    owner: RowText = ""
    due: Day | None = None
    done: bool = False


class PlanIn(InputSchema):
    version: Annotated[int, Field(ge=1, le=MAX_VERSION)] | None = Field(
        None, description="The plan's current version as you last read it; none for the first."
    )
    risks: LongText
    if_missing: list[RowText] = Field(
        max_length=plans.MAX_ROWS, description="The steps to take if the child goes missing."
    )
    report_after_minutes: Annotated[int, Field(ge=1, le=plans.MAX_REPORT_AFTER)] | None = None
    review_date: Day
    owner_id: Id = Field(description="The named owner: a user at your council.")
    agencies: list[PlanAgencyIn] = Field(default=[], max_length=plans.MAX_ROWS)
    actions: list[PlanActionIn] = Field(default=[], max_length=plans.MAX_ROWS)
    change_note: LongText = Field("", description="What changed and why (after version 1).")
    review_id: Id | None = Field(None, description="The review of the plan this save completes.")


class PlanAgencyOut(Schema):
    agency: str
    will_do: str
    owner: str


class PlanActionOut(Schema):
    action: str
    owner: str
    due: date | None
    done: bool


class PlanPersonOut(Schema):
    id: int
    name: str


class PlanVersionOut(Versioned):
    """One version of the plan; ``version`` (and the ETag) is the plan's current version,
    the one to send back to change it."""

    child_id: int
    number: int
    risks: str
    if_missing: list[str]
    report_after_minutes: int | None
    review_date: date
    owner: PlanPersonOut
    agencies: list[PlanAgencyOut]
    actions: list[PlanActionOut]
    change_note: str
    changed_at: datetime
    changed_by: PlanPersonOut | None
    changed_by_organisation: str | None


class PlanVersionSummaryOut(Schema):
    number: int
    changed_at: datetime
    changed_by: PlanPersonOut | None
    changed_by_organisation: str | None
    changed: list[str] = Field(description="What this version changed against the one before.")
    change_note: str


class PlanVersionsOut(Schema):
    child_id: int
    current_version: int
    versions: list[PlanVersionSummaryOut]


def _person(user: User | None) -> PlanPersonOut | None:
    if user is None:
        return None
    return PlanPersonOut(id=user.pk, name=user.get_full_name() or user.get_username())


def _version(child_id: int, current: int, v: PlanVersion) -> PlanVersionOut:
    owner = _person(v.owner)
    assert owner is not None
    return PlanVersionOut(
        child_id=child_id,
        number=v.number,
        version=current,
        risks=v.risks,
        if_missing=list(v.if_missing),
        report_after_minutes=v.report_after_minutes,
        review_date=v.review_date,
        owner=owner,
        agencies=[PlanAgencyOut(**row) for row in v.agencies],
        actions=[
            PlanActionOut(
                action=row["action"],
                owner=row["owner"],
                due=date.fromisoformat(row["due"]) if row.get("due") else None,
                done=bool(row.get("done")),
            )
            for row in v.actions
        ],
        change_note=v.change_note,
        changed_at=v.changed_at,
        changed_by=_person(v.changed_by),
        changed_by_organisation=v.changed_by_organisation.name
        if v.changed_by_organisation
        else None,
    )


@router.get(
    "/children/{child_id}/plan",
    response={200: PlanVersionOut},
    tags=PLANS,
    summary="Read the child's current plan",
    description="Councils, police and the child's current home that see the child (not a "
    "return interview provider). 404 when the child has no plan yet. An audited read.",
)
def read_plan(request: HttpRequest, child_id: Id) -> HttpResponse:
    read = plans.read_plan(actor_of(request), child_id)
    if read.plan is None or read.version is None:
        raise NotFound("This child has no risk management plan yet.")
    return respond(_version(read.child.pk, read.plan.current_version, read.version))


@router.put(
    "/children/{child_id}/plan",
    response={200: PlanVersionOut},
    tags=PLANS,
    summary="Write the next version of the child's plan",
    description="The child's council (social workers, missing coordinators, managers). "
    "Makes version 1, or the next version after `version`; earlier versions are kept. "
    "Send the version you last read (If-Match or `version`; neither for the first): "
    "stale, 409 (412 for If-Match).",
)
def save_plan(
    request: HttpRequest, child_id: Id, payload: PlanIn, if_match: PlanIfMatch = None
) -> HttpResponse:
    version = (
        expected_version(request, if_match, payload.version, "plan")
        if if_match or payload.version is not None
        else None
    )
    data = plans.PlanInput(
        risks=payload.risks,
        if_missing=list(payload.if_missing),
        review_date=payload.review_date,
        owner_id=payload.owner_id,
        agencies=[row.model_dump() for row in payload.agencies],
        actions=[row.model_dump() for row in payload.actions],
        report_after_minutes=payload.report_after_minutes,
        change_note=payload.change_note,
    )
    saved = plans.save_plan(actor_of(request), child_id, data, version, review_id=payload.review_id)
    return respond(_version(saved.plan.child_id, saved.number, saved))


@router.get(
    "/children/{child_id}/plan/versions",
    response={200: PlanVersionsOut},
    tags=PLANS,
    summary="List the versions of the child's plan",
    description="Newest first: who saved each, when, and which parts it changed.",
)
def plan_versions(request: HttpRequest, child_id: Id) -> HttpResponse:
    read, changes = plans.read_versions(actor_of(request), child_id)
    if read.plan is None:
        raise NotFound("This child has no risk management plan yet.")
    return respond(
        PlanVersionsOut(
            child_id=read.child.pk,
            current_version=read.plan.current_version,
            versions=[
                PlanVersionSummaryOut(
                    number=c.version.number,
                    changed_at=c.version.changed_at,
                    changed_by=_person(c.version.changed_by),
                    changed_by_organisation=c.version.changed_by_organisation.name
                    if c.version.changed_by_organisation
                    else None,
                    changed=c.changed,
                    change_note=c.version.change_note,
                )
                for c in changes
            ],
        )
    )


@router.get(
    "/children/{child_id}/plan/versions/{number}",
    response={200: PlanVersionOut},
    tags=PLANS,
    summary="Read one version of the child's plan",
    description="Any version, earlier or current, in full, as it was saved.",
)
def plan_version(
    request: HttpRequest, child_id: Id, number: Annotated[int, Field(ge=1, le=MAX_VERSION)]
) -> HttpResponse:
    read, found = plans.read_version(actor_of(request), child_id, number)
    assert read.plan is not None
    return respond(_version(read.child.pk, read.plan.current_version, found))
