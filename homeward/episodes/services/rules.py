"""The rules of a report and a return: what is checked, and the inputs the services take."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child
from homeward.children.services import eighteenth_birthday
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.validation import implausible_time, text_errors
from homeward.episodes.models import (
    LEGACY_RISK_GRADES,
    Classification,
    ClassificationChange,
    Episode,
    EpisodeStatus,
    MissingFrom,
    ReporterType,
    ReturnMethod,
    RiskAssessment,
    RiskGrade,
    TimelineEntry,
)
from homeward.organisations.models import Organisation, OrganisationKind

OBJECT = "episode"


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")


def _check_time(
    errors: dict[str, list[str]],
    name: str,
    value: datetime | None,
    label: str,
    required: bool = True,
) -> None:
    if value is None:
        if required:
            errors.setdefault(name, []).append(f"Enter {label}")
        return
    if implausible_time(value):
        errors.setdefault(name, []).append(f"Enter a real date for {label}")
        return
    if clock.is_future(value):
        errors.setdefault(name, []).append(f"{label[0].upper()}{label[1:]} cannot be in the future")


def normalise_grade(value: str) -> tuple[str, str]:
    """Map a grade, current or legacy, to (grade, legacy_grade_or_blank)."""
    key = value.strip().lower().replace("-", " ")
    if key in RiskGrade.values:
        return key, ""
    mapped = LEGACY_RISK_GRADES.get(key)
    if mapped is None:
        raise ValidationFailed({"risk_grade": "Select a risk grade: very low, low, medium or high"})
    return str(mapped), "" if key.replace(" ", "_") == mapped else value.strip()


def _new_reference() -> str:
    return "HW-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def _police_force_for(child: Child, missing_from: str, actor: Actor) -> Organisation | None:
    org = actor.organisation
    if org is not None and org.kind == OrganisationKind.POLICE:
        return org
    placement = child.current_placement
    if missing_from == MissingFrom.PLACEMENT and placement is not None:
        return placement.host_council.police_force
    return child.responsible_council.police_force


@dataclass
class Return:
    returned_at: datetime | None
    return_method: str
    found_location: str = ""
    found_with: str = ""
    harm_indicators: str = ""


@dataclass
class Report:
    classification: str
    last_seen_at: datetime | None
    last_seen_location: str
    missing_from: str
    reporter_type: str
    risk_grade: str
    risk_rationale: str
    reported_at: datetime | None = None
    reporter_name: str = ""
    circumstances: str = ""
    clothing: str = ""
    # Missing profile part 2, with clothing and where last seen: who they were with.
    last_seen_with: str = ""
    police_reference: str = ""
    # A late report of an episode that is already over carries its return; a report of a
    # child who is missing now leaves it out.
    returned: Return | None = None


@dataclass(frozen=True)
class Written:
    """The records a report wrote for a new episode of a child missing now, as they read
    back (in their models' order, times in UTC): the response is built from them without
    reading them again. Such an episode is linked to none and has no safe and well check
    or return interview yet."""

    risk_history: list[RiskAssessment]
    classification_history: list[ClassificationChange]
    timeline: list[TimelineEntry]


@dataclass
class ReportResult:
    episode: Episode
    created: bool
    # What was written, when the report opened an episode of a child missing now (a
    # further report, or a late report whose return opened aftercare, has none).
    written: Written | None = None


def _validate_report(child: Child, report: Report) -> dict[str, list[str]]:
    # The grade is checked against the grade lists below (legacy words are longer).
    errors: dict[str, list[str]] = text_errors(
        Episode, {k: v for k, v in vars(report).items() if k != "risk_grade"}
    )
    if errors:
        return errors
    _choice_errors(errors, report)
    _check_time(errors, "last_seen_at", report.last_seen_at, "when the child was last seen")
    _check_time(errors, "reported_at", report.reported_at, "when it was reported", required=False)
    seen = None if "last_seen_at" in errors else report.last_seen_at
    if seen and report.reported_at and "reported_at" not in errors and report.reported_at < seen:
        errors.setdefault("reported_at", []).append(
            "The report cannot be before the child was last seen"
        )
    if seen:
        errors_for_age = _age_errors(child, seen)
        if errors_for_age:
            errors.setdefault("last_seen_at", []).extend(errors_for_age)
    if report.classification == Classification.AWAY:
        day = timezone.localtime(seen or clock.now()).date()
        if child.legal_status_on(day) != LegalStatusKind.LOOKED_AFTER:
            errors.setdefault("classification", []).append(
                "Away from placement without authorisation applies only to a looked-after child"
            )
    _grade_errors(errors, report)
    if report.returned is not None:
        _return_errors(errors, report.returned, seen)
    return errors


def _choice_errors(errors: dict[str, list[str]], report: Report) -> None:
    """The report's choices from lists, and where the child was last seen."""
    if report.classification not in Classification.values:
        errors["classification"] = ["Select missing or away from placement without authorisation"]
    if report.missing_from not in MissingFrom.values:
        errors["missing_from"] = ["Select where the child went missing from"]
    if report.reporter_type not in ReporterType.values:
        errors["reporter_type"] = ["Select who reported the child missing"]
    if not report.last_seen_location.strip():
        errors["last_seen_location"] = ["Enter where the child was last seen"]


def _grade_errors(errors: dict[str, list[str]], report: Report) -> None:
    """The risk grade (current or legacy) and the reason for it."""
    if report.risk_grade:
        try:
            normalise_grade(report.risk_grade)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    else:
        errors["risk_grade"] = ["Select a risk grade: very low, low, medium or high"]
    if not report.risk_rationale.strip():
        errors["risk_rationale"] = ["Enter the reason for the risk grade"]


def _return_errors(errors: dict[str, list[str]], details: Return, seen: datetime | None) -> None:
    """A return's own checks: when (not future, not before last seen) and how."""
    errors.update({k: v for k, v in text_errors(Episode, vars(details)).items() if k not in errors})
    _check_time(errors, "returned_at", details.returned_at, "when the child returned or was found")
    returned_at = None if "returned_at" in errors else details.returned_at
    if seen is not None and returned_at is not None and returned_at < seen:
        errors.setdefault("returned_at", []).append(
            f"The return cannot be before the child was last seen ({_when(seen)})"
        )
    if details.return_method not in ReturnMethod.values:
        errors["return_method"] = ["Select how the child returned or was found"]


def _age_errors(child: Child, seen: datetime) -> list[str]:
    """An episode is a child's (SSDA903 rules 586 and 580): it starts after the day of
    birth and before the 18th birthday."""
    day = timezone.localtime(seen).date()
    if day <= child.date_of_birth:
        return ["Last seen must be after the child's date of birth"]
    adult = eighteenth_birthday(child.date_of_birth)
    if day >= adult:
        return [
            f"The child turned 18 on {adult:%-d %B %Y}: Homeward records children, so an "
            "episode cannot start on or after their 18th birthday"
        ]
    return []


def _overlap_errors(
    child_id: int, start: datetime, end: datetime | None, but: int | None
) -> list[str]:
    """A child is missing once at a time (SSDA903 rule 574): no other episode of the child
    may cover any of the time from ``start`` to ``end`` (None: still missing)."""
    others = Episode.objects.filter(child_id=child_id).filter(
        Q(status=EpisodeStatus.MISSING) | Q(returned_at__gt=start)
    )
    if but is not None:
        others = others.exclude(pk=but)
    if end is not None:
        others = others.filter(last_seen_at__lt=end)
    return _overlap_message(others.order_by("last_seen_at").first())


def _overlap_in(episodes: list[Episode], start: datetime, end: datetime | None) -> list[str]:
    """``_overlap_errors`` over episodes already read (in start order): the first that is
    open or ends after ``start``, and starts before ``end``."""
    return _overlap_message(
        next(
            (
                e
                for e in episodes
                if (
                    e.status == EpisodeStatus.MISSING
                    or (e.returned_at is not None and e.returned_at > start)
                )
                and (end is None or e.last_seen_at < end)
            ),
            None,
        )
    )


def _overlap_message(other: Episode | None) -> list[str]:
    if other is None:
        return []
    until = f"returned {_when(other.returned_at)}" if other.returned_at else "still missing"
    return [
        f"This overlaps episode {other.reference} (last seen {_when(other.last_seen_at)}, "
        f"{until}): a child can only be missing once at a time"
    ]
