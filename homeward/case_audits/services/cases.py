"""One sampled case: reading it with its evidence (an audited read of the child), and
saving the auditor's judgement and note on each question of the standard, with
optimistic concurrency (the case's version)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from homeward.audit import services as audit_log
from homeward.case_audits import evidence
from homeward.case_audits.events import CaseJudged
from homeward.case_audits.models import CaseAudit, CaseJudgement, Judgement, SampledCase
from homeward.case_audits.services.audits import CLOSED, get_audit, is_live, is_member
from homeward.case_audits.standard import KEYS, QUESTIONS
from homeward.children.models import Child
from homeward.children.visibility import get_child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import LONG_TEXT
from homeward.events.change import record_change
from homeward.organisations.policy import Action

NOTE_NEEDED = {Judgement.PARTLY, Judgement.NOT_MET}


@dataclass(frozen=True)
class Answer:
    judgement: str
    note: str = ""


@dataclass
class CaseRead:
    audit: CaseAudit
    case: SampledCase
    child: Child
    evidence: list[evidence.EpisodeEvidence]
    suggested: dict[str, str]
    judgements: dict[str, CaseJudgement]


def _case(actor: Actor, audit_id: object, case_id: object) -> tuple[CaseAudit, SampledCase]:
    audit = get_audit(actor, audit_id)
    if not is_member(actor, audit):
        raise AccessDenied("Only the audit's members see its cases.")
    try:
        pk = int(str(case_id))
    except ValueError:
        raise NotFound("No case was found.") from None
    case = audit.cases.filter(pk=pk).select_related("episode").first() if 0 < pk < 2**63 else None
    if case is None:
        raise NotFound("No case was found.")
    if not is_live(audit):
        raise AccessDenied(CLOSED)
    return audit, case


def read_case(actor: Actor, audit_id: object, case_id: object) -> CaseRead:
    """The case, its child (seen through the audit's grant, or the council's own
    relationship), the evidence for each question and the judgements so far."""
    audit, case = _case(actor, audit_id, case_id)
    child = get_child(actor, case.child_id, Action.AUDIT_CASES, related=("responsible_council",))
    audit_log.record_access(
        actor,
        "view",
        "child",
        child.pk,
        child_id=child.pk,
        details={"case_audit": audit.pk, "case": case.position},
    )
    found = evidence.for_case(audit, case)
    return CaseRead(
        audit,
        case,
        child,
        found,
        evidence.combined(found),
        {j.question: j for j in case.judgements.select_related("judged_by")},
    )


def _errors(answers: dict[str, Answer]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in QUESTIONS:
            errors[key] = [f"There is no question {key!r} in the standard"]
    for key in KEYS:
        question = QUESTIONS[key]
        answer = answers.get(key)
        if answer is None or answer.judgement not in Judgement.values:
            errors[f"{key}-judgement"] = [f"Question {question.number}: select a judgement"]
            continue
        if answer.judgement in NOTE_NEEDED and not answer.note.strip():
            errors[f"{key}-note"] = [
                f"Question {question.number}: say why it was partly or not met"
            ]
        if len(answer.note) > LONG_TEXT or "\x00" in answer.note:
            errors[f"{key}-note"] = [
                f"Question {question.number}: the note must be {LONG_TEXT} characters or fewer"
            ]
    return errors


def record_judgements(
    actor: Actor,
    audit_id: object,
    case_id: object,
    expected_version: int,
    answers: dict[str, Answer],
) -> SampledCase:
    """Save a judgement (and a note) on every question for the case."""
    audit, found = _case(actor, audit_id, case_id)
    errors = _errors(answers)
    if errors:
        raise ValidationFailed(errors)
    assert actor.user is not None
    now = clock.now()
    with transaction.atomic():
        case = SampledCase.objects.select_for_update(of=("self",)).get(pk=found.pk)
        if case.version != expected_version:
            raise StaleEdit(
                "Someone saved judgements on this case since you opened it. Check theirs "
                "and save again.",
                list(KEYS),
                case.version,
            )
        for key in KEYS:
            answer = answers[key]
            CaseJudgement.objects.update_or_create(
                case=case,
                question=key,
                defaults={
                    "judgement": answer.judgement,
                    "note": answer.note.strip(),
                    "judged_at": now,
                    "judged_by": actor.user,
                },
            )
        case.version += 1
        case.judged_at = now
        case.save(update_fields=["version", "judged_at"])
        record_change(
            actor,
            CaseJudged(
                aggregate_id=audit.pk,
                child_id=case.child_id,
                case=case.pk,
                position=case.position,
                version=case.version,
            ),
            action="judge_case",
            details={"case": case.position, "judgements": {k: answers[k].judgement for k in KEYS}},
        )
    return case
