"""The write side for safe and well checks and return home interviews.

On every return Homeward opens (or extends) the child's return interview, due 72 hours
after the return. An episode can only be closed once its check and its interview are
recorded: done, or not done with the reason. The functions live in the modules of this
package; every name is here too, so callers import ``homeward.aftercare.services`` as
before."""

from homeward.aftercare.services.checks import (
    CHECK_NAMES,
    INTERVIEW_DUE,
    CheckDetails,
    interview_due,
    open_interview_for_return,
    record_check,
    settings_for,
)
from homeward.aftercare.services.interviews import (
    INTERVIEW_NAMES,
    InterviewRecord,
    assign_provider,
    record_interview,
    record_offer,
    record_outcome,
)
from homeward.aftercare.services.reads import (
    EpisodeAftercare,
    Outstanding,
    audit_listed,
    check_due_at,
    episode_aftercare,
    interviews_for,
    is_overdue,
    list_interviews,
    outstanding,
    provider_choices,
    read_interview,
)

__all__ = [
    "CHECK_NAMES",
    "INTERVIEW_DUE",
    "INTERVIEW_NAMES",
    "CheckDetails",
    "EpisodeAftercare",
    "InterviewRecord",
    "Outstanding",
    "assign_provider",
    "audit_listed",
    "check_due_at",
    "episode_aftercare",
    "interview_due",
    "interviews_for",
    "is_overdue",
    "list_interviews",
    "open_interview_for_return",
    "outstanding",
    "provider_choices",
    "read_interview",
    "record_check",
    "record_interview",
    "record_offer",
    "record_outcome",
    "settings_for",
]
