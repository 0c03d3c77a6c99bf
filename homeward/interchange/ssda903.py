"""SSDA903, the DfE's looked-after children return: reading a council's Header and Episodes
tables, and building the Header, Episodes and Missing tables from Homeward's records.

Reading is pure (no database): ``read_import`` parses and checks every row and returns the
rows and every problem found, each naming the file, the row (the header line is row 1, as
a spreadsheet shows it), the column and the reason. ``homeward.interchange.services`` does
the writing. ``build_export`` reads the database and returns the three tables; the rules it
follows are in docs/counting-rules.md, "SSDA903 export".

Years: ``year`` is the year the collection ends, as the DfE validator names its rulesets
(2026 is the 2025-26 return, ruleset ``lac2025_26``, 1 April 2025 to 31 March 2026).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils import timezone

from homeward.children.codes import Ethnicity, LegalStatusKind, PlacementType, Sex, upn_is_valid
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Placement
from homeward.children.services import eighteenth_birthday
from homeward.core import csv as csv_out
from homeward.core.validation import name_problem, person_name
from homeward.episodes.models import Classification, Episode
from homeward.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    import _csv

    from homeward.interchange.models import Ssda903Episode

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


# --- problems ----------------------------------------------------------------------------


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


# --- reading -----------------------------------------------------------------------------


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


def _read_table(
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


def _date(
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


def _code(
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


def _district(problems: list[Problem], label: str, number: int, value: str, column: str) -> str:
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


def read_header(path: Path, today: date, label: str = "") -> tuple[list[HeaderRow], list[Problem]]:
    label = label or path.name
    problems: list[Problem] = []
    rows: list[HeaderRow] = []
    seen: dict[str, int] = {}
    for number, row in _read_table(path, label, HEADER_REQUIRED, problems):
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
        sex = _code(problems, label, number, row, "SEX", Sex.values, required=True)
        dob = _date(problems, label, number, row, "DOB", today, required=True)
        ethnic = _code(problems, label, number, row, "ETHNIC", Ethnicity.values, required=True)
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
    for number, row in _read_table(path, label, EPISODES_REQUIRED, problems):
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
    decom = _date(problems, label, number, row, "DECOM", today, required=True)
    dec = _date(problems, label, number, row, "DEC", today, required=False)
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
    rne = _code(problems, label, number, row, "RNE", RNE_CODES)
    ls = _code(problems, label, number, row, "LS", LS_CODES)
    cin = _code(problems, label, number, row, "CIN", CIN_CODES)
    place = _code(problems, label, number, row, "PLACE", PlacementType.values, required=True)
    provider = _code(problems, label, number, row, "PLACE_PROVIDER", PLACE_PROVIDER_CODES)
    rec = _code(problems, label, number, row, "REC", REC_CODES)
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
    home_post = _district(problems, label, number, row.get("HOME_POST", ""), "HOME_POST")
    pl_post = _district(problems, label, number, row.get("PL_POST", ""), "PL_POST")
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
    for number, row in _read_table(path, label, NAMES_COLUMNS, problems):
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


def read_import(
    header: Path, episodes: Path, today: date, names: Path | None = None
) -> ImportFiles:
    """Read and check both tables (and the names file) and the rows against each other."""
    files = _read_files(header, episodes, today, names)
    label = episodes.name
    children = {h.child: h for h in files.header}
    bad_header = any(p.file == header.name for p in files.problems)
    for row in files.episodes:
        person = children.get(row.child)
        if person is None:
            if not bad_header:  # otherwise the child's header row may be the one in error
                files.problems.append(
                    Problem(label, row.row, "CHILD", f"CHILD {row.child} is not in {header.name}")
                )
            continue
        files.problems += _episode_against_child(label, row, person, today)
    for child in sorted({e.child for e in files.episodes} & set(children)):
        rows = sorted((e for e in files.episodes if e.child == child), key=lambda e: e.decom)
        files.problems += _episodes_in_sequence(label, child, rows)
    files.problems.sort(key=lambda p: (p.file != header.name, p.file, p.row or 0))
    return files


def _read_files(header: Path, episodes: Path, today: date, names: Path | None) -> ImportFiles:
    """Each file read and checked on its own."""
    files = ImportFiles()
    files.header, problems = read_header(header, today)
    files.problems += problems
    files.episodes, problems = read_episodes(episodes, today)
    files.problems += problems
    if names is not None:
        files.names, problems = read_names(names)
        files.problems += problems
    return files


def _episode_against_child(
    label: str, row: EpisodeRow, person: HeaderRow, today: date
) -> list[Problem]:
    """An episode inside the child's childhood: after birth, before the 18th birthday."""
    problems: list[Problem] = []
    if row.decom <= person.dob:
        problems.append(
            Problem(
                label,
                row.row,
                "DECOM",
                f"The episode starts ({fmt(row.decom)}) on or before the child's date of "
                f"birth ({fmt(person.dob)})",
            )
        )
    adult = eighteenth_birthday(person.dob)
    if row.decom >= adult:
        problems.append(
            Problem(
                label,
                row.row,
                "DECOM",
                f"The episode starts ({fmt(row.decom)}) on or after the child's 18th "
                f"birthday ({fmt(adult)})",
            )
        )
    if row.dec is None and today >= adult:
        problems.append(
            Problem(
                label,
                row.row,
                "DEC",
                f"The episode has no end date but the child turned 18 on {fmt(adult)}, "
                "when care ends: give the date it ended and why (REC)",
            )
        )
    if row.dec and row.dec > adult:
        problems.append(
            Problem(
                label,
                row.row,
                "DEC",
                f"The episode ends ({fmt(row.dec)}) after the child's 18th birthday "
                f"({fmt(adult)}), when care ends",
            )
        )
    return problems


