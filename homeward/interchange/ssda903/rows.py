"""The rows of each file read on its own: the Header table, the Episodes table and the
optional names file, each row checked and every problem kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from homeward.children.codes import Ethnicity, PlacementType, Sex, upn_is_valid
from homeward.core.validation import name_problem, person_name
from homeward.interchange.ssda903.codes import (
    CHILD_ID,
    CIN_CODES,
    EPISODES_REQUIRED,
    HEADER_REQUIRED,
    LS_CODES,
    NAMES_COLUMNS,
    PLACE_PROVIDER_CODES,
    REC_CODES,
    RNE_CODES,
    UPN_UNKNOWN,
    URN,
    Problem,
    fmt,
)
from homeward.interchange.ssda903.tables import (
    checked_code,
    checked_date,
    checked_district,
    read_table,
)


@dataclass
class HeaderRow:
    row: int
    child: str
    sex: str
    dob: date
    ethnic: str
    upn: str


@dataclass
class EpisodeRow:
    row: int
    child: str
    decom: date
    dec: date | None
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    rec: str
    reason_place_change: str
    home_post: str
    pl_post: str
    urn: str


@dataclass
class ImportFiles:
    header: list[HeaderRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def periods(self, child: str) -> list[list[EpisodeRow]]:
        rows = sorted((e for e in self.episodes if e.child == child), key=lambda e: e.decom)
        return periods_of_care(rows)


def periods_of_care(rows: list[EpisodeRow]) -> list[list[EpisodeRow]]:
    """Consecutive episodes (each starting the day the one before ended) make one period of
    care; a gap starts another. The DfE validator groups them the same way."""
    periods: list[list[EpisodeRow]] = []
    for row in rows:
        if periods and periods[-1][-1].dec is not None and row.decom <= periods[-1][-1].dec:
            periods[-1].append(row)
        else:
            periods.append([row])
    return periods


def read_header(path: Path, today: date, label: str = "") -> tuple[list[HeaderRow], list[Problem]]:
    label = label or path.name
    problems: list[Problem] = []
    rows: list[HeaderRow] = []
    seen: dict[str, int] = {}
    for number, row in read_table(path, label, HEADER_REQUIRED, problems):
        before = len(problems)
        child = row["CHILD"]
        if not CHILD_ID.fullmatch(child):
            problems.append(
                Problem(
                    label, number, "CHILD", "Enter the child's 903 id: 1 to 10 letters or digits"
                )
            )
        elif child.upper() in seen:
            problems.append(
                Problem(
                    label, number, "CHILD", f"CHILD {child} is already on row {seen[child.upper()]}"
                )
            )
        else:
            seen[child.upper()] = number
        sex = checked_code(problems, label, number, row, "SEX", Sex.values, required=True)
        dob = checked_date(problems, label, number, row, "DOB", today, required=True)
        ethnic = checked_code(
            problems, label, number, row, "ETHNIC", Ethnicity.values, required=True
        )
        upn = row.get("UPN", "").upper()
        if upn in UPN_UNKNOWN:
            upn = ""
        elif upn and not upn_is_valid(upn):
            problems.append(
                Problem(
                    label,
                    number,
                    "UPN",
                    f"'{row['UPN']}' is not a valid UPN (13 characters with a check letter) "
                    "nor an unknown-UPN code UN1 to UN5",
                )
            )
        if len(problems) == before and dob is not None:
            rows.append(HeaderRow(number, child.upper(), sex, dob, ethnic, upn))
    return rows, problems


def read_episodes(
    path: Path, today: date, label: str = ""
) -> tuple[list[EpisodeRow], list[Problem]]:
    label = label or path.name
    problems: list[Problem] = []
    rows: list[EpisodeRow] = []
    for number, row in read_table(path, label, EPISODES_REQUIRED, problems):
        episode = _episode_row(problems, label, number, row, today)
        if episode is not None:
            rows.append(episode)
    return rows, problems


def _episode_dates(
    problems: list[Problem], label: str, number: int, row: dict[str, str], today: date
) -> tuple[date | None, date | None]:
    """The child's id, when the episode started and when it ended."""
    if not CHILD_ID.fullmatch(row["CHILD"]):
        problems.append(
            Problem(label, number, "CHILD", "Enter the child's 903 id: 1 to 10 letters or digits")
        )
    decom = checked_date(problems, label, number, row, "DECOM", today, required=True)
    dec = checked_date(problems, label, number, row, "DEC", today, required=False)
    if decom and dec and dec < decom:
        problems.append(
            Problem(
                label,
                number,
                "DEC",
                f"The episode ends ({fmt(dec)}) before it starts (DECOM {fmt(decom)})",
            )
        )
    return decom, dec


