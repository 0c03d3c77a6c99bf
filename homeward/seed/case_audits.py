"""The demo's case audits, through the real services: an earlier audit of the main
council's episodes, every case judged and the audit closed (moved back to three months
ago, when it happened), and this quarter's audit in progress, with ``inspector`` as a
member and a few cases judged, so the report has an earlier audit to compare with.

Each judgement is what the evidence suggests, with a note where a question was partly or
not met, as an auditor who agreed with the record would write it."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from homeward.case_audits import evidence
from homeward.case_audits.models import CaseAudit, Judgement
from homeward.case_audits.services import audits, cases
from homeward.case_audits.standard import KEYS
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.organisations.models import User
from homeward.seed.plan import Area

EARLIER_SEED = 2025
CURRENT_SEED = 2026
EARLIER_SIZE = 8
CURRENT_SIZE = 10
JUDGED_NOW = 3


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return Actor.for_user(user) if user is not None else None


def _judge(actor: Actor, audit: CaseAudit, how_many: int) -> None:
    for case in list(audit.cases.order_by("position"))[:how_many]:
        found = evidence.for_case(audit, case)
        suggested = evidence.combined(found)
        answers = {}
        for key in KEYS:
            mark = suggested[key]
            facts = [f.text for e in found for f in e.findings[key].facts if f.when is None]
            note = "; ".join(facts[:2]) or "Not recorded"
            met = mark in {Judgement.MET, Judgement.NOT_APPLICABLE}
            answers[key] = cases.Answer(mark, "" if met else note)
        cases.record_judgements(actor, audit.pk, case.pk, case.version, answers)


def write_case_audits(area: Area) -> None:
    """Both audits, or none if the demo is too small to have episodes in their periods."""
    try:
        with transaction.atomic():
            _write(area)
    except ValidationFailed:
        return


def _write(area: Area) -> None:
    coordinator = _actor("council.coordinator")
    inspector = _actor("inspector")
    if coordinator is None or coordinator.organisation is None:
        return
    today = area.clock.today
    council = coordinator.organisation.pk
    earlier = audits.open_audit(
        coordinator,
        audits.AuditInput(
            council_id=council,
            title="Spring audit of episodes",
            unit="episodes",
            period_start=today - timedelta(days=270),
            period_end=today - timedelta(days=91),
            size=EARLIER_SIZE,
            strata=["looked_after"],
            seed=EARLIER_SEED,
        ),
    )
    _judge(coordinator, earlier, EARLIER_SIZE)
    audits.close_audit(coordinator, earlier.pk, earlier.version)
    moved = earlier.opened_at - timedelta(days=90)
    CaseAudit.objects.filter(pk=earlier.pk).update(
        opened_at=moved, closed_at=moved + timedelta(days=14)
    )
    members = [inspector.user.pk] if inspector is not None and inspector.user else []
    current = audits.open_audit(
        coordinator,
        audits.AuditInput(
            council_id=council,
            title="Autumn audit of episodes",
            unit="episodes",
            period_start=today - timedelta(days=90),
            period_end=today,
            size=CURRENT_SIZE,
            strata=["looked_after"],
            seed=CURRENT_SEED,
            member_ids=members,
        ),
    )
    _judge(coordinator, current, JUDGED_NOW)