def _episodes_in_sequence(label: str, child: str, rows: list[EpisodeRow]) -> list[Problem]:
    """One child's episodes, in date order: none open before another, none overlapping,
    and REC X1 exactly when the next one starts the day this one ends."""
    problems: list[Problem] = []
    for before, after in itertools.pairwise(rows):
        if before.dec is None:
            problems.append(
                Problem(
                    label,
                    after.row,
                    "DECOM",
                    f"CHILD {child}'s episode on row {before.row} (from {fmt(before.decom)}) "
                    "has no end date (DEC), so no later episode can start",
                )
            )
        elif after.decom < before.dec:
            problems.append(
                Problem(
                    label,
                    after.row,
                    "DECOM",
                    f"Starts ({fmt(after.decom)}) before CHILD {child}'s episode on row "
                    f"{before.row} ends ({fmt(before.dec)}): episodes cannot overlap",
                )
            )
        elif after.decom == before.dec and before.rec != "X1":
            problems.append(
                Problem(
                    label,
                    before.row,
                    "REC",
                    f"The next episode (row {after.row}) starts the day this one ends, so "
                    f"the reason it ended should be X1, not {before.rec}",
                )
            )
        elif after.decom > before.dec and before.rec == "X1":
            problems.append(
                Problem(
                    label,
                    before.row,
                    "REC",
                    f"REC is X1 (a new episode the same day) but the next episode (row "
                    f"{after.row}) starts on {fmt(after.decom)}",
                )
            )
    return problems


# --- the export --------------------------------------------------------------------------


