"""The evidence and the report against the hand-worked fixture (tests/case_audits/world.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.case_audits import evidence
from homeward.case_audits.models import CaseAudit, SampledCase
from homeward.case_audits.services import audits, cases, report
from homeward.case_audits.standard import KEYS
from homeward.core import clock
from homeward.core.errors import StaleEdit, ValidationFailed
from tests.case_audits import world as hand

pytestmark = pytest.mark.django_db


def _open(w: hand.World, unit: str = "episodes") -> CaseAudit:
    today = clock.now().astimezone(clock.UK).date()
    return audits.open_audit(
        w.coordinator,
        audits.AuditInput(
            council_id=w.council.pk,
            title="Hand-worked",
            unit=unit,
            period_start=today - timedelta(days=30),
            period_end=today,
            size=3,
            seed=7,
        ),
    )


def _by_episode(audit: CaseAudit, w: hand.World) -> dict[str, SampledCase]:
    names = {e.pk: name for name, e in w.episodes.items()}
    return {names[c.episode_id]: c for c in audit.cases.all() if c.episode_id}


def test_the_evidence_of_each_case_is_what_the_record_says() -> None:
    w = hand.build()
    audit = _open(w)
    assert audit.population == 3
    for name, case in _by_episode(audit, w).items():
        found = evidence.for_case(audit, case)
        got = {k: found[0].findings[k].suggested for k in KEYS}
        assert got == hand.EXPECTED[name], name
        # Every fact that happened has its date.
        facts = [f for k in KEYS for f in found[0].findings[k].facts]
        assert any(f.when is not None for f in facts)


def test_the_report_counts_the_judgements_by_question_with_the_cases_behind_them() -> None:
    w = hand.build()
    audit = _open(w)
    by_name = _by_episode(audit, w)
    for name, case in by_name.items():
        answers = {
            k: cases.Answer(v, "" if v in {"met", "na"} else "Missing from the record")
            for k, v in hand.EXPECTED[name].items()
        }
        if name == "E3":  # the auditor disagrees: a planned meeting is not a meeting held
            answers["meeting"] = cases.Answer("not_met", "Planned, never held")
        cases.record_judgements(w.coordinator, audit.pk, case.pk, case.version, answers)
    found = report.read_report(w.coordinator, audit.pk)
    assert (found.cases, found.judged) == (3, 3)
    counts = {
        f.question.key: (f.counts["met"], f.counts["partly"], f.counts["not_met"], f.counts["na"])
        for f in found.findings
    }
    assert counts == {
        "risk": (2, 1, 0, 0),
        "check": (1, 0, 1, 1),
        "interview": (1, 1, 0, 1),
        "words": (2, 0, 0, 1),
        "plan": (1, 0, 2, 0),
        "meeting": (0, 1, 1, 1),
        "board": (3, 0, 0, 0),
    }
    shares = {f.question.key: f.share("met") for f in found.findings}
    assert shares["risk"] == pytest.approx(2 / 3)
    assert shares["plan"] == pytest.approx(1 / 3)
    assert shares["meeting"] == 0
    meeting = next(f for f in found.findings if f.question.key == "meeting")
    assert [c.position for c in meeting.cases["not_met"]] == [by_name["E3"].position]
    assert [c.episode for c in meeting.cases["partly"]] == [w.episodes["E2"].reference]


def test_a_sample_of_children_covers_each_childs_episodes_in_the_period() -> None:
    w = hand.build()
    audit = _open(w, unit="children")
    assert audit.cases.count() == 3
    case = audit.cases.get(child=w.children["E2"])
    found = evidence.for_case(audit, case)
    assert [e.episode.pk for e in found] == [w.episodes["E2"].pk]
    assert evidence.combined(found) == hand.EXPECTED["E2"]


def test_a_case_judged_partly_or_not_met_needs_a_note_and_every_question_a_judgement() -> None:
    w = hand.build()
    audit = _open(w)
    case = audit.cases.first()
    assert case is not None
    answers = {k: cases.Answer("met") for k in KEYS}
    answers["plan"] = cases.Answer("not_met", "")
    del answers["board"]
    with pytest.raises(ValidationFailed) as failed:
        cases.record_judgements(w.coordinator, audit.pk, case.pk, case.version, answers)
    assert failed.value.errors == {
        "plan-note": ["Question 5: say why it was partly or not met"],
        "board-judgement": ["Question 7: select a judgement"],
    }


def test_a_stale_save_is_refused_and_the_first_kept() -> None:
    w = hand.build()
    audit = _open(w)
    case = audit.cases.first()
    assert case is not None
    answers = {k: cases.Answer("met") for k in KEYS}
    cases.record_judgements(w.coordinator, audit.pk, case.pk, case.version, answers)
    with pytest.raises(StaleEdit):
        cases.record_judgements(
            w.coordinator, audit.pk, case.pk, case.version, {k: cases.Answer("na") for k in KEYS}
        )
    assert set(case.judgements.values_list("judgement", flat=True)) == {"met"}
