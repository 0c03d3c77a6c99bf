"""One constructor from a form's or a schema's answers to a service's input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from homeward.core.inputs import ON_RECORD, service_arguments, service_input
from homeward.core.validation import HIDDEN_CONTROL, LONG_TEXT
from homeward.episodes import services
from homeward.episodes.models import Classification, ReturnMethod
from homeward.episodes.schemas import ReportIn

SEEN = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
REPORT = {
    "child_id": 7,
    "classification": "M",
    "last_seen_at": SEEN.isoformat(),
    "last_seen_location": "The park",
    "missing_from": "home",
    "reporter_type": "parent",
    "risk_grade": "low",
    "risk_rationale": "First time",
}


def test_an_api_report_becomes_the_services_report_with_its_return_nested() -> None:
    payload = ReportIn.model_validate(
        {
            **REPORT,
            "return_details": {"returned_at": SEEN.isoformat(), "return_method": "returned_self"},
        }
    )
    report = service_input(services.Report, payload, besides={"child_id", "match_token"})
    assert report.classification == "M"
    assert type(report.classification) is str
    assert report.last_seen_at == SEEN
    assert report.returned == services.Return(
        returned_at=SEEN, return_method=ReturnMethod.RETURNED_SELF.value
    )


def test_a_report_still_missing_has_no_return() -> None:
    report = service_input(
        services.Report, ReportIn.model_validate(REPORT), besides={"child_id", "match_token"}
    )
    assert report.returned is None


def test_a_name_the_service_does_not_know_is_refused_not_dropped() -> None:
    with pytest.raises(TypeError, match="still_missing"):
        service_input(
            services.Return, {"returned_at": SEEN, "return_method": "x", "still_missing": "no"}
        )


def test_function_arguments_come_from_the_answers_by_the_parameters_names() -> None:
    answers = {"classification": Classification.AWAY, "reason": "Seen at a friend's", "version": 3}
    assert service_arguments(services.change_classification, answers, given=ON_RECORD) == {
        "classification": "A",
        "reason": "Seen at a friend's",
    }
    with pytest.raises(TypeError, match="why"):
        service_arguments(services.change_classification, {**answers, "why": "x"}, given=ON_RECORD)


def test_the_api_refuses_a_nul_and_overlong_text_with_the_services_words_and_bounds() -> None:
    with pytest.raises(ValueError, match=HIDDEN_CONTROL):
        ReportIn.model_validate({**REPORT, "circumstances": "a\x00b"})
    with pytest.raises(ValueError, match="circumstances"):
        ReportIn.model_validate({**REPORT, "circumstances": "x" * (LONG_TEXT + 1)})
    ReportIn.model_validate({**REPORT, "circumstances": "x" * LONG_TEXT})
