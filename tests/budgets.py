"""Query budgets: the most queries a hot path may send, per database.

``within(name, budgets)`` counts what the block sends and fails, listing every statement,
when it is more than ``budgets[name]``: ``(sqlite, postgresql)``. They differ only where
the databases truly do (PostgreSQL takes an advisory lock before each refresh of a child's
figures; SQLite's write lock is the transaction's). Budgets are what the path costs today:
lower one when a change makes the path cheaper, never raise one to make a test pass."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def within(name: str, budgets: dict[str, tuple[int, int]]) -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as queries:
        yield queries
    allowed = budgets[name][1 if connection.vendor == "postgresql" else 0]
    count = len(queries.captured_queries)
    record = os.environ.get("HOMEWARD_RECORD_QUERY_COUNTS")
    if record:
        with open(record, "a", encoding="utf-8") as out:
            out.write(f"{connection.vendor} {name} {count}\n")
        return
    statements = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(queries.captured_queries, 1))
    assert count <= allowed, f"{name}: {count} queries, over its budget of {allowed}:\n{statements}"