def _episode_row(
    problems: list[Problem], label: str, number: int, row: dict[str, str], today: date
) -> EpisodeRow | None:
    """One row of the episodes table, or None (with its problems) if it is not right."""
    before = len(problems)
    child = row["CHILD"]
    decom, dec = _episode_dates(problems, label, number, row, today)
    rne = checked_code(problems, label, number, row, "RNE", RNE_CODES)
    ls = checked_code(problems, label, number, row, "LS", LS_CODES)
    cin = checked_code(problems, label, number, row, "CIN", CIN_CODES)
    place = checked_code(problems, label, number, row, "PLACE", PlacementType.values, required=True)
    provider = checked_code(problems, label, number, row, "PLACE_PROVIDER", PLACE_PROVIDER_CODES)
    rec = checked_code(problems, label, number, row, "REC", REC_CODES)
    if dec and not rec and not problems[before:]:
        problems.append(
            Problem(label, number, "REC", "The episode has ended (DEC): give the reason (REC)")
        )
    if rec and not dec and "DEC" not in {p.column for p in problems[before:]}:
        problems.append(
            Problem(label, number, "DEC", f"REC is {rec} but the date the episode ended is blank")
        )
    reason = row.get("REASON_PLACE_CHANGE", "").upper()
    if len(reason) > 6:
        problems.append(
            Problem(label, number, "REASON_PLACE_CHANGE", "Must be 6 characters or fewer")
        )
    home_post = checked_district(problems, label, number, row.get("HOME_POST", ""), "HOME_POST")
    pl_post = checked_district(problems, label, number, row.get("PL_POST", ""), "PL_POST")
    urn = row.get("URN", "").upper()
    if urn and not URN.fullmatch(urn):
        problems.append(Problem(label, number, "URN", f"'{urn}' is not an Ofsted URN"))
    if len(problems) == before and decom is not None:
        return EpisodeRow(
            number,
            child.upper(),
            decom,
            dec,
            rne,
            ls,
            cin,
            place,
            provider,
            rec,
            reason,
            home_post,
            pl_post,
            "" if urn == "XXXXXXX" else urn,
        )
    return None


def read_names(path: Path, label: str = "") -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """The optional names file: CHILD, FIRST_NAME, LAST_NAME (the 903 holds no names)."""
    label = label or path.name
    problems: list[Problem] = []
    names: dict[str, tuple[str, str]] = {}
    for number, row in read_table(path, label, NAMES_COLUMNS, problems):
        child = row["CHILD"].upper()
        for column in ("FIRST_NAME", "LAST_NAME"):
            problem = name_problem(row[column], "The name")
            if not row[column]:
                problems.append(Problem(label, number, column, "Enter the child's name"))
            elif problem:
                problems.append(Problem(label, number, column, problem))
            elif len(row[column]) > 100:
                problems.append(Problem(label, number, column, "Must be 100 characters or fewer"))
        if child in names:
            problems.append(Problem(label, number, "CHILD", f"CHILD {child} is named twice"))
        names[child] = (person_name(row["FIRST_NAME"]), person_name(row["LAST_NAME"]))
    return names, problems
