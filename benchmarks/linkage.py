"""Record linkage end to end on generated records (issue 13): Homeward's engine against the
same Splink calls made directly ("Splink alone"), on the same records and settings.

Each run is a fresh process (so its peak memory is its own): read the records (parquet),
train, score, cluster, write the scored pairs and clusters back (parquet, via DuckDB and
arrow). Homeward's run also prepares the derived columns and builds each pair's evidence;
Splink alone is given the prepared columns. F1 is pairwise, against the truth set.

    BENCH_LINK_SIZES=100000,1000000 .venv/bin/python -m benchmarks linkage
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from benchmarks.machine import ROOT, describe

SIZES = [int(s) for s in os.environ.get("BENCH_LINK_SIZES", "100000,1000000").split(",")]
WORK = Path(os.environ.get("BENCH_LINK_DIR", str(ROOT / "var" / "bench-linkage")))


def _records_file(size: int) -> Path:
    """The truth set's records as parquet: about ``size`` records (1.65 per person)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from homeward.seed.identities import truth_set

    path = WORK / f"records-{size}.parquet"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        truth = truth_set(round(size / 1.65), seed=11)
        pq.write_table(pa.Table.from_pylist(truth.records), path)
    return path


def _homeward(records: Path, out: Path) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from homeward.linkage import engine

    started = time.perf_counter()
    result = engine.link(pq.read_table(records), floor=0.5, threshold=0.99)
    evidence = sum(len(p.evidence) for p in result.scored_pairs())
    linked = time.perf_counter()
    pq.write_table(result.pairs, out / "pairs.parquet")
    clusters = pa.table(
        {"record_id": list(result.clusters), "cluster_id": list(result.clusters.values())}
    )
    pq.write_table(clusters, out / "clusters.parquet")
    return {
        "link_s": linked - started,
        "write_s": time.perf_counter() - linked,
        "pairs": result.pairs.num_rows,
        "evidence_items": evidence,
    }


def _splink_alone(records: Path, out: Path) -> dict[str, Any]:
    import logging

    import pyarrow.parquet as pq
    from splink import Linker

    from homeward.linkage import comparisons, engine

    prepared = comparisons.prepare(pq.read_table(records))
    started = time.perf_counter()
    api = engine.duckdb_api()
    frame = api.register(prepared)
    linker = Linker(frame, comparisons.settings(), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        list(comparisons.deterministic_rules()), recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=engine.U_MAX_PAIRS, seed=engine.SEED, min_count_per_level=None
    )
    max_pairs = engine.EM_MAX_PAIRS if prepared.num_rows > engine.EM_SAMPLE_ABOVE else None
    for rule in comparisons.training_rules():
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=max_pairs
        )
    chunks = max(1, prepared.num_rows // 250_000)
    predictions = engine.score(linker, 0.5, chunks)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.99)
    linked = time.perf_counter()
    for frame, name in ((predictions, "pairs"), (clustered, "clusters")):
        write = cast(Callable[..., None], frame.to_parquet)
        write(str(out / f"{name}.parquet"), overwrite=True)
    return {"link_s": linked - started, "write_s": time.perf_counter() - linked}


def one(size: int, mode: str) -> None:
    """Run one linkage in this process and print its figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()
    records = _records_file(size)
    out = Path(tempfile.mkdtemp(prefix=f"{mode}-{size}-", dir=WORK))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    figures = (_homeward if mode == "homeward" else _splink_alone)(records, out)
    figures["wall_s"] = time.perf_counter() - started
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["rss_before_mb"] = before / 1024
    figures["f1"] = _f1(out)
    figures.update(size=size, mode=mode)
    print(json.dumps(figures))


def _f1(out: Path) -> dict[str, float]:
    import pyarrow.parquet as pq

    from homeward.seed.identities import pairwise_scores

    table = pq.read_table(out / "clusters.parquet", columns=["record_id", "cluster_id"])
    ids = [str(r) for r in table.column("record_id").to_pylist()]
    clusters = dict(zip(ids, (str(c) for c in table.column("cluster_id").to_pylist()), strict=True))
    scores = pairwise_scores(clusters, {r: int(r.split("-")[0]) for r in ids})
    return {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1}


def main() -> None:
    print(describe("DuckDB (embedded, memory_limit 1GB, 2 threads)"))
    for size in SIZES:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.linkage", "prepare", str(size)], check=True
        )
        for mode in ("splink", "homeward"):
            run = subprocess.run(
                [sys.executable, "-m", "benchmarks.linkage", "one", str(size), mode],
                check=True,
                capture_output=True,
                text=True,
            )
            print(run.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "prepare":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
        import django

        django.setup()
        _records_file(int(sys.argv[2]))
    elif len(sys.argv) > 3 and sys.argv[1] == "one":
        one(int(sys.argv[2]), sys.argv[3])
    else:
        main()
