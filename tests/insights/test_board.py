"""Board reports: figures, trend, quotes only with consent and without names, the PDF
read back as text, and the quarterly task that stores them."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from homeward.aftercare.models import ReturnInterview
from homeward.insights import board, tasks
from homeward.insights.models import BoardReport
from homeward.insights.pdf import board_report_pdf
from tests.insights.conftest import Area

NAMES = ("Tamsin", "Oakridge", "Rowan", "Pellow", "Kit", "Farrow", "Marcus", "Alex", "Merrow")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_anonymise_strips_names_places_and_numbers() -> None:
    """The child's name, another name, a place and a phone number all go."""
    quote = board.anonymise(
        "Tamsin said I went to see Marcus at Quayside Park. Call 07700 900123.", {"Tamsin"}
    )
    assert quote == "[name] said I went to see [name] at [name] [name]. Call [number]."


def test_long_quotes_are_cut_short() -> None:
    quote = board.anonymise(" ".join(["word"] * 60), set())
    assert len(quote.split()) == board.MAX_QUOTE_WORDS
    assert quote.endswith("…")


def test_figures_for_a_quarter_with_trend(area: Area) -> None:
    """Council A, 2024-25 Q1 (April-June 2024): T1 only: 1 episode, 1 child, 1 return with
    a check and an interview in 72 h. The trend runs 2023-24 Q2 to 2024-25 Q1."""
    data = board.figures(area.council_a, 2024, 1)
    assert data["headline"]["episodes"] == 1
    assert data["headline"]["children"] == 1
    assert [t["period"] for t in data["trend"]] == [
        "2023-24 Q2", "2023-24 Q3", "2023-24 Q4", "2024-25 Q1",
    ]  # fmt: skip
    assert data["compliance"]["within_72h_rate"] == 100.0
    assert data["themes"][0]["rows"][0]["label"] == "Conflict at home or in placement"
    assert data["quotes"] == [
        "[name] said I went to see [name] at [name] [name] because nobody listened at home. "
        "Call me on [number] if you want."
    ]


def test_no_quote_without_consent(area: Area) -> None:
    ReturnInterview.objects.filter(quote_consent=True).update(quote_consent=False)
    assert board.figures(area.council_a, 2024, 1)["quotes"] == []


def test_pdf_reads_back_with_the_figures_and_no_names(area: Area) -> None:
    """2024-25 Q3 (October-December): T2 only (30 h). Q2 (July-September) had R1 and R2."""
    text = pdf_text(board_report_pdf(board.figures(area.council_a, 2024, 3)))
    assert "Corporate parenting board report: Council A, 2024-25 Q3" in text
    assert "Trend against the earlier quarters" in text
    assert "2024-25 Q2 2 1" in " ".join(text.split())  # Q2: 2 episodes, 1 child
    assert "24 to 48 hours" in text
    for name in NAMES:
        assert name not in text
    quoted = pdf_text(board_report_pdf(board.figures(area.council_a, 2024, 1)))
    assert "nobody listened at home" in quoted
    for name in NAMES:
        assert name not in quoted


def test_the_quarterly_task_stores_every_councils_report(
    area: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run on 2 July 2024: makes 2024-25 Q1 for councils A and B, and schedules itself
    for 06:00 on 1 October 2024."""
    monkeypatch.setattr(board, "last_complete_quarter", lambda today=None: (2024, 1))
    assert tasks.make_reports() == 2
    stored = BoardReport.objects.get(council=area.council_a, year=2024, quarter=1)
    assert stored.figures["headline"]["episodes"] == 1
    assert "Tamsin" not in stored.html
    assert "nobody listened" in stored.html
    assert "Council A" in pdf_text(bytes(stored.pdf))
    tasks.make_reports()  # again: replaced, not duplicated
    assert BoardReport.objects.filter(council=area.council_a).count() == 1
    from datetime import datetime

    from homeward.insights.counting import LONDON

    when = tasks.next_run(datetime(2024, 7, 2, 12, tzinfo=LONDON))
    assert (when.date(), when.hour) == (date(2024, 10, 1), 6)


def test_scheduling_is_idempotent(db: None) -> None:
    assert tasks.schedule() is True
    assert tasks.schedule() is False
