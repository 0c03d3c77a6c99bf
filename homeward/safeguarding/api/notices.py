"""/api/v1/notices: harbouring notices (Child Abduction Warning Notices). The same services
as the pages: each reader sees the children and breaches they may see; issue, review and
withdraw are the issuing force's; a breach is any police force's that sees the notice."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from homeward.children import visibility
from homeward.core.api import actor_of, respond
from homeward.core.idempotency import idempotent
from homeward.core.responses import respond_page
from homeward.core.schemas import Day, EpisodeReference, Id, InputSchema, LongText, When
from homeward.safeguarding.models import HarbouringNotice, NoticeBreach
from homeward.safeguarding.services import notice_breaches, notice_rules, notices

router = Router(tags=["harbouring notices"])


class NoticePaging(Schema):
    status: str = Field("", description="live, expired or withdrawn; blank for all")
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class NoticeBreachOut(Schema):
    id: int
    child_id: int
    occurred_at: datetime
    place_id: int | None
    location: str
    episode: str | None
    details: str

    @classmethod
    def build(cls, breach: NoticeBreach) -> "NoticeBreachOut":
        return cls(
            id=breach.pk,
            child_id=breach.child_id,
            occurred_at=breach.occurred_at,
            place_id=breach.place_id,
            location=breach.location,
            episode=breach.episode.reference if breach.episode is not None else None,
            details=breach.details,
        )


class NoticeSummaryOut(Schema):
    id: int
    reference: str
    person_id: int
    force_id: int
    issued_on: date
    review_on: date
    expires_on: date
    withdrawn_on: date | None
    status: str = Field(description="live, expired or withdrawn")

    @classmethod
    def build(cls, notice: HarbouringNotice) -> "NoticeSummaryOut":
        return cls(
            id=notice.pk,
            reference=notice.reference,
            person_id=notice.person_id,
            force_id=notice.force_id,
            issued_on=notice.issued_on,
            review_on=notice.review_on,
            expires_on=notice.expires_on,
            withdrawn_on=notice.withdrawn_on,
            status=notice_rules.status(notice),
        )


class NoticeOut(NoticeSummaryOut):
    served_by: str
    child_ids: list[int] = Field(description="The children named that you may see")
    other_children: int = Field(description="How many more it names, that you do not see")
    last_reviewed_on: date | None
    withdrawn_reason: str
    breaches: list[NoticeBreachOut]


def _out(read: notices.NoticeRead) -> NoticeOut:
    n = read.notice
    return NoticeOut(
        **NoticeSummaryOut.build(n).model_dump(),
        served_by=n.served_by,
        child_ids=[c.pk for c in read.children],
        other_children=read.hidden_children,
        last_reviewed_on=n.last_reviewed_on,
        withdrawn_reason=n.withdrawn_reason,
        breaches=[NoticeBreachOut.build(b) for b in read.breaches],
    )


class NoticePageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[NoticeSummaryOut]


class NoticeIssueIn(InputSchema):
    person_id: Id
    child_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    reference: Annotated[str, Field(max_length=20)] = ""
    issued_on: Day
    served_by: Annotated[str, Field(max_length=200)] = ""
    review_on: Day | None = Field(None, description="Default: six months after issue")
    expires_on: Day | None = Field(
        None, description="Default: the day the last child reaches 16 (18 if in care)"
    )
    notes: LongText = ""


class NoticeReviewIn(InputSchema):
    reviewed_on: Day | None = None
    next_review_on: Day | None = None
    notes: LongText = ""


class NoticeWithdrawIn(InputSchema):
    reason: LongText
    withdrawn_on: Day | None = None


class NoticeBreachIn(InputSchema):
    child_id: Id
    occurred_at: When
    place_id: Id | None = None
    location: Annotated[str, Field(max_length=300)] = ""
    episode: EpisodeReference | None = None
    details: LongText = ""


@router.get(
    "/notices",
    response={200: NoticePageOut},
    summary="The harbouring notices you may see",
    description="Those your force issued and those naming the children you see, newest "
    "first. Each notice listed is an audited read.",
)
def list_notices(request: HttpRequest, paging: Query[NoticePaging]) -> HttpResponse:
    actor = actor_of(request)
    status = paging.status if paging.status in notice_rules.STATUS_TEXT else ""
    return respond_page(
        notices.list_notices(actor, status),
        paging,
        NoticePageOut,
        NoticeSummaryOut.build,
        audit=lambda rows: notices.audit_listed(actor, rows),
    )


@router.get(
    "/notices/{notice_id}",
    response={200: NoticeOut},
    summary="Read a harbouring notice",
    description="With the children and breaches you may see. An audited read.",
)
def read_notice(request: HttpRequest, notice_id: Id) -> HttpResponse:
    return respond(_out(notices.read_notice(actor_of(request), notice_id)))


def _written(request: HttpRequest, notice: HarbouringNotice, status: int = 200) -> HttpResponse:
    """The notice as written, for its writer (whose own change it is)."""
    actor = actor_of(request)
    visible = visibility.visible_children(actor).values("pk")
    read = notices.NoticeRead(
        notice,
        list(notice.children.filter(pk__in=visible).order_by("pk")),
        0,
        list(
            notice.breaches.filter(child__in=visible)
            .select_related("episode")
            .order_by("-occurred_at")
        ),
        notice_rules.status(notice),
        notice_rules.review_due(notice),
        notices.may_manage(actor, notice),
        notices.may_record_breach(actor),
    )
    read.hidden_children = notice.children.count() - len(read.children)
    return respond(_out(read), status)


@router.post(
    "/notices",
    response={201: NoticeOut},
    summary="Record a harbouring notice your force issued",
    description="Police officers and coordinators. Each child's council is told.",
)
@idempotent
def issue_notice(request: HttpRequest, payload: NoticeIssueIn) -> HttpResponse:
    notice = notices.issue_notice(actor_of(request), payload.for_service())
    return _written(request, notice, 201)


@router.post(
    "/notices/{notice_id}/review",
    response={200: NoticeOut},
    summary="Record a review of the notice",
    description="The issuing force's officers and coordinators; the notice stays in force.",
)
@idempotent
def review_notice(request: HttpRequest, notice_id: Id, payload: NoticeReviewIn) -> HttpResponse:
    notice = notices.review_notice(actor_of(request), notice_id, payload.for_service())
    return _written(request, notice)


@router.post(
    "/notices/{notice_id}/withdraw",
    response={200: NoticeOut},
    summary="Withdraw the notice",
    description="The issuing force's officers and coordinators, with the reason.",
)
@idempotent
def withdraw_notice(request: HttpRequest, notice_id: Id, payload: NoticeWithdrawIn) -> HttpResponse:
    notice = notices.withdraw_notice(actor_of(request), notice_id, payload.for_service())
    return _written(request, notice)


@router.post(
    "/notices/{notice_id}/breaches",
    response={201: NoticeBreachOut},
    summary="Record a breach of the notice",
    description="Any police force that sees the notice: when, where (a place, or words) "
    "and with which child. The child's council is told.",
)
@idempotent
def record_breach(request: HttpRequest, notice_id: Id, payload: NoticeBreachIn) -> HttpResponse:
    breach = notice_breaches.record_breach(actor_of(request), notice_id, payload.for_service())
    return respond(NoticeBreachOut.build(breach), 201)
