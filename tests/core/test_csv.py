"""Every CSV the service writes goes through homeward.core.csv (issue 11, point 2): a cell
a spreadsheet would run as a formula comes out as text, and everything else comes out
byte for byte as the standard library writes it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.core import csv as csv_out
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.interchange import services, ssda903
from tests.interchange.conftest import YEAR, Area, area, pinned  # noqa: F401 - fixtures

FORMULAS = [
    '=HYPERLINK("http://x","click")',
    "=1+1",
    "+44 7700 900123",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "-",
    "+",
]
HARMLESS = ["O'Brien", "Smith-Jones", "'t Hooft", "2026-03-31", "31/03/2026", "M", "", "a=b"]
NUMBERS = ["-3", "+1.5", "12", "-0.25", "0"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_formula_is_written_as_text(cell: str) -> None:
    assert csv_out.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", HARMLESS + NUMBERS + [3, -3, 1.5, None])
def test_anything_else_is_left_alone(cell: str | float | None) -> None:
    assert csv_out.neutralise(cell) == cell


def stdlib(rows: list[list[str]], lineterminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=lineterminator).writerows(rows)  # noqa: TID251 - the reference to compare
    return buffer.getvalue()


def shared(rows: list[list[str]], lineterminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv_out.writer(buffer, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue()


def test_the_writer_neutralises_each_cell_and_only_those() -> None:
    rows = [HARMLESS, FORMULAS, NUMBERS]
    read = list(csv.reader(io.StringIO(shared(rows))))
    assert read[0] == HARMLESS
    assert read[1] == ["'" + cell for cell in FORMULAS]
    assert read[2] == NUMBERS


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=["Cs"])).filter(
                lambda t: not t.startswith(csv_out.FORMULA_STARTS)
            ),
            min_size=1,
            max_size=5,
        ),
        max_size=5,
    )
)
def test_text_that_cannot_be_a_formula_is_written_byte_for_byte(rows: list[list[str]]) -> None:
    assert shared(rows, lineterminator="\r\n") == stdlib(rows, lineterminator="\r\n")


def test_a_903_export_is_not_changed_by_one_byte(area: Area, tmp_path: Path) -> None:  # noqa: F811
    """The DfE validator reads these files: every value in them is a code, a date or a
    reference, and the guard leaves each exactly as it was."""
    cli = Actor(user=None, membership=None, channel=CHANNEL_CLI)
    export = services.export_903(cli, area.council, YEAR, tmp_path)
    assert export.missing, "the fixture should have missing episodes to export"
    for name, columns, rows in (
        ("header.csv", ssda903.HEADER_COLUMNS, export.header),
        ("episodes.csv", ssda903.EPISODES_COLUMNS, export.episodes),
        ("missing.csv", ssda903.MISSING_COLUMNS, export.missing),
    ):
        expected = io.StringIO()
        plain = csv.DictWriter(expected, fieldnames=columns, lineterminator="\r\n")  # noqa: TID251
        plain.writeheader()
        plain.writerows(rows)
        assert (tmp_path / name).read_bytes() == expected.getvalue().encode()
