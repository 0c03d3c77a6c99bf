"""The probabilistic linkage model (Fellegi-Sunter, by Splink): train, score, cluster.

One settings definition (comparisons.py) runs on embedded DuckDB (the default, memory
bounded) or on Spark with a given session. Training is unsupervised: u probabilities by
seeded random sampling of pairs, the prior from strict deterministic rules, m probabilities
by expectation maximisation on two blocking rules. The result is the scored pairs above a
floor, each with its evidence field by field (the level that agreed and its weight, never
the values), and the clusters of records joined by pairs at or above a threshold.
"""

from __future__ import annotations

import json
import logging
import math
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import duckdb
import pyarrow as pa
from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from homeward.linkage import comparisons

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from splink.internals.database_api import DatabaseAPISubClass

log = logging.getLogger(__name__)

SEED = 1913
MIN_TRAIN = 2000  # fewer records than this are scored with the default model
M_FLOOR = 1e-3
DEFAULT_MODEL = Path(__file__).with_name("model.json")
DUCKDB_MEMORY = "1GB"
U_MAX_PAIRS = 2e6
# Above this many records EM trains on a deterministic sample of each block's pairs.
EM_SAMPLE_ABOVE = 200_000
EM_MAX_PAIRS = 3e6

Evidence = list[dict[str, object]]


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float
    match_weight: float
    evidence: Evidence


@dataclass
class LinkResult:
    """Scored pairs (arrow: record_id_l, record_id_r, match_probability, match_weight and a
    gamma_<field> level per field) and clusters (record id -> cluster id)."""

    pairs: pa.Table
    clusters: dict[str, str]
    levels: dict[str, dict[int, tuple[str, float]]]
    model: dict[str, Any] = field(repr=False)

    def evidence(self, row: Mapping[str, object]) -> Evidence:
        found: Evidence = []
        for name, levels in self.levels.items():
            gamma = row.get(f"gamma_{name}")
            if gamma is None or int(cast(int, gamma)) not in levels:
                continue
            label, weight = levels[int(cast(int, gamma))]
            found.append(
                {
                    "field": name,
                    "label": comparisons.FIELD_LABELS[name],
                    "level": label,
                    "weight": weight,
                }
            )
        return found

    def scored_pairs(self) -> Iterator[ScoredPair]:
        for batch in self.pairs.to_batches(max_chunksize=10_000):
            for row in batch.to_pylist():
                yield ScoredPair(
                    left=str(row["record_id_l"]),
                    right=str(row["record_id_r"]),
                    probability=float(row["match_probability"]),
                    match_weight=float(row["match_weight"]),
                    evidence=self.evidence(row),
                )


def duckdb_api(memory_limit: str = DUCKDB_MEMORY, temp_dir: str | None = None) -> Any:
    """An embedded DuckDB for Splink, its memory bounded (spilling to ``temp_dir``)."""
    from splink import DuckDBAPI

    connection = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": memory_limit,
            "threads": 2,
            "temp_directory": temp_dir or tempfile.gettempdir(),
            "preserve_insertion_order": False,
        },
    )
    return DuckDBAPI(connection)


def spark_api(session: SparkSession) -> Any:
    from splink import SparkAPI

    return cast(Callable[..., Any], SparkAPI)(spark_session=session)


def local_spark(work_dir: str, master: str = "local[2]") -> SparkSession:
    """A small, quiet Spark session on this machine for the Spark backend: no web UI, few
    shuffle partitions, scratch and checkpoint files under ``work_dir``, Splink's string
    similarity functions loaded."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = cast(Any, SparkSession.builder)
    session = cast(
        "SparkSession",
        builder.master(master)
        .appName("homeward-linkage")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.driver.memory", "1g")
        .config("spark.local.dir", work_dir)
        .config("spark.sql.warehouse.dir", f"{work_dir}/warehouse")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={work_dir}")
        .getOrCreate(),
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(f"{work_dir}/checkpoints")
    return session


def _api(backend: str, spark: SparkSession | None) -> DatabaseAPISubClass:
    if backend == "duckdb":
        return cast("DatabaseAPISubClass", duckdb_api())
    if backend == "spark":
        if spark is None:
            raise ValueError("The Spark backend needs a SparkSession")
        return cast("DatabaseAPISubClass", spark_api(spark))
    raise ValueError(f"Unknown linkage backend: {backend!r}")


def new_linker(frame: SplinkDataFrame, model: Mapping[str, Any] | None = None) -> Linker:
    """A Splink linker over registered prepared records, untrained or with a saved model."""
    settings: Any = dict(model) if model is not None else comparisons.settings()
    return Linker(frame, settings, log_level=logging.ERROR)


def train(linker: Linker, records: int, seed: int = SEED) -> dict[str, Any]:
    """Unsupervised training: the prior, u by seeded sampling, m by EM on two blocks.
    Returns the trained model, every m probability at least ``M_FLOOR``."""
    linker.training.estimate_probability_two_random_records_match(
        list(comparisons.deterministic_rules()), recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=U_MAX_PAIRS, seed=seed, min_count_per_level=None
    )
    max_pairs = EM_MAX_PAIRS if records > EM_SAMPLE_ABOVE else None
    for rule in comparisons.training_rules():
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=max_pairs
        )
    return floored(linker.misc.save_model_to_json())


def floored(model: dict[str, Any]) -> dict[str, Any]:
    """EM drives the m of a level true matches never showed in training (a different sex,
    a date of birth only the year of which agrees) to nearly 0, a weight of -100 bits: one
    slip would outweigh everything. Records do have slips: no m below ``M_FLOOR``."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            m = level.get("m_probability")
            if isinstance(m, float) and m < M_FLOOR:
                level["m_probability"] = M_FLOOR
    return model


