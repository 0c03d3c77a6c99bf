"""The linkage model's settings and the columns it compares, one definition for every backend.

Records come in with the columns of ``RECORD_COLUMNS``; ``prepare`` adds the derived columns
the comparisons read (canonical and phonetic name keys, surname parts, every name a record
carries, the date of birth with day and month swapped, the postcode's outward code), so the
SQL the model runs is plain equality, Jaro-Winkler, Damerau-Levenshtein and array
intersection: the same on DuckDB and on Spark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import jellyfish
import pyarrow as pa
from splink import SettingsCreator, block_on
from splink import comparison_level_library as cll
from splink import comparison_library as cl
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.blocking_rule_library import CustomRule
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

RECORD_COLUMNS = (
    "record_id", "first_name", "surname", "other_names", "dob", "sex", "postcode",
    "nhs_number", "upn", "local_id",
)  # fmt: skip

# Common English given names and the short forms people use for them. Each short form maps
# to one given name; a name's canonical form is its given name, or itself.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "alexander": ("alex", "alec", "sandy", "xander"),
    "alexandra": ("lexi", "alexa", "sasha"),
    "anthony": ("tony", "ant"),
    "benjamin": ("ben", "benny", "benji"),
    "catherine": ("cathy", "kate", "katie", "cat", "kat"),
    "charles": ("charlie", "chas", "chuck"),
    "charlotte": ("lottie", "charlie", "lotte"),
    "christopher": ("chris", "kit", "topher"),
    "daniel": ("dan", "danny"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby"),
    "eleanor": ("ellie", "nell", "nora"),
    "frederick": ("fred", "freddie"),
    "gabriel": ("gabe",),
    "henry": ("harry", "hal"),
    "isabella": ("bella", "izzy", "isla"),
    "jacob": ("jake",),
    "james": ("jim", "jimmy", "jamie"),
    "jennifer": ("jen", "jenny"),
    "jessica": ("jess", "jessie"),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "katherine": ("kathy", "kay", "kit"),
    "margaret": ("maggie", "meg", "peggy", "madge"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mikey", "mick", "mickey"),
    "nathaniel": ("nat", "nate", "nathan"),
    "nicholas": ("nick", "nicky"),
    "olivia": ("liv", "livvy", "ollie"),
    "patricia": ("pat", "patty", "trish"),
    "rebecca": ("becky", "becca", "bex"),
    "richard": ("rich", "rick", "ricky", "dick"),
    "robert": ("rob", "robbie", "bob", "bobby", "bert"),
    "samantha": ("sam", "sammie"),
    "samuel": ("sammy",),
    "sophia": ("sophie", "soph"),
    "stephen": ("steve", "stevie"),
    "susannah": ("sue", "susie", "suzy"),
    "theodore": ("theo", "teddy"),
    "thomas": ("tom", "tommy"),
    "victoria": ("vicky", "tori", "vic"),
    "william": ("will", "bill", "billy", "liam", "willie"),
    "zachary": ("zach", "zac"),
}
_CANONICAL = {short: given for given, shorts in NICKNAMES.items() for short in shorts}

_SPACES = re.compile(r"[^a-z]+")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})?$")


def clean(value: object) -> str:
    """Lower case letters only, runs of anything else one space."""
    return _SPACES.sub(" ", str(value or "").lower()).strip()


def canonical(first: str) -> str:
    return _CANONICAL.get(first, first)


def phonetic(name: str) -> str:
    return jellyfish.metaphone(name) if name else ""


def outward_code(postcode: object) -> str:
    """The outward code (district) of a full or partial postcode: "QA1 2BC" -> "QA1"."""
    text = str(postcode or "").strip().upper()
    match = _POSTCODE.match(text)
    if match:
        return match.group(1)
    return text.split(" ")[0] if text else ""


def swapped(dob: str) -> str | None:
    """An ISO date with day and month swapped, when that is a date too."""
    if len(dob) != 10:
        return None
    year, month, day = dob[:4], dob[5:7], dob[8:10]
    if month == day or not day.isdigit() or int(day) > 12:
        return None
    return f"{year}-{day}-{month}"


def _blank(value: object) -> str | None:
    text = str(value or "").strip().replace(" ", "").upper()
    return text or None


def prepared_row(row: Mapping[str, object]) -> dict[str, Any]:
    first = clean(row.get("first_name")).split(" ")[0]
    surname = clean(row.get("surname"))
    parts = [p for p in surname.split(" ") if p]
    others = [p for p in clean(row.get("other_names")).split(" ") if p]
    dob = str(row.get("dob") or "").strip()[:10]
    return {
        "record_id": str(row["record_id"]),
        "first_name": first or None,
        "first_canon": canonical(first) or None,
        "first_key": phonetic(canonical(first)) or None,
        "surname": "".join(parts) or None,
        "surname_parts": parts or None,
        "surname_key": phonetic(parts[0]) if parts else None,
        "name_tokens": sorted({first, *parts, *others} - {""}) or None,
        "dob": dob or None,
        "dob_swapped": swapped(dob) if dob else None,
        "sex": _blank(row.get("sex")),
        "postcode": outward_code(row.get("postcode")) or None,
        "nhs_number": _blank(row.get("nhs_number")),
        "upn": _blank(row.get("upn")),
        "local_id": _blank(row.get("local_id")),
    }


PREPARED_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("first_name", pa.string()),
        ("first_canon", pa.string()),
        ("first_key", pa.string()),
        ("surname", pa.string()),
        ("surname_parts", pa.list_(pa.string())),
        ("surname_key", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("dob", pa.string()),
        ("dob_swapped", pa.string()),
        ("sex", pa.string()),
        ("postcode", pa.string()),
        ("nhs_number", pa.string()),
        ("upn", pa.string()),
        ("local_id", pa.string()),
    ]
)


def prepare(records: Iterable[Mapping[str, object]] | pa.Table, batch: int = 50_000) -> pa.Table:
    """The records with the derived columns the model compares, as an arrow table, made a
    batch at a time so a million records never sit in memory as Python objects."""
    if isinstance(records, pa.Table):
        batches = [
            pa.Table.from_pylist([prepared_row(r) for r in b.to_pylist()], schema=PREPARED_SCHEMA)
            for b in records.to_batches(max_chunksize=batch)
        ]
        return pa.concat_tables(batches) if batches else PREPARED_SCHEMA.empty_table()
    return pa.Table.from_pylist([prepared_row(r) for r in records], schema=PREPARED_SCHEMA)


def _first_name() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="first_name",
        comparison_description="First name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name").configure(label_for_charts="Exact match"),
            cll.ExactMatchLevel("first_canon").configure(label_for_charts="Nickname"),
            cll.JaroWinklerLevel("first_name", 0.92).configure(label_for_charts="Close spelling"),
            cll.ExactMatchLevel("first_key").configure(label_for_charts="Sounds alike"),
            cll.ElseLevel(),
        ],
    )


def _surname() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname").configure(label_for_charts="Exact match"),
            cll.JaroWinklerLevel("surname", 0.92).configure(label_for_charts="Close spelling"),
            cll.ArrayIntersectLevel("surname_parts", 1).configure(
                label_for_charts="Shares a surname part"
            ),
            cll.ExactMatchLevel("surname_key").configure(label_for_charts="Sounds alike"),
            cll.ArrayIntersectLevel("name_tokens", 1).configure(
                label_for_charts="Among the other names"
            ),
            cll.ElseLevel(),
        ],
    )


def _dob() -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Exact match"),
            cll.CustomLevel(
                '"dob_l" = "dob_swapped_r"', "Day and month swapped", base_dialect_str="duckdb"
            ),
            cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="One digit differs"),
            cll.CustomLevel(
                'substr("dob_l", 1, 4) = substr("dob_r", 1, 4)',
                "Same year",
                base_dialect_str="duckdb",
            ),
            cll.ElseLevel(),
        ],
    )


def _identifier(column: str, label: str, typo: bool) -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(label_for_charts="Exact match"),
    ]
    if typo:
        levels.append(
            cll.DamerauLevenshteinLevel(column, 1).configure(label_for_charts="One digit differs")
        )
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(
        output_column_name=column, comparison_description=label, comparison_levels=levels
    )


def _simple(column: str, label: str) -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts="Exact match"),
            cll.ElseLevel(),
        ],
    )


FIELD_LABELS = {
    "first_name": "First name",
    "surname": "Surname",
    "dob": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode district",
    "nhs_number": "NHS number",
    "upn": "Unique pupil number",
    "local_id": "Local reference",
}


def blocking_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """The pairs the model scores: any one of these agrees."""
    return [
        block_on("nhs_number"),
        block_on("upn"),
        block_on("local_id"),
        block_on("dob", "first_key"),
        block_on("dob", "surname_key"),
        block_on("first_key", "surname_key"),
        CustomRule('l."dob" = r."dob_swapped" AND l."first_key" = r."first_key"', "duckdb"),
    ]


def training_rules() -> list[BlockingRuleCreator]:
    """The blocks expectation maximisation learns from: each leaves some comparisons free."""
    return [block_on("first_key", "surname_key"), block_on("dob", "sex")]


def deterministic_rules() -> list[BlockingRuleCreator]:
    """Rules so strict their pairs are nearly all matches, for the prior."""
    return [block_on("nhs_number"), block_on("first_name", "surname", "dob")]


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            _first_name(),
            _surname(),
            _dob(),
            _simple("sex", "Sex"),
            _simple("postcode", "Postcode district"),
            _identifier("nhs_number", "NHS number", typo=True),
            _identifier("upn", "Unique pupil number", typo=True),
            _simple("local_id", "Local reference"),
        ],
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,
        additional_columns_to_retain=[],
    )
