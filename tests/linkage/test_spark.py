"""The Spark backend runs the same model as DuckDB and finds the same children."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from homeward.linkage import engine
from homeward.seed.identities import truth_set

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    session = engine.local_spark(str(tmp_path_factory.mktemp("spark")))
    yield session
    session.stop()


def groups(clusters: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for record, cluster in clusters.items():
        members[cluster].add(record)
    return {frozenset(m) for m in members.values()}


def test_spark_and_duckdb_find_the_same_children(spark: SparkSession, tmp_path: Path) -> None:
    records = truth_set(1300, seed=9).records  # about 2,100 records: trained, not the default
    on_duckdb = engine.link(records, backend="duckdb")
    on_spark = engine.link(records, backend="spark", spark=spark)
    assert groups(on_spark.clusters) == groups(on_duckdb.clusters)
    assert len(groups(on_duckdb.clusters)) < len(records)
