"""The domain events of case audits. Ids only: no name, no judgement's note."""

from __future__ import annotations

from typing import ClassVar

from homeward.events.types import Event


class CaseAuditEvent(Event):
    aggregate_type: ClassVar[str] = "case_audit"


class CaseAuditOpened(CaseAuditEvent):
    name: ClassVar[str] = "case_audits.audit_opened"
    council: int
    unit: str
    size: int
    seed: int
    members: list[int]


class CaseJudged(CaseAuditEvent):
    """An auditor saved their judgements on one sampled case."""

    name: ClassVar[str] = "case_audits.case_judged"
    case: int
    position: int
    version: int


class CaseAuditClosed(CaseAuditEvent):
    name: ClassVar[str] = "case_audits.audit_closed"
