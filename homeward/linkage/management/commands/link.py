"""``homeward link [--backend spark]`` or ``homeward link --input IN.csv --output OUT.csv``."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.linkage import csvfile, engine
from homeward.linkage.runs import run_linkage


class _Bar:
    """A one-line progress bar on stderr: records read and rows a second."""

    def __init__(self, total: int | None = None) -> None:
        self.started, self.total = time.monotonic(), total

    def __call__(self, done: int) -> None:
        rate = done / max(time.monotonic() - self.started, 1e-6)
        of = f" of {self.total:,}" if self.total else ""
        sys.stderr.write(f"\r  read {done:,}{of} records ({rate:,.0f} rows a second)")
        sys.stderr.flush()

    def end(self) -> None:
        sys.stderr.write("\n")


class Command(BaseCommand):
    help = (
        "Link child records that are one child. With no options: a linkage run over every "
        "record (sure pairs linked, likely ones queued for review). With --input and "
        "--output: link a CSV list of records against itself and write each record's "
        "person, best match probability and grounds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
        parser.add_argument("--input", help="CSV of records to link against themselves")
        parser.add_argument("--output", help="CSV to write the linked records to")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["input"]) != bool(options["output"]):
            raise CommandError("--input and --output go together")
        if options["input"]:
            self._link_file(options["input"], options["output"], options["backend"])
            return
        bar = _Bar()
        run = run_linkage(trigger="command", backend=options["backend"], progress=bar)
        bar.end()
        self.stdout.write(
            f"Linkage run {run.pk}: {run.records:,} records, {run.pairs:,} likely pairs, "
            f"{run.linked:,} linked, {run.queued:,} queued for review"
        )

    def _link_file(self, source: str, target: str, backend: str) -> None:
        with open(source, newline="", encoding="utf-8-sig") as handle:
            checked = csvfile.check(handle)
        for problem in checked.problems:
            self.stderr.write(problem)
        bar = _Bar(len(checked.good))
        spark = None
        if backend == "spark":
            import tempfile

            spark = engine.local_spark(tempfile.mkdtemp(prefix="homeward-spark-"))
        result = engine.link(checked.good, backend=backend, spark=spark)
        with open(target, "w", newline="", encoding="utf-8") as handle:
            written = csvfile.write(handle, checked.good, result)
        bar(written)
        bar.end()
        people = len(
            set(result.clusters.values())
            | ({r["record_id"] for r in checked.good} - set(result.clusters))
        )
        self.stdout.write(f"Linked {written:,} records into {people:,} people: {target}")
        if checked.problems:
            raise CommandError(f"{len(checked.problems)} bad rows were left out")
