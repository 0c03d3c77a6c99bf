"""Linking a council's own list of children (a CSV file) against itself.

Each row is checked first; a bad row is reported by row number, column and why, and left
out, and the good rows are still linked. The output has, per record: its resolved person
(cluster), the best pair's match probability, and the fields that agreed (the grounds)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from homeward.children.codes import Sex, nhs_number_is_valid
from homeward.core import csv as safe_csv
from homeward.linkage import comparisons, engine

OUTPUT_COLUMNS = ("record_id", "person_id", "match_probability", "grounds")
SEX_CODES = {s.value for s in Sex} | {"", "0", "9"}


@dataclass
class Checked:
    good: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _problem(row: dict[str, str], seen: set[str]) -> tuple[str, str] | None:
    record_id = (row.get("record_id") or "").strip()
    if not record_id:
        return "record_id", "missing"
    if record_id in seen:
        return "record_id", f"duplicate of an earlier row's {record_id!r}"
    try:
        date.fromisoformat((row.get("dob") or "").strip())
    except ValueError:
        return "dob", "not a date (YYYY-MM-DD)"
    if (row.get("sex") or "").strip() not in SEX_CODES:
        return "sex", "unknown sex code (1 male, 2 female, 0 or 9 not known)"
    nhs = (row.get("nhs_number") or "").replace(" ", "")
    if nhs and not nhs_number_is_valid(nhs):
        return "nhs_number", "not a valid NHS number (checksum)"
    return None


def check(handle: TextIO) -> Checked:
    reader = csv.DictReader(handle)
    missing = set(comparisons.RECORD_COLUMNS) - set(reader.fieldnames or [])
    checked = Checked()
    if missing:
        checked.problems.append(f"header: missing columns {', '.join(sorted(missing))}")
        return checked
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        problem = _problem(row, seen)
        if problem:
            checked.problems.append(f"row {number}, {problem[0]}: {problem[1]}")
            continue
        seen.add(row["record_id"].strip())
        checked.good.append({k: (row.get(k) or "").strip() for k in comparisons.RECORD_COLUMNS})
    return checked


def write(handle: TextIO, records: Iterable[dict[str, str]], result: engine.LinkResult) -> int:
    best: dict[str, tuple[float, list[str]]] = {}
    for pair in result.scored_pairs():
        grounds = [str(e["field"]) for e in pair.evidence if float(str(e["weight"])) > 0]
        for rid in (pair.left, pair.right):
            if pair.probability > best.get(rid, (-1.0, []))[0]:
                best[rid] = (pair.probability, grounds)
    out = safe_csv.writer(handle)
    out.writerow(OUTPUT_COLUMNS)
    written = 0
    for record in records:
        rid = record["record_id"]
        probability, grounds = best.get(rid, (None, []))
        person = result.clusters.get(rid, rid)
        shown = "" if probability is None else f"{probability:.4f}"
        out.writerow([rid, person, shown, " ".join(grounds)])
        written += 1
    return written
