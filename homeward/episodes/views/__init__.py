"""The episode pages: the home page (home), reporting a child missing (report), the
episode page (detail) and every change to an episode (changes)."""

from homeward.episodes.views.changes import (
    add_timeline,
    classify,
    close,
    link,
    record_return,
    regrade,
    update,
)
from homeward.episodes.views.detail import detail
from homeward.episodes.views.home import home
from homeward.episodes.views.report import report_against_match, report_missing

__all__ = [
    "add_timeline",
    "classify",
    "close",
    "detail",
    "home",
    "link",
    "record_return",
    "regrade",
    "report_against_match",
    "report_missing",
    "update",
]
