"""The child's own words in the board report: only with "anonymised, for the council's
board" standing; withdrawing the consent takes them out of the stored report (figures,
HTML and PDF), made again in the same transaction (homeward/insights/consent.py)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from homeward.aftercare.models import ReturnInterview, Sharing
from homeward.aftercare.services import own_accounts
from homeward.core import clock
from homeward.core.errors import ValidationFailed
from homeward.episodes import services as episodes
from homeward.insights import board
from homeward.insights import counting as c
from homeward.insights.models import BoardReport
from homeward.organisations.models import Organisation, Role
from tests import factories

pytestmark = pytest.mark.django_db

WORDS = "i stayed out because nobody at home listened to me"


def _interview(council: Organisation, first: str) -> ReturnInterview:
    child = factories.ChildFactory(responsible_council=council, first_name=first)
    sw = factories.actor(Role.SOCIAL_WORKER, council)
    episode = factories.report(sw, child, hours_ago=10)
    episodes.record_return(
        sw,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=clock.now() - timedelta(hours=2), return_method="returned_self"
        ),
    )
    return ReturnInterview.objects.get(child=child)


def _give(council: Organisation, first: str, sharing: str, words: str) -> ReturnInterview:
    interview = _interview(council, first)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    issued = own_accounts.issue_link(coordinator, interview.pk)
    client = Client()
    client.get(f"/your-account/{issued.token}")
    sent = client.post(
        "/your-account/", {"what_happened": words, "what_would_help": "", "sharing": sharing}
    )
    assert sent.status_code == 200
    return interview


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _quarter() -> tuple[int, int]:
    return c.quarter_of(c.local_date(clock.now()))


def test_only_anonymised_consent_puts_words_in_the_report() -> None:
    council = factories.CouncilFactory()
    _give(council, "Ottoline", Sharing.ANONYMISED, WORDS)
    _give(council, "Peregrine", Sharing.NAMED, "my worker may read this but not the board")
    _give(council, "Rosalind", Sharing.NOT_SHARED, "nobody may read this at all")
    quotes = board.figures(council, *_quarter())["quotes"]
    assert quotes == [WORDS]


def test_withdrawing_consent_removes_the_words_from_the_stored_report() -> None:
    council = factories.CouncilFactory()
    interview = _give(council, "Ottoline", Sharing.ANONYMISED, WORDS)
    year, quarter = _quarter()
    report = board.generate(council, year, quarter)
    assert report.figures["quotes"] == [WORDS]
    assert "nobody at home listened" in report.html
    assert "nobody at home listened" in _pdf_text(bytes(report.pdf))
    worker = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    own_accounts.withdraw_consent(worker, interview.pk, method="in_person")
    stored = BoardReport.objects.get(pk=report.pk)
    assert stored.figures["quotes"] == []
    assert "nobody at home listened" not in stored.html
    assert "nobody at home listened" not in _pdf_text(bytes(stored.pdf))
    # And a report made afresh never has them.
    assert board.figures(council, year, quarter)["quotes"] == []


def test_a_withdrawal_that_fails_leaves_the_report_alone() -> None:
    """The report is made again in the withdrawal's transaction: no withdrawal, no change."""
    council = factories.CouncilFactory()
    interview = _give(council, "Ottoline", Sharing.ANONYMISED, WORDS)
    report = board.generate(council, *_quarter())
    worker = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    with pytest.raises(ValidationFailed):
        own_accounts.withdraw_consent(worker, interview.pk, method="carrier pigeon")
    assert BoardReport.objects.get(pk=report.pk).figures["quotes"] == [WORDS]
