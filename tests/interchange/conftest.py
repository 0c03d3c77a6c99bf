"""A clean SSDA903 fixture: looked-after children with placements and missing episodes,
made through the real services, with the clock pinned so the collection years are fixed."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from homeward.children import services as children
from homeward.children.codes import LegalStatusKind, PlacementType
from homeward.children.models import Child, ChildIdentifier
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Classification, Episode, ReturnMethod
from homeward.organisations.models import Organisation, Role
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR_PYTHON = ROOT / ".venv-903" / "bin" / "python"
VALIDATOR_SCRIPT = ROOT / "homeward" / "interchange" / "validate_903.py"

# The Missing table's rules, as docs/domain.md lists them.
MISSING_RULES = [
    "1004", "1005", "1006", "564", "565", "566", "567", "570", "571", "574", "575", "576",
    "577", "578", "580", "581", "586", "INT04", "INT13",
]  # fmt: skip

NOW = datetime(2026, 5, 15, 11, 0, tzinfo=UTC)
YEAR = 2026  # the 2025-26 return: 1 April 2025 to 31 March 2026


def at(text: str) -> datetime:
    """'2025-06-10 18:00' as UK local time."""
    from django.utils import timezone

    naive = datetime.strptime(text, "%Y-%m-%d %H:%M")  # noqa: DTZ007 (made aware below)
    return timezone.make_aware(naive)


def run_validator(folder: Path, year: int, last: Path | None = None) -> dict[str, Any]:
    if not VALIDATOR_PYTHON.exists():
        pytest.fail(
            f"The DfE SSDA903 validator is not installed ({VALIDATOR_PYTHON} is missing): "
            "run `make validator` first (make test does it for you).",
            pytrace=False,
        )
    command = [str(VALIDATOR_PYTHON), str(VALIDATOR_SCRIPT), str(folder), "--year", str(year)]
    command += ["--rules", ",".join(MISSING_RULES)]
    if last is not None:
        command += ["--last", str(last)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


@dataclass
class Area:
    council: Organisation
    home: Organisation
    worker: Actor
    officer: Actor
    children: dict[str, Child]


def report_and_return(
    actor: Actor,
    child: Child,
    seen: str,
    back: str | None,
    classification: str = Classification.MISSING,
) -> Episode:
    episode = episodes.report_missing(
        actor,
        child.pk,
        episodes.Report(
            classification=classification,
            last_seen_at=at(seen),
            last_seen_location="Outside the placement",
            missing_from="placement",
            reporter_type="home_staff",
            risk_grade="medium",
            risk_rationale="Phone switched off",
        ),
    ).episode
    if back is not None:
        episode = episodes.record_return(
            actor, episode.reference, None, episodes.Return(at(back), ReturnMethod.RETURNED_SELF)
        )
    return episode


@pytest.fixture
def area(db: None, pinned: datetime) -> Area:
    police = factories.PoliceForceFactory(code="96")
    council = factories.CouncilFactory(code="714", name="Marlhaven", police_force=police)
    host = factories.CouncilFactory(code="727", name="Eastwold", police_force=police)
    home = factories.CareProviderFactory(code="SC990114", area_council=host)
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    officer = factories.actor(Role.POLICE_OFFICER, police)
    LAC, CIN = LegalStatusKind.LOOKED_AFTER, LegalStatusKind.CHILD_IN_NEED

    def child(key: str, dob: date, sex: str = "2") -> Child:
        made = factories.ChildFactory(
            responsible_council=council, date_of_birth=dob, sex=sex, first_name=key.title()
        )
        ChildIdentifier.objects.create(child=made, organisation=council, value=f"MC{key.upper()}")
        return made

    # Ash: in a children's home out of area, then fostered; missing and away during the
    # year, and missing across 31 March 2025 (open at the end of last year's return).
    ash = child("ash", date(2010, 7, 3))
    children.set_legal_status(worker, ash, LAC, date(2024, 1, 10))
    children.start_placement(
        worker, ash, placement_type=PlacementType.K2, host_council=host, provider=home,
        start_date=date(2024, 1, 10), postcode_district="QE2",
    )  # fmt: skip
    report_and_return(worker, ash, "2025-03-30 19:00", "2025-04-02 08:30")
    report_and_return(worker, ash, "2025-06-10 18:00", "2025-06-11 09:00")
    children.start_placement(
        worker, ash, placement_type=PlacementType.U6, host_council=council,
        start_date=date(2025, 9, 1), postcode_district="QM1",
    )  # fmt: skip
    report_and_return(worker, ash, "2025-10-02 16:00", "2025-10-02 22:15", Classification.AWAY)
    report_and_return(worker, ash, "2025-10-02 23:30", "2025-10-03 07:00")  # same day again

    # Birch: child in need, came into care during the year; reported away, found to be
    # missing, still away at 31 March (back in April).
    birch = child("birch", date(2011, 2, 14), sex="1")
    children.set_legal_status(worker, birch, CIN, date(2024, 6, 1))
    report_and_return(worker, birch, "2024-11-20 20:00", "2024-11-21 10:00")  # not in care
    children.set_legal_status(worker, birch, LAC, date(2025, 5, 1))
    children.start_placement(
        worker, birch, placement_type=PlacementType.K2, host_council=host, provider=home,
        start_date=date(2025, 5, 1), postcode_district="QE2",
    )  # fmt: skip
    report_and_return(worker, birch, "2025-07-19 21:00", "2025-07-20 01:00", Classification.AWAY)
    away = report_and_return(worker, birch, "2026-03-29 17:00", None, Classification.AWAY)
    episodes.change_classification(
        worker, away.reference, None, Classification.MISSING, "Not at the friend's address"
    )
    episodes.record_return(
        worker, away.reference, None, episodes.Return(at("2026-04-03 12:00"), "found_by_police")
    )

    # Cedar: left care in December; an episode after that is not a looked-after episode.
    cedar = child("cedar", date(2009, 9, 30))
    children.set_legal_status(worker, cedar, LAC, date(2023, 5, 2))
    children.start_placement(
        worker, cedar, placement_type=PlacementType.U4, host_council=council,
        start_date=date(2023, 5, 2), postcode_district="QM4",
    )  # fmt: skip
    report_and_return(worker, cedar, "2025-11-01 15:00", "2025-11-02 11:00")
    children.set_legal_status(worker, cedar, CIN, date(2025, 12, 1))
    report_and_return(worker, cedar, "2026-01-10 18:00", "2026-01-11 09:00")

    # Dale: turned 18 in February while missing: care ended at the 18th birthday.
    dale = child("dale", date(2008, 2, 1), sex="1")
    children.set_legal_status(worker, dale, LAC, date(2022, 3, 1))
    children.start_placement(
        worker, dale, placement_type=PlacementType.H5, host_council=council,
        start_date=date(2024, 8, 1), postcode_district="QM7",
    )  # fmt: skip
    report_and_return(worker, dale, "2026-01-30 22:00", None)

    # Elm: looked after, missing now (open at the end of the year, never returned).
    elm = child("elm", date(2012, 12, 12))
    children.set_legal_status(worker, elm, LAC, date(2020, 1, 6))
    children.start_placement(
        worker, elm, placement_type=PlacementType.U6, host_council=council,
        start_date=date(2021, 4, 1), postcode_district="QM2",
    )  # fmt: skip
    report_and_return(worker, elm, "2026-03-31 20:00", None)

    # Fern: never looked after: goes missing from home; not in the return at all.
    fern = child("fern", date(2011, 5, 5))
    report_and_return(worker, fern, "2025-08-08 18:00", "2025-08-09 10:00")

    return Area(
        council=council,
        home=home,
        worker=worker,
        officer=officer,
        children={
            "ash": ash,
            "birch": birch,
            "cedar": cedar,
            "dale": dale,
            "elm": elm,
            "fern": fern,
        },
    )
