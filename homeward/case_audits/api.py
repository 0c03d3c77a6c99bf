"""/api/v1/case-audits: draw a sample (open an audit), read the sample, read one case with
its evidence, record the judgements on a case, read the report, close the audit.

Thin: the same services as the pages (``homeward.case_audits.services``), so a judgement
saved here leaves the same trail as one saved on the web. Recording judgements needs the
case's version (If-Match or ``version``): stale, 409 (412 for If-Match)."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header

from homeward.case_audits.models import CaseAudit, Judgement, SampledCase, Stratum, Unit
from homeward.case_audits.sampling import MAX_SIZE
from homeward.case_audits.services import audits, cases, report
from homeward.case_audits.standard import STANDARD
from homeward.core.api import Versioned, actor_of, expected_version, respond
from homeward.core.idempotency import idempotent
from homeward.core.schemas import MAX_VERSION, Day, Id, InputSchema, LongText

router = Router()
TAGS = ["case audits"]
Title = Annotated[str, Field(min_length=1, max_length=200)]
AuditIfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag you last received for the audit, e.g. "1". Or send the version '
        "in the body.",
    ),
]
CaseIfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag you last received for the case, e.g. "3". Or send the version '
        "in the body.",
    ),
]


class CaseAuditIn(InputSchema):
    council_id: Id = Field(description="The council whose cases are audited.")
    title: Title
    unit: Unit = Field(description="Sample episodes, or children.")
    period_start: Day
    period_end: Day
    size: Annotated[int, Field(ge=1, le=MAX_SIZE)]
    strata: list[Stratum] = Field(default=[], max_length=3)
    seed: Annotated[int, Field(ge=0, lt=2**62)] | None = Field(
        None, description="The same seed over the same records draws the same sample."
    )
    ends_on: Day | None = Field(None, description="Members' access ends after this day.")
    member_ids: list[Id] = Field(default=[], max_length=50)


class CaseAuditCaseOut(Schema):
    id: int
    position: int
    child_id: int
    episode: str | None
    stratum: str
    judged: bool


class CaseAuditOut(Versioned):
    id: int
    council_id: int
    title: str
    unit: str
    period_start: date
    period_end: date
    size: int
    strata: list[str]
    seed: int
    population: int
    status: str
    ends_on: date | None
    opened_at: datetime
    closed_at: datetime | None
    cases: list[CaseAuditCaseOut] | None = Field(
        None, description="The sample: for the audit's members, while it is open."
    )


class CaseAuditListOut(Schema):
    items: list[CaseAuditOut]


class CaseAuditFactOut(Schema):
    when: str | None
    text: str


class CaseAuditEvidenceOut(Schema):
    question: str
    episode: str
    suggested: str
    facts: list[CaseAuditFactOut]


class CaseAuditJudgementOut(Schema):
    question: str
    judgement: str
    note: str


class CaseAuditCaseDetailOut(Versioned):
    id: int
    position: int
    child_id: int
    evidence: list[CaseAuditEvidenceOut]
    suggested: dict[str, str]
    judgements: list[CaseAuditJudgementOut]


class CaseAuditAnswerIn(InputSchema):
    question: str = Field(
        max_length=20, description="risk, check, interview, words, plan, meeting, board"
    )
    judgement: Judgement
    note: LongText = ""


class CaseAuditJudgementsIn(InputSchema):
    version: Annotated[int, Field(ge=1, le=MAX_VERSION)] | None = None
    answers: list[CaseAuditAnswerIn] = Field(max_length=len(STANDARD))


class CaseAuditCloseIn(InputSchema):
    version: Annotated[int, Field(ge=1, le=MAX_VERSION)] | None = None


class CaseAuditFindingOut(Schema):
    question: str
    number: int
    text: str
    counts: dict[str, int]
    share_met: float | None
    cases: dict[str, list[int]] = Field(description="The case positions behind each judgement.")


class CaseAuditComparisonOut(Schema):
    audit_id: int
    title: str
    opened_at: datetime
    share_met: dict[str, float | None]


class CaseAuditReportOut(Schema):
    audit_id: int
    cases: int
    judged: int
    findings: list[CaseAuditFindingOut]
    comparison: list[CaseAuditComparisonOut]


def _case_out(c: SampledCase) -> CaseAuditCaseOut:
    return CaseAuditCaseOut(
        id=c.pk,
        position=c.position,
        child_id=c.child_id,
        episode=c.episode.reference if c.episode else None,
        stratum=c.stratum,
        judged=c.judged_at is not None,
    )


def _audit_out(a: CaseAudit, found: list[SampledCase] | None = None) -> CaseAuditOut:
    return CaseAuditOut(
        id=a.pk,
        version=a.version,
        council_id=a.council_id,
        title=a.title,
        unit=a.unit,
        period_start=a.period_start,
        period_end=a.period_end,
        size=a.size,
        strata=list(a.strata),
        seed=a.seed,
        population=a.population,
        status=a.status,
        ends_on=a.ends_on,
        opened_at=a.opened_at,
        closed_at=a.closed_at,
        cases=None if found is None else [_case_out(c) for c in found],
    )


@router.post(
    "/case-audits",
    response={201: CaseAuditOut},
    tags=TAGS,
    summary="Draw a sample and open a case audit",
    description="Council missing coordinators and managers (their own council) and "
    "inspectors (any council). The sample is drawn from the council's episodes starting "
    "in the period, or the children with one, stratified if asked, reproducible from `seed`.",
)
@idempotent(atomic=False)  # the answer is an audited read of the sample
def open_audit(request: HttpRequest, payload: CaseAuditIn) -> HttpResponse:
    actor = actor_of(request)
    audit = audits.open_audit(
        actor,
        audits.AuditInput(
            council_id=payload.council_id,
            title=payload.title,
            unit=payload.unit,
            period_start=payload.period_start,
            period_end=payload.period_end,
            size=payload.size,
            strata=[str(s) for s in payload.strata],
            seed=payload.seed,
            ends_on=payload.ends_on,
            member_ids=list(payload.member_ids),
        ),
    )
    _, found = audits.read_sample(actor, audit.pk)
    return respond(_audit_out(audit, found), 201, location=f"/api/v1/case-audits/{audit.pk}")


@router.get(
    "/case-audits",
    response={200: CaseAuditListOut},
    tags=TAGS,
    summary="List case audits",
    description="The audits you are a member of, and your council's. Names no child.",
)
def list_audits(request: HttpRequest) -> HttpResponse:
    found = audits.list_audits(actor_of(request))[:200]
    return respond(CaseAuditListOut(items=[_audit_out(a) for a in found]))


@router.get(
    "/case-audits/{audit_id}",
    response={200: CaseAuditOut},
    tags=TAGS,
    summary="Read the audit and its sample",
    description="For the audit's members. The cases are listed while the audit is open "
    "(each child an audited read).",
)
def read_audit(request: HttpRequest, audit_id: Id) -> HttpResponse:
    audit, found = audits.read_sample(actor_of(request), audit_id)
    return respond(_audit_out(audit, found if audits.is_live(audit) else None))


@router.get(
    "/case-audits/{audit_id}/cases/{audit_case_id}",
    response={200: CaseAuditCaseDetailOut},
    tags=TAGS,
    summary="Read one sampled case with its evidence",
    description="For the audit's members while it is open: an audited read of the child.",
)
def read_case(request: HttpRequest, audit_id: Id, audit_case_id: Id) -> HttpResponse:
    return respond(_detail(cases.read_case(actor_of(request), audit_id, audit_case_id)))


def _detail(read: cases.CaseRead) -> CaseAuditCaseDetailOut:
    return CaseAuditCaseDetailOut(
        id=read.case.pk,
        version=read.case.version,
        position=read.case.position,
        child_id=read.child.pk,
        evidence=[
            CaseAuditEvidenceOut(
                question=q.key,
                episode=e.episode.reference,
                suggested=e.findings[q.key].suggested,
                facts=[
                    CaseAuditFactOut(when=f.when.isoformat() if f.when else None, text=f.text)
                    for f in e.findings[q.key].facts
                ],
            )
            for q in STANDARD
            for e in read.evidence
        ],
        suggested=read.suggested,
        judgements=[
            CaseAuditJudgementOut(question=j.question, judgement=j.judgement, note=j.note)
            for j in read.judgements.values()
        ],
    )


@router.put(
    "/case-audits/{audit_id}/cases/{audit_case_id}/judgements",
    response={200: CaseAuditCaseDetailOut},
    tags=TAGS,
    summary="Record the judgements on one case",
    description="A judgement (met, partly, not_met, na) on every question of the standard, "
    "with a note where partly or not met. Send the case's version (If-Match or `version`).",
)
def record_judgements(
    request: HttpRequest,
    audit_id: Id,
    audit_case_id: Id,
    payload: CaseAuditJudgementsIn,
    if_match: CaseIfMatch = None,
) -> HttpResponse:
    actor = actor_of(request)
    version = expected_version(request, if_match, payload.version, "case")
    answers = {a.question: cases.Answer(str(a.judgement), a.note) for a in payload.answers}
    cases.record_judgements(actor, audit_id, audit_case_id, version, answers)
    return respond(_detail(cases.read_case(actor, audit_id, audit_case_id)))


@router.post(
    "/case-audits/{audit_id}/close",
    response={200: CaseAuditOut},
    tags=TAGS,
    summary="Close the audit",
    description="Its members' access to the sampled cases ends. Send the audit's version "
    "(If-Match or `version`): stale, 409 (412 for If-Match).",
)
@idempotent
def close_audit(
    request: HttpRequest, audit_id: Id, payload: CaseAuditCloseIn, if_match: AuditIfMatch = None
) -> HttpResponse:
    version = expected_version(request, if_match, payload.version, "audit")
    return respond(_audit_out(audits.close_audit(actor_of(request), audit_id, version)))


@router.get(
    "/case-audits/{audit_id}/report",
    response={200: CaseAuditReportOut},
    tags=TAGS,
    summary="Read the audit's report",
    description="Findings by question, with the cases behind each (by number), and this "
    "audit against the council's earlier audits. Names no child.",
)
def read_report(request: HttpRequest, audit_id: Id) -> HttpResponse:
    found = report.read_report(actor_of(request), audit_id)
    comparison = found.comparison
    return respond(
        CaseAuditReportOut(
            audit_id=found.audit.pk,
            cases=found.cases,
            judged=found.judged,
            findings=[
                CaseAuditFindingOut(
                    question=f.question.key,
                    number=f.question.number,
                    text=f.question.text,
                    counts={str(k): v for k, v in f.counts.items()},
                    share_met=f.share(Judgement.MET),
                    cases={str(k): [c.position for c in v] for k, v in f.cases.items()},
                )
                for f in found.findings
            ],
            comparison=[
                CaseAuditComparisonOut(
                    audit_id=a.pk,
                    title=a.title,
                    opened_at=a.opened_at,
                    share_met={q.key: comparison.met[q.key][n] for q in STANDARD},
                )
                for n, a in enumerate(comparison.audits)
            ],
        )
    )