@dataclass
class Export:
    year: int
    council: Organisation
    header: list[dict[str, str]] = field(default_factory=list)
    episodes: list[dict[str, str]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)

    def write(self, folder: Path) -> list[Path]:
        """Write header.csv, episodes.csv and missing.csv: the names the validator knows."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, columns, rows in (
            ("header.csv", HEADER_COLUMNS, self.header),
            ("episodes.csv", EPISODES_COLUMNS, self.episodes),
            ("missing.csv", MISSING_COLUMNS, self.missing),
        ):
            path = folder / name
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv_out.dict_writer(handle, columns, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(rows)
            written.append(path)
        return written


@dataclass
class _Period:
    start: date
    end: date | None  # the day care ended (DEC), None while it goes on
    at_eighteen: bool = False


def _local_date(value: datetime) -> date:
    return timezone.localtime(value).date()


def _periods(child: Child, statuses: list[LegalStatus]) -> list[_Period]:
    """The child's periods of care: looked-after statuses, touching ones joined, ended at
    the 18th birthday at the latest."""
    adult = eighteenth_birthday(child.date_of_birth)
    periods: list[_Period] = []
    for status in sorted(statuses, key=lambda s: s.start_date):
        if status.status != LegalStatusKind.LOOKED_AFTER or status.start_date >= adult:
            continue
        end, at_eighteen = status.end_date, False
        if end is None or end > adult:
            end, at_eighteen = adult, True
        if periods and periods[-1].end is not None and status.start_date <= periods[-1].end:
            periods[-1].end = max(periods[-1].end, end) if end else None
            periods[-1].at_eighteen = at_eighteen
            continue
        periods.append(_Period(status.start_date, end, at_eighteen))
    return periods


def _classification(episode: Episode) -> str:
    """M if the child was missing (whereabouts unknown) at any point, otherwise A."""
    codes = {c.classification for c in episode.classification_history.all()}
    codes.add(episode.classification)
    return Classification.MISSING if Classification.MISSING in codes else Classification.AWAY


def export_child_id(child: Child, council: Organisation) -> str:
    for identifier in child.identifiers.all():
        if identifier.organisation_id == council.pk:
            return identifier.value
    return f"HW{child.pk}"


def build_export(council: Organisation, year: int, today: date | None = None) -> Export:  # noqa: ARG001 (callers pass it)
    start, end = collection_window(year)
    export = Export(year=year, council=council)
    overlapping = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    children = (
        Child.objects.filter(responsible_council=council)
        .filter(
            pk__in=LegalStatus.objects.filter(
                overlapping, status=LegalStatusKind.LOOKED_AFTER
            ).values("child_id")
        )
        .prefetch_related(
            "legal_statuses",
            Prefetch("placements", queryset=Placement.objects.select_related("provider")),
            Prefetch("identifiers", queryset=ChildIdentifier.objects.filter(organisation=council)),
            "ssda903_episodes",
            Prefetch(
                "episodes",
                queryset=Episode.objects.filter(last_seen_at__date__lte=end).prefetch_related(
                    "classification_history"
                ),
            ),
        )
        .order_by("pk")
    )
    for child in children:
        periods = [
            p
            for p in _periods(child, list(child.legal_statuses.all()))
            if p.start <= end and (p.end is None or p.end >= start)
        ]
        if not periods:
            continue
        child_id = export_child_id(child, council)
        rows: list[dict[str, str]] = []
        for period in periods:
            rows += _episode_rows(child, child_id, period, end)
        export.child_ids.append(child.pk)
        age_at_end = child.age_on(end)
        export.header.append(
            {
                "CHILD": child_id,
                "SEX": child.sex,
                "DOB": fmt(child.date_of_birth),
                "ETHNIC": child.ethnicity,
                "UPN": child.upn or (UPN_UNDER_SCHOOL_AGE if age_at_end < 5 else UPN_NOT_KNOWN),
                "MOTHER": "",
                "MC_DOB": "",
            }
        )
        export.episodes += rows
        export.missing += _missing_rows(child, child_id, periods, start, end)
    return export


def _episode_rows(
    child: Child, child_id: str, period: _Period, year_end: date
) -> list[dict[str, str]]:
    """Rows for one period of care: a new row at each placement change and at each change
    the council's own 903 rows record (legal status, say)."""
    stop = period.end
    placements = sorted(child.placements.all(), key=lambda p: p.start_date)
    imported = sorted(
        (
            e
            for e in child.ssda903_episodes.all()  # type: ignore[attr-defined,unused-ignore]
            if period.start <= e.decom and (stop is None or e.decom < stop)
        ),
        key=lambda e: e.decom,
    )
    bounds = _row_starts(period, placements, imported)
    rows = []
    for i, first in enumerate(bounds):
        last = bounds[i + 1] if i + 1 < len(bounds) else stop
        if first > year_end:
            break
        placement = next(
            (
                p
                for p in reversed(placements)
                if p.start_date <= first and (p.end_date is None or p.end_date > first)
            ),
            None,
        )
        source = next((e for e in reversed(imported) if e.decom <= first), None)
        is_first = i == 0
        is_last = last == stop
        provider = placement.provider if placement else None
        urn = (
            provider.code
            if provider is not None and provider.kind == OrganisationKind.CARE_PROVIDER
            else (source.urn if source else "")
        )
        dec, rec = _row_end(period, source, last, is_last, year_end)
        rows.append(
            {
                "CHILD": child_id,
                "DECOM": fmt(first),
                "RNE": (source.rne if source and source.decom == first else "")
                or ("S" if is_first else "P"),
                "LS": source.ls if source else "",
                "CIN": source.cin if source else "",
                "PLACE": placement.placement_type if placement else "",
                "PLACE_PROVIDER": source.place_provider if source else "",
                "DEC": dec,
                "REC": rec,
                "REASON_PLACE_CHANGE": source.reason_place_change
                if source and source.decom == first
                else "",
                "HOME_POST": source.home_post if source else "",
                "PL_POST": placement.postcode_district if placement else "",
                "URN": urn,
            }
        )
    return rows


