"""Rows written fast: buffered per model, with their primary keys given here, and written
in batches, with COPY on PostgreSQL and executemany elsewhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from homeward.core import clock

BATCH = 20_000


class Sink:
    """Buffers rows per model and writes them in batches, with the keys given here."""

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {}
        self.columns: dict[type[models.Model], list[tuple[str, str, Any]]] = {}
        self.defaults: dict[type[models.Model], dict[str, Any]] = {}
        self.counts: dict[str, int] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.postgres = connection.vendor == "postgresql"
        self.now = clock.now()

    def new_id(self, model: type[models.Model]) -> int:
        if model not in self.next_ids:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_ids[model] = last + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def _columns(self, model: type[models.Model]) -> list[tuple[str, str, Any]]:
        if model not in self.columns:
            spec = []
            for f in model._meta.concrete_fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default: Any = self.now
                elif f.has_default():
                    default = f.get_default()
                elif not f.null and isinstance(f, models.CharField | models.TextField):
                    default = ""  # what a form leaves in a blank text field
                else:
                    default = None
                if isinstance(f, models.JSONField):
                    default = json.dumps(default)
                spec.append((f.attname, f.column, default))
            self.columns[model] = spec
            self.defaults[model] = {name: default for name, _, default in spec}
        return self.columns[model]

    def add(self, model: type[models.Model], **values: Any) -> None:
        if model not in self.defaults:
            self._columns(model)
        merged = self.defaults[model] | values  # keeps the columns' order: fast, in C
        if len(merged) != len(self.columns[model]):
            unknown = set(values) - set(self.defaults[model])
            raise TypeError(f"{model._meta.label} has no column {', '.join(sorted(unknown))}")
        row = tuple(merged.values())
        bucket = self.rows.setdefault(model, [])
        bucket.append(row)
        if len(bucket) >= self.batch:
            self.flush(model)

    def flush(self, model: type[models.Model] | None = None) -> None:
        for each in [model] if model else list(self.rows):
            rows = self.rows.get(each) or []
            if not rows:
                continue
            self._write(each, rows)
            label = each._meta.label
            self.counts[label] = self.counts.get(label, 0) + len(rows)
            self.rows[each] = []

    def _write(self, model: type[models.Model], rows: list[tuple[Any, ...]]) -> None:
        spec = self._columns(model)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for _, column, _ in spec)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            # SQLite keeps times as naive UTC text and dates as ISO text, as Django does.
            when = [
                i
                for i, f in enumerate(model._meta.concrete_fields)
                if isinstance(f, models.DateField)  # DateTimeField is one too
            ]
            converted = []
            for row in rows:
                values = list(row)
                for i in when:
                    value = values[i]
                    if isinstance(value, datetime):
                        values[i] = str(value.astimezone(UTC).replace(tzinfo=None))
                    elif value is not None:
                        values[i] = str(value)
                converted.append(values)
            marks = ", ".join(["%s"] * len(spec))
            # Table and column names come from the models, never from input.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, converted)

    def finish(self) -> None:
        self.flush()
        if self.postgres:
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
