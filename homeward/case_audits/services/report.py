"""The audit report: the findings by question (how many cases met, partly met or did not
meet each, their shares of the cases it applied to, and the cases behind each), and this
audit against the council's earlier audits, question by question. The report names no
child: cases are shown by number (and episode reference), linked only for members while
the audit is open. Read by the audit's members and the council's coordinators and managers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from homeward.audit import services as audit_log
from homeward.case_audits.models import CaseAudit, CaseJudgement, Judgement, SampledCase
from homeward.case_audits.services.audits import get_audit, is_live, is_member
from homeward.case_audits.standard import STANDARD, Question
from homeward.core.actor import Actor

ORDER = (Judgement.MET, Judgement.PARTLY, Judgement.NOT_MET, Judgement.NOT_APPLICABLE)


@dataclass(frozen=True)
class CaseRef:
    pk: int
    position: int
    episode: str  # the episode's reference, or "" for a sample of children


@dataclass
class Finding:
    question: Question
    counts: dict[str, int]
    cases: dict[str, list[CaseRef]]

    @property
    def applicable(self) -> int:
        return sum(self.counts[j] for j in ORDER[:3])

    def share(self, judgement: str) -> float | None:
        """The share of the cases the question applied to (None if it applied to none)."""
        return self.counts[judgement] / self.applicable if self.applicable else None


@dataclass
class Comparison:
    """Per question, the share met in each audit of the council, oldest first."""

    audits: list[CaseAudit]
    met: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass
class Report:
    audit: CaseAudit
    cases: int
    judged: int
    findings: list[Finding]
    comparison: Comparison
    links: bool  # whether the cases may be opened (members, while open)


def findings(audit: CaseAudit) -> tuple[int, int, list[Finding]]:
    """(cases, cases judged, one finding per question)."""
    cases = {c.pk: c for c in SampledCase.objects.filter(audit=audit).select_related("episode")}
    by_question: dict[str, dict[str, list[CaseRef]]] = defaultdict(lambda: defaultdict(list))
    for j in CaseJudgement.objects.filter(case__audit=audit).order_by("case__position"):
        case = cases[j.case_id]
        ref = CaseRef(case.pk, case.position, case.episode.reference if case.episode else "")
        by_question[j.question][j.judgement].append(ref)
    judged = sum(1 for c in cases.values() if c.judged_at is not None)
    out = [
        Finding(
            q,
            {j: len(by_question[q.key][j]) for j in ORDER},
            {j: list(by_question[q.key][j]) for j in ORDER},
        )
        for q in STANDARD
    ]
    return len(cases), judged, out


def comparison(audit: CaseAudit) -> Comparison:
    """This audit and the council's earlier ones, with each question's share met."""
    audits = list(
        CaseAudit.objects.filter(council_id=audit.council_id, opened_at__lte=audit.opened_at)
        .exclude(opened_at=audit.opened_at, pk__gt=audit.pk)
        .order_by("opened_at", "pk")
    )
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = CaseJudgement.objects.filter(case__audit__in=audits).values_list(
        "case__audit_id", "question", "judgement"
    )
    for audit_id, question, judgement in rows:
        counts[(audit_id, question)][judgement] += 1
    result = Comparison(audits)
    for q in STANDARD:
        shares: list[float | None] = []
        for a in audits:
            c = counts[(a.pk, q.key)]
            applicable = c[Judgement.MET] + c[Judgement.PARTLY] + c[Judgement.NOT_MET]
            shares.append(c[Judgement.MET] / applicable if applicable else None)
        result.met[q.key] = shares
    return result


def read_report(actor: Actor, audit_id: object) -> Report:
    """An audited read; it names no child (cases by number only)."""
    audit = get_audit(actor, audit_id)
    audit_log.record(actor, "view", "case_audit_report", audit.pk)
    cases, judged, found = findings(audit)
    links = is_member(actor, audit) and is_live(audit)
    return Report(audit, cases, judged, found, comparison(audit), links)