def default_model() -> dict[str, Any]:
    """The model trained on the generated truth set, for record sets too small to train
    on (EM needs thousands of records): ``python -m homeward.seed.identities`` rewrites it."""
    return cast(dict[str, Any], json.loads(DEFAULT_MODEL.read_text()))


def level_weights(model: Mapping[str, Any]) -> dict[str, dict[int, tuple[str, float]]]:
    """Each field's comparison levels by gamma value: the level's label and its match
    weight (log2 of m over u, in bits, to 1 dp). Null levels carry no evidence."""
    levels: dict[str, dict[int, tuple[str, float]]] = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        chosen: dict[int, tuple[str, float]] = {}
        ordinary = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for gamma, level in zip(range(len(ordinary) - 1, -1, -1), ordinary, strict=True):
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else 0.0
            label = (
                "No match" if level.get("sql_condition") == "ELSE" else level["label_for_charts"]
            )
            chosen[gamma] = (label, round(weight, 1))
        levels[name] = chosen
    return levels


def score(linker: Linker, floor: float, chunks: int = 1) -> SplinkDataFrame:
    if chunks > 1:
        return linker.inference.predict(
            threshold_match_probability=floor, num_chunks_left=chunks, num_chunks_right=1
        )
    return linker.inference.predict(threshold_match_probability=floor)


def _arrow(frame: SplinkDataFrame) -> pa.Table:
    return cast(Callable[[], pa.Table], frame.as_pyarrow_table)()


def _pairs_table(predictions: SplinkDataFrame, model: Mapping[str, Any]) -> pa.Table:
    table = _arrow(predictions)
    gammas = [f"gamma_{c['output_column_name']}" for c in model["comparisons"]]
    keep = ["record_id_l", "record_id_r", "match_probability", "match_weight", *gammas]
    return table.select([c for c in keep if c in table.column_names])


def _clusters(linker: Linker, predictions: SplinkDataFrame, threshold: float) -> dict[str, str]:
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    table = _arrow(clustered)
    ids = table.column("record_id").to_pylist()
    clusters = table.column("cluster_id").to_pylist()
    return {str(r): str(c) for r, c in zip(ids, clusters, strict=True)}


def link(
    records: Iterable[Mapping[str, object]] | pa.Table,
    *,
    backend: str = "duckdb",
    spark: SparkSession | None = None,
    floor: float = 0.5,
    threshold: float = 0.99,
    seed: int = SEED,
    model: Mapping[str, Any] | None = None,
) -> LinkResult:
    """Link records (columns: ``comparisons.RECORD_COLUMNS``) against themselves."""
    prepared = comparisons.prepare(records)
    return link_prepared(
        prepared, api=_api(backend, spark), floor=floor, threshold=threshold, seed=seed, model=model
    )


def link_prepared(
    prepared: pa.Table,
    *,
    api: DatabaseAPISubClass,
    floor: float,
    threshold: float,
    seed: int = SEED,
    model: Mapping[str, Any] | None = None,
) -> LinkResult:
    if prepared.num_rows < 2:
        return LinkResult(_empty_pairs(), {}, {}, {})
    frame = api.register(prepared, table_name="homeward_records")
    if model is None and prepared.num_rows < MIN_TRAIN:
        model = default_model()
    if model is None:
        model = train(new_linker(frame), prepared.num_rows, seed)
    linker = new_linker(frame, model)
    trained = dict(model)
    chunks = max(1, prepared.num_rows // 250_000)
    predictions = score(linker, floor, chunks)
    pairs = _pairs_table(predictions, trained)
    clusters = _clusters(linker, predictions, threshold)
    log.info("linkage scored %d pairs over %d records", pairs.num_rows, prepared.num_rows)
    return LinkResult(pairs, clusters, level_weights(trained), trained)


def _empty_pairs() -> pa.Table:
    return pa.table(
        {
            "record_id_l": pa.array([], pa.string()),
            "record_id_r": pa.array([], pa.string()),
            "match_probability": pa.array([], pa.float64()),
            "match_weight": pa.array([], pa.float64()),
        }
    )
