"""SSDA903, the DfE's looked-after children return: reading a council's Header and Episodes
tables, and building the Header, Episodes and Missing tables from Homeward's records.

Reading is pure (no database): ``read_import`` parses and checks every row and returns the
rows and every problem found, each naming the file, the row (the header line is row 1, as
a spreadsheet shows it), the column and the reason. ``homeward.interchange.services`` does
the writing. ``build_export`` reads the database and returns the three tables; the rules it
follows are in docs/counting-rules.md, "SSDA903 export".

Years: ``year`` is the year the collection ends, as the DfE validator names its rulesets
(2026 is the 2025-26 return, ruleset ``lac2025_26``, 1 April 2025 to 31 March 2026).
"""

from homeward.interchange.ssda903.codes import (
    BAD_CHILD_ID,
    CHILD_ID,
    CIN_CODES,
    DATE_FORMAT,
    EPISODES_COLUMNS,
    EPISODES_REQUIRED,
    HEADER_COLUMNS,
    HEADER_REQUIRED,
    LS_CODES,
    MISSING_COLUMNS,
    NAMES_COLUMNS,
    PLACE_PROVIDER_CODES,
    PLACEHOLDER_FIRST_NAME,
    POSTCODE_DISTRICT,
    REC_CODES,
    RNE_CODES,
    UPN_NOT_KNOWN,
    UPN_UNDER_SCHOOL_AGE,
    UPN_UNKNOWN,
    URN,
    Problem,
    collection_window,
    fmt,
    parse_date,
    placeholder_last_name,
    ruleset_name,
)
from homeward.interchange.ssda903.export import (
    Export,
    build_export,
    export_child_id,
)
from homeward.interchange.ssda903.reading import (
    read_import,
)
from homeward.interchange.ssda903.rows import (
    EpisodeRow,
    HeaderRow,
    ImportFiles,
    periods_of_care,
    read_episodes,
    read_header,
    read_names,
)

__all__ = [
    "BAD_CHILD_ID",
    "CHILD_ID",
    "CIN_CODES",
    "DATE_FORMAT",
    "EPISODES_COLUMNS",
    "EPISODES_REQUIRED",
    "HEADER_COLUMNS",
    "HEADER_REQUIRED",
    "LS_CODES",
    "MISSING_COLUMNS",
    "NAMES_COLUMNS",
    "PLACEHOLDER_FIRST_NAME",
    "PLACE_PROVIDER_CODES",
    "POSTCODE_DISTRICT",
    "REC_CODES",
    "RNE_CODES",
    "UPN_NOT_KNOWN",
    "UPN_UNDER_SCHOOL_AGE",
    "UPN_UNKNOWN",
    "URN",
    "EpisodeRow",
    "Export",
    "HeaderRow",
    "ImportFiles",
    "Problem",
    "build_export",
    "collection_window",
    "export_child_id",
    "fmt",
    "parse_date",
    "periods_of_care",
    "placeholder_last_name",
    "read_episodes",
    "read_header",
    "read_import",
    "read_names",
    "ruleset_name",
]
