"""The one way the service writes CSV: every cell that a spreadsheet would run as a
formula is written as text instead.

A spreadsheet treats a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, so a name typed as ``=HYPERLINK(...)`` would
become a link, or worse, in whoever opens the download. Such a cell is written with an
apostrophe before it, which spreadsheets read as "this is text" (the OWASP advice). A
cell that is a plain number (``-3``, ``+1.5``) is left as it is: it is read as a number,
never as a formula, and changing it would change the figure.

Values that cannot begin so (codes, dates, counts) come out byte for byte as the
standard library writes them. ``csv.writer`` and ``csv.DictWriter`` are banned elsewhere
(ruff TID251 in pyproject.toml): write through ``writer`` or ``dict_writer`` here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> object:
    """The value, or, if it is text a spreadsheet would run as a formula, that text with an
    apostrophe before it."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class Writer:
    def __init__(self, handle: _Writable, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    def __init__(self, handle: _Writable, fieldnames: Collection[str], **options: Any) -> None:
        self._writer = csv.DictWriter(handle, fieldnames=fieldnames, **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, object]) -> Any:
        return self._writer.writerow({name: neutralise(value) for name, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: _Writable, **options: Any) -> Writer:
    """Like ``csv.writer``, with every cell made safe to open in a spreadsheet."""
    return Writer(handle, **options)


def dict_writer(handle: _Writable, fieldnames: Collection[str], **options: Any) -> DictWriter:
    """Like ``csv.DictWriter``, with every cell made safe to open in a spreadsheet."""
    return DictWriter(handle, fieldnames, **options)
