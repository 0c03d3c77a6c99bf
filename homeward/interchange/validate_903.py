"""Run the DfE's SSDA903 validator (``csc-validator-be-903``) over a folder of CSV files.

This script does not import Django or anything else from Homeward: it runs under the
validator's own virtual environment (``make validator`` builds ``.venv-903``), because the
validator pins old versions of pandas and numpy. Use it as::

    .venv-903/bin/python homeward/interchange/validate_903.py DIR --year 2026 [--rules 574,577]

``--year`` is the year the collection ends (2026 is the 2025-26 return, 1 April 2025 to
31 March 2026, ruleset ``lac2025_26``): the validator's own convention. The folder holds
the tables as ``header.csv``, ``episodes.csv``, ``missing.csv`` (any 903 table may be
given; the validator recognises each by its columns). ``--last DIR`` adds the previous
year's return, which rules comparing the two years (576) need.

It prints one JSON document: the ruleset, which rules ran, which were skipped (a table they
need was not given) or failed to run, and every error as {rule, table, row, child}.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

TABLE_FILES = ("header.csv", "episodes.csv", "missing.csv", "swepisodes.csv")


def ruleset_name(year: int) -> str:
    """2026 -> lac2025_26, as lac_validator.rules.ruleset_utils.get_year_ruleset does."""
    return f"lac{year - 1}_{str(year)[2:4]}"


def _files(folder: Path, description: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "description": description, "file_content": (folder / name).read_bytes()}
        for name in TABLE_FILES
        if (folder / name).exists()
    ]


def validate(
    folder: Path,
    year: int,
    local_authority: str,
    rules: list[str] | None,
    last: Path | None = None,
) -> dict[str, Any]:
    # The validator logs every rule at INFO on the root logger; keep stdout for the JSON.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, force=True)
    from lac_validator import lac_validator

    logging.getLogger().setLevel(logging.WARNING)
    # Last year's return (for rules such as 576) goes in as the "Prev year" upload.
    files = _files(folder, "This year") + (_files(last, "Prev year") if last else [])
    ruleset = ruleset_name(year)
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    wanted = [code for code in (rules or []) if code in registry]
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": str(year), "localAuthority": local_authority},
        files=files,
        registry=registry,
        selected_rules=wanted or None,
    )
    errors: list[dict[str, Any]] = []
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in frame.columns:
            if not str(column).startswith("ERR_"):
                continue
            flagged = frame.index[frame[column] == True]  # noqa: E712 (pandas mask)
            errors.extend(
                {
                    "rule": str(column)[4:],
                    "table": table,
                    "row": int(row),
                    "child": str(frame.at[row, "CHILD"]),
                    "message": str(registry[str(column)[4:]].message),
                }
                for row in flagged
            )
    return {
        "ruleset": ruleset,
        "collection_year": year,
        "tables": sorted(t for t in validator.dfs),
        "requested": rules or [],
        "not_in_ruleset": [code for code in (rules or []) if code not in registry],
        "ran": sorted(validator.dones),
        "skipped": sorted(validator.skips),
        "failed": sorted(validator.fails),
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--year", type=int, required=True, help="year the collection ends")
    parser.add_argument(
        "--la", default="E99999999", help="the council's ONS code (only affects postcode rules)"
    )
    parser.add_argument("--last", type=Path, help="folder holding last year's return")
    parser.add_argument("--rules", default="", help="comma-separated rule codes (default: all)")
    args = parser.parse_args(argv)
    rules = [code.strip() for code in args.rules.split(",") if code.strip()] or None
    result = validate(args.folder, args.year, args.la, rules, args.last)
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
