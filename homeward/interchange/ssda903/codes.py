"""The SSDA903's columns and DfE code lists, its dates and collection years, and
``Problem``: what is wrong with a file, and where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

DATE_FORMAT = "%d/%m/%Y"

HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES_COLUMNS = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]
MISSING_COLUMNS = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]
NAMES_COLUMNS = ["CHILD", "FIRST_NAME", "LAST_NAME"]

# Columns an import cannot do without (the others may be absent or blank).
HEADER_REQUIRED = ["CHILD", "SEX", "DOB", "ETHNIC"]
EPISODES_REQUIRED = ["CHILD", "DECOM", "PLACE", "DEC", "REC"]

# DfE code lists (SSDA903 guidance). UN1-UN5 stand for an unknown UPN.
UPN_UNKNOWN = {"UN1", "UN2", "UN3", "UN4", "UN5"}
RNE_CODES = {"S", "P", "L", "T", "U", "B"}
LS_CODES = {"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
CIN_CODES = {f"N{n}" for n in range(1, 10)}
REC_CODES = {
    "X1",
    "E11",
    "E12",
    "E13",
    "E14",
    "E15",
    "E16",
    "E17",
    "E2",
    "E3",
    "E4A",
    "E4B",
    "E41",
    "E45",
    "E46",
    "E47",
    "E48",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
}
PLACE_PROVIDER_CODES = {f"PR{n}" for n in range(6)}
CHILD_ID = re.compile(r"[A-Za-z0-9]{1,10}")
POSTCODE_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")
URN = re.compile(r"[A-Za-z0-9]{1,10}")

BAD_CHILD_ID = "Enter the child's 903 id: 1 to 10 letters or digits"

# Where a child has no UPN Homeward writes this DfE code ("not yet obtained", in effect).
UPN_NOT_KNOWN = "UN5"
UPN_UNDER_SCHOOL_AGE = "UN1"

# Children made by an import with no names file: clearly a placeholder, never a name.
PLACEHOLDER_FIRST_NAME = "Unnamed"


def placeholder_last_name(child_id: str) -> str:
    return f"903 CHILD {child_id}"


def collection_window(year: int) -> tuple[date, date]:
    """1 April of the year before to 31 March of ``year``."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def ruleset_name(year: int) -> str:
    return f"lac{year - 1}_{str(year)[2:4]}"


def fmt(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def parse_date(text: str) -> date | None:
    try:
        parsed = datetime.strptime(text, DATE_FORMAT).date()  # noqa: DTZ007 (a date, no time)
    except ValueError:
        return None
    # strptime accepts "1/2/2020"; the 903 writes two-digit days and months.
    return parsed if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text) else None


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the file, the row (1 is the line of column names), the
    column. ``row``/``column`` are None for a problem with the whole file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"
