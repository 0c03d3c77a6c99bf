"""Reading one 903 CSV table (its columns checked, its rows as column -> value) and checking
one value of a row: a date, a code, a postcode district."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from homeward.interchange.ssda903.codes import POSTCODE_DISTRICT, Problem, parse_date

if TYPE_CHECKING:
    import _csv


def read_table(
    path: Path, label: str, required: list[str], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.append(Problem(label, None, None, f"File not found: {path}"))
        return []
    except UnicodeDecodeError:
        problems.append(
            Problem(label, None, None, "The file is not UTF-8 text: save it as CSV (UTF-8)")
        )
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = [c.strip().upper() for c in next(reader)]
    except StopIteration:
        problems.append(Problem(label, None, None, "The file is empty"))
        return []
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append(
            Problem(
                label,
                1,
                None,
                f"Missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(found: {', '.join(columns) or 'none'})",
            )
        )
        return []
    duplicated = sorted({c for c in columns if columns.count(c) > 1 and c})
    if duplicated:
        problems.append(Problem(label, 1, None, f"Column {', '.join(duplicated)} appears twice"))
        return []
    return _table_rows(reader, text, label, columns, problems)


def _table_rows(
    reader: _csv._reader, text: str, label: str, columns: list[str], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    """The rows after the header, as column -> value; blank lines skipped."""
    rows = []
    number = 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # Python's csv refuses a value over csv.field_size_limit(): name where it is.
            line = text.splitlines()[reader.line_num - 1] if reader.line_num else ""
            problems.append(
                Problem(
                    label,
                    number,
                    _long_value_column(line, columns),
                    f"This value is more than {csv.field_size_limit():,} characters long. "
                    "903 values are codes, dates and short references: check this is the "
                    "right file",
                )
            )
            return []
        if not any(v.strip() for v in values):
            continue  # a blank line, as spreadsheets leave at the end
        if len(values) > len(columns):
            problems.append(
                Problem(label, number, None, f"{len(values)} values for {len(columns)} columns")
            )
            continue
        values = values + [""] * (len(columns) - len(values))
        rows.append((number, {c: v.strip() for c, v in zip(columns, values, strict=True)}))
    return rows


def _long_value_column(line: str, columns: list[str]) -> str | None:
    """The column of the first value in ``line`` longer than csv.field_size_limit()."""
    limit, start, index, quoted = csv.field_size_limit(), 0, 0, False
    for position, char in enumerate(line + ","):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            if position - start > limit:
                return columns[index] if index < len(columns) else None
            index, start = index + 1, position + 1
    return None


def checked_date(
    problems: list[Problem],
    label: str,
    number: int,
    row: dict[str, str],
    column: str,
    today: date,
    required: bool,
) -> date | None:
    text = row.get(column, "")
    if not text:
        if required:
            problems.append(Problem(label, number, column, "Enter a date (dd/mm/yyyy)"))
        return None
    value = parse_date(text)
    if value is None:
        problems.append(
            Problem(label, number, column, f"'{text}' is not a date in the form dd/mm/yyyy")
        )
    elif value > today:
        problems.append(Problem(label, number, column, f"{text} is in the future"))
        return None
    return value


def checked_code(
    problems: list[Problem],
    label: str,
    number: int,
    row: dict[str, str],
    column: str,
    allowed: Iterable[str],
    required: bool = False,
) -> str:
    value = row.get(column, "").upper()
    if not value:
        if required:
            problems.append(Problem(label, number, column, "Enter a code: this cannot be blank"))
        return ""
    allowed = set(allowed)
    if value not in allowed:
        problems.append(
            Problem(
                label,
                number,
                column,
                f"'{row[column]}' is not a {column} code (one of {', '.join(sorted(allowed))})",
            )
        )
        return ""
    return value


def checked_district(
    problems: list[Problem], label: str, number: int, value: str, column: str
) -> str:
    """The 903 records the first half of a postcode; a full postcode is cut to it."""
    text = value.strip().upper()
    if not text:
        return ""
    district = text.split()[0] if " " in text else text
    if len(district) > 4 and " " not in text:
        district = text[:-3]  # "LS61AB" -> "LS6"
    if not POSTCODE_DISTRICT.fullmatch(district):
        problems.append(
            Problem(label, number, column, f"'{value}' is not a postcode district like LS6 or M1")
        )
        return ""
    return district
