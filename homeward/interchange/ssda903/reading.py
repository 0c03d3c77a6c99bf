"""``read_import``: both tables (and the names file) read, and their rows checked against
each other: every episode's child in the Header table, inside their childhood, and each
child's episodes in sequence."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

from homeward.children.services import eighteenth_birthday
from homeward.interchange.ssda903.codes import Problem, fmt
from homeward.interchange.ssda903.rows import (
    EpisodeRow,
    HeaderRow,
    ImportFiles,
    read_episodes,
    read_header,
    read_names,
)


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