def _row_starts(
    period: _Period, placements: list[Placement], imported: list[Ssda903Episode]
) -> list[date]:
    """The days a row of the period starts: its start, each placement change and each
    change the council's own 903 rows record."""
    stop = period.end
    cuts = {period.start} | {e.decom for e in imported}
    for each in placements:
        for day in (each.start_date, each.end_date):
            if day is not None and period.start < day and (stop is None or day < stop):
                cuts.add(day)
    return sorted(cuts)


def _row_end(
    period: _Period, source: Ssda903Episode | None, last: date | None, is_last: bool, year_end: date
) -> tuple[str, str]:
    """DEC and REC of a row: blank while open, X1 at a change, else why care ended."""
    if last is None or last > year_end:
        return "", ""
    if not is_last:
        return fmt(last), "X1"
    rec = "E8" if period.at_eighteen else (source.rec if source and source.rec != "X1" else "E8")
    return fmt(last), rec


def _missing_rows(
    child: Child, child_id: str, periods: list[_Period], start: date, end: date
) -> list[dict[str, str]]:
    rows = []
    for episode in sorted(child.episodes.all(), key=lambda e: e.last_seen_at):
        began = _local_date(episode.last_seen_at)
        returned = _local_date(episode.returned_at) if episode.returned_at else None
        if began > end or (returned is not None and returned < start):
            continue
        # Looked after that day: the period had begun and had not yet ended (on the day
        # care ends the child is no longer looked after).
        period = next(
            (p for p in periods if p.start <= began and (p.end is None or began < p.end)), None
        )
        if period is None or began <= child.date_of_birth:
            continue
        finish = returned
        if period.end is not None and (finish is None or finish > period.end):
            finish = period.end  # care ended while the child was away: so did the 903 period
        if finish is not None and finish < start:
            continue
        rows.append(
            {
                "CHILD": child_id,
                "DOB": fmt(child.date_of_birth),
                "MISSING": _classification(episode),
                "MIS_START": fmt(began),
                "MIS_END": fmt(finish) if finish is not None and finish <= end else "",
            }
        )
    return rows
