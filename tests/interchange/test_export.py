"""The SSDA903 export, checked by the DfE's own validator (csc-validator-be-903)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from homeward.audit.models import AuditEvent
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.interchange import services, ssda903
from homeward.organisations.models import Role
from tests import factories
from tests.interchange.conftest import MISSING_RULES, YEAR, Area, run_validator

CLI = Actor(user=None, membership=None, channel=CHANNEL_CLI)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_export_passes_every_missing_table_rule_of_the_dfe_validator(
    area: Area, tmp_path: Path
) -> None:
    services.export_903(CLI, area.council, YEAR - 1, tmp_path / "last")
    services.export_903(CLI, area.council, YEAR, tmp_path / "this")

    report = run_validator(tmp_path / "this", YEAR, last=tmp_path / "last")

    assert report["ruleset"] == "lac2025_26"
    assert report["not_in_ruleset"] == []
    assert report["failed"] == []
    assert report["skipped"] == []  # with last year's return, even 576 runs
    assert sorted(report["ran"]) == sorted(MISSING_RULES)
    assert report["errors"] == []
    # Last year's return on its own is clean too.
    assert run_validator(tmp_path / "last", YEAR - 1)["errors"] == []


def test_the_validator_does_catch_a_bad_row_so_a_clean_result_means_something(
    area: Area, tmp_path: Path
) -> None:
    services.export_903(CLI, area.council, YEAR, tmp_path)
    with (tmp_path / "missing.csv").open("a", newline="", encoding="utf-8") as handle:
        # Missing before the child came into care, and ending before it started.
        handle.write("MCBIRCH,14/02/2011,M,20/11/2024,19/11/2024\r\n")

    fired = {e["rule"] for e in run_validator(tmp_path, YEAR)["errors"]}

    assert {"567", "571", "578", "581"} <= fired


def test_the_missing_table_holds_looked_after_episodes_only(area: Area, tmp_path: Path) -> None:
    services.export_903(CLI, area.council, YEAR, tmp_path)

    missing = [
        (r["CHILD"], r["MISSING"], r["MIS_START"], r["MIS_END"])
        for r in rows(tmp_path / "missing.csv")
    ]

    assert missing == [
        ("MCASH", "M", "30/03/2025", "02/04/2025"),  # began last year
        ("MCASH", "M", "10/06/2025", "11/06/2025"),
        ("MCASH", "A", "02/10/2025", "02/10/2025"),
        ("MCASH", "M", "02/10/2025", "03/10/2025"),
        ("MCBIRCH", "A", "19/07/2025", "20/07/2025"),
        # Reported away, then missing: M. Back in April: blank at 31 March.
        ("MCBIRCH", "M", "29/03/2026", ""),
        # Cedar's episode in January was after care ended: not in the table.
        ("MCCEDAR", "M", "01/11/2025", "02/11/2025"),
        # Dale was missing on his 18th birthday, when care ended.
        ("MCDALE", "M", "30/01/2026", "01/02/2026"),
        ("MCELM", "M", "31/03/2026", ""),
    ]
    header = {r["CHILD"]: r for r in rows(tmp_path / "header.csv")}
    assert sorted(header) == ["MCASH", "MCBIRCH", "MCCEDAR", "MCDALE", "MCELM"]  # no Fern
    assert header["MCASH"]["DOB"] == "03/07/2010"
    assert header["MCASH"]["UPN"] == "UN5"


def test_episodes_follow_placements_and_end_with_care(area: Area, tmp_path: Path) -> None:
    services.export_903(CLI, area.council, YEAR, tmp_path)

    episodes = [
        (r["CHILD"], r["DECOM"], r["RNE"], r["PLACE"], r["DEC"], r["REC"], r["PL_POST"], r["URN"])
        for r in rows(tmp_path / "episodes.csv")
    ]

    assert episodes == [
        ("MCASH", "10/01/2024", "S", "K2", "01/09/2025", "X1", "QE2", "SC990114"),
        ("MCASH", "01/09/2025", "P", "U6", "", "", "QM1", ""),
        ("MCBIRCH", "01/05/2025", "S", "K2", "", "", "QE2", "SC990114"),
        ("MCCEDAR", "02/05/2023", "S", "U4", "01/12/2025", "E8", "QM4", ""),
        # Care began before the placement Homeward knows of: PLACE is left blank.
        ("MCDALE", "01/03/2022", "S", "", "01/08/2024", "X1", "", ""),
        ("MCDALE", "01/08/2024", "P", "H5", "01/02/2026", "E8", "QM7", ""),
        ("MCELM", "06/01/2020", "S", "", "01/04/2021", "X1", "", ""),
        ("MCELM", "01/04/2021", "P", "U6", "", "", "QM2", ""),
    ]


def test_the_export_is_audited_and_each_child_in_it_is_a_recorded_read(
    area: Area, tmp_path: Path
) -> None:
    before = AuditEvent.objects.count()

    services.export_903(CLI, area.council, YEAR, tmp_path)

    new = AuditEvent.objects.filter(sequence__gt=before)
    assert new.filter(action="export_903", object_type="ssda903").count() == 1
    read = set(new.filter(object_type="child").values_list("child_id", flat=True))
    assert read == {area.children[k].pk for k in ("ash", "birch", "cedar", "dale", "elm")}


def test_only_the_councils_own_coordinator_may_export(area: Area, tmp_path: Path) -> None:
    other = factories.CouncilFactory()
    stranger = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, other)
    with pytest.raises(AccessDenied):
        services.export_903(stranger, area.council, YEAR, tmp_path)
    with pytest.raises(AccessDenied):
        services.export_903(area.worker, area.council, YEAR, tmp_path)  # role cannot export
    own = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, area.council)
    assert len(services.export_903(own, area.council, YEAR, tmp_path).missing) == 9


def test_a_year_that_has_not_started_is_refused(area: Area, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="2027-28 collection year has not started"):
        services.export_903(CLI, area.council, 2028, tmp_path)
    assert not tmp_path.joinpath("missing.csv").exists()


def test_the_command_writes_the_three_files_the_validator_expects(
    area: Area, tmp_path: Path
) -> None:
    from io import StringIO

    out = StringIO()
    call_command("export_903", council="714", year=YEAR, out=tmp_path, stdout=out)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "episodes.csv",
        "header.csv",
        "missing.csv",
    ]
    assert "01/04/2025 to 31/03/2026 (ruleset lac2025_26)" in out.getvalue()
    assert "5 children, 8 episodes, 9 missing or away periods" in out.getvalue()
    with pytest.raises(CommandError, match="No council has the LA number '999'"):
        call_command("export_903", council="999", year=YEAR, out=tmp_path)


def test_the_year_is_the_one_the_collection_ends_in() -> None:
    assert ssda903.collection_window(2026) == (
        ssda903.parse_date("01/04/2025"),
        ssda903.parse_date("31/03/2026"),
    )
    assert ssda903.ruleset_name(2026) == "lac2025_26"
