"""The write side for missing episodes, and their audited reads.

Each function checks permission, validates, saves, writes the audit event and emits the
domain event inside one transaction: either all of it happens or none of it does. The
functions live in the modules of this package; every name is here too, so callers import
``homeward.episodes.services`` as before."""

from homeward.episodes.services.changes import (
    Regrading,
    add_timeline_entry,
    change_classification,
    link_episodes,
    regrade,
    update_episode,
)
from homeward.episodes.services.reads import (
    audit_listed,
    list_episodes,
    read_episode,
)
from homeward.episodes.services.records import (
    EDITABLE_FIELDS,
    FIELD_LABELS,
    _about,
    _add_timeline,
    _lock,
    _placement_at,
    _return_fields,
    _save,
)
from homeward.episodes.services.reporting import (
    _report_missing,
    match_holder,
    report_against_match,
    report_missing,
)
from homeward.episodes.services.returns import (
    _returned,
    close_episode,
    record_return,
)
from homeward.episodes.services.rules import (
    OBJECT,
    Report,
    ReportResult,
    Return,
    Written,
    _age_errors,
    _check_time,
    _new_reference,
    _overlap_errors,
    _police_force_for,
    _return_errors,
    _validate_report,
    _when,
    normalise_grade,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FIELD_LABELS",
    "OBJECT",
    "Regrading",
    "Report",
    "ReportResult",
    "Return",
    "Written",
    "_about",
    "_add_timeline",
    "_age_errors",
    "_check_time",
    "_lock",
    "_new_reference",
    "_overlap_errors",
    "_placement_at",
    "_police_force_for",
    "_report_missing",
    "_return_errors",
    "_return_fields",
    "_returned",
    "_save",
    "_validate_report",
    "_when",
    "add_timeline_entry",
    "audit_listed",
    "change_classification",
    "close_episode",
    "link_episodes",
    "list_episodes",
    "match_holder",
    "normalise_grade",
    "read_episode",
    "record_return",
    "regrade",
    "report_against_match",
    "report_missing",
    "update_episode",
]
