"""The linkage model finds the records that are one child in a generated truth set with the
mistakes real records carry, and explains each pair without repeating the values."""

from __future__ import annotations

import pytest

from homeward.linkage import comparisons, engine
from homeward.seed.identities import pairwise_scores, truth_set

PEOPLE = 2400  # about 4,000 records


@pytest.fixture(scope="module")
def linked() -> tuple[engine.LinkResult, dict[str, int]]:
    truth = truth_set(PEOPLE, seed=3)
    return engine.link(truth.records, threshold=0.99), truth.person_of


def test_the_model_finds_nearly_every_child_once(
    linked: tuple[engine.LinkResult, dict[str, int]],
) -> None:
    result, person_of = linked
    scores = pairwise_scores(result.clusters, person_of)
    print(
        f"\nlinkage over {len(person_of)} records: precision {scores.precision:.3f}, "
        f"recall {scores.recall:.3f}, F1 {scores.f1:.3f} "
        f"({scores.true_positive} of {scores.actual} true pairs, {scores.predicted} predicted)"
    )
    assert scores.f1 >= 0.95
    assert scores.precision >= 0.95


def test_evidence_names_the_fields_and_weights_but_never_the_values(
    linked: tuple[engine.LinkResult, dict[str, int]],
) -> None:
    result, _ = linked
    pair = next(p for p in result.scored_pairs() if p.probability > 0.99)
    fields = {e["field"] for e in pair.evidence}
    assert {"first_name", "surname", "dob"} <= fields
    for item in pair.evidence:
        assert set(item) == {"field", "label", "level", "weight"}
        assert isinstance(item["weight"], float)
    assert "record_id_l" in result.pairs.column_names
    assert not {"first_name_l", "dob_l", "nhs_number_l"} & set(result.pairs.column_names)


def test_running_twice_gives_the_same_answer() -> None:
    records = truth_set(1300, seed=5).records
    first = engine.link(records)
    second = engine.link(records)
    assert first.clusters == second.clusters
    scores = [
        {(p.left, p.right): p.probability for p in run.scored_pairs()} for run in (first, second)
    ]
    # DuckDB sums in parallel, so the last bit of a float may differ from run to run.
    assert scores[0].keys() == scores[1].keys()
    assert scores[0] == pytest.approx(scores[1], rel=1e-9)


def test_nicknames_swapped_dates_and_hyphenated_surnames_still_match() -> None:
    base = {"sex": "2", "postcode": "QA1", "upn": "", "local_id": "", "other_names": ""}
    records = [
        {**base, "record_id": "a", "first_name": "Elizabeth", "surname": "Ashford",
         "dob": "2012-03-07", "nhs_number": "9990000018"},
        {**base, "record_id": "b", "first_name": "Beth", "surname": "Ashford-Okoro",
         "dob": "2012-07-03", "nhs_number": ""},
    ]  # fmt: skip
    result = engine.link(records, floor=0.01)
    (pair,) = list(result.scored_pairs())
    levels = {e["field"]: e["level"] for e in pair.evidence}
    assert levels["first_name"] == "Nickname"
    assert levels["dob"] == "Day and month swapped"
    assert levels["surname"] == "Shares a surname part"
    assert "nhs_number" not in levels  # missing: no evidence either way


def test_postcodes_are_compared_by_district() -> None:
    assert comparisons.outward_code("qa1 2bc") == "QA1"
    assert comparisons.outward_code("QB12") == "QB12"
    assert comparisons.swapped("2012-03-07") == "2012-07-03"
    assert comparisons.swapped("2012-03-17") is None
