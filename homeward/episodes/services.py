"""The write side for missing episodes, and their audited reads.

Each function checks permission, validates, saves, writes the audit event and emits the
domain event inside one transaction: either all of it happens or none of it does."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from homeward.aftercare import services as aftercare
from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, Placement
from homeward.children.services import eighteenth_birthday
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import implausible_time, text_errors
from homeward.episodes import steps
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
    TimelineKind,
)
from homeward.notifications import events
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action

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
    police_reference: str = ""
    # A late report of an episode that is already over carries its return; a report of a
    # child who is missing now leaves it out.
    returned: Return | None = None


@dataclass
class ReportResult:
    episode: Episode
    created: bool


def _validate_report(child: Child, report: Report) -> dict[str, list[str]]:
    # The grade is checked against the grade lists below (legacy words are longer).
    errors: dict[str, list[str]] = text_errors(
        Episode, {k: v for k, v in vars(report).items() if k != "risk_grade"}
    )
    if errors:
        return errors
    if report.classification not in Classification.values:
        errors["classification"] = ["Select missing or away from placement without authorisation"]
    if report.missing_from not in MissingFrom.values:
        errors["missing_from"] = ["Select where the child went missing from"]
    if report.reporter_type not in ReporterType.values:
        errors["reporter_type"] = ["Select who reported the child missing"]
    if not report.last_seen_location.strip():
        errors["last_seen_location"] = ["Enter where the child was last seen"]
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
    if report.risk_grade:
        try:
            normalise_grade(report.risk_grade)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    else:
        errors["risk_grade"] = ["Select a risk grade: very low, low, medium or high"]
    if not report.risk_rationale.strip():
        errors["risk_rationale"] = ["Enter the reason for the risk grade"]
    if report.returned is not None:
        _return_errors(errors, report.returned, seen)
    return errors


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
    other = others.order_by("last_seen_at").first()
    if other is None:
        return []
    until = f"returned {_when(other.returned_at)}" if other.returned_at else "still missing"
    return [
        f"This overlaps episode {other.reference} (last seen {_when(other.last_seen_at)}, "
        f"{until}): a child can only be missing once at a time"
    ]


def report_missing(actor: Actor, child_id: object, report: Report) -> ReportResult:
    """Report a child missing. If the child already has an open episode, the report is
    added to that episode's timeline instead: there is never a duplicate."""
    try:
        return _report_missing(actor, child_id, report)
    except IntegrityError:
        # Another report for the same child won the race: become an update of it.
        return _report_missing(actor, child_id, report)


@transaction.atomic
def _report_missing(actor: Actor, child_id: object, report: Report) -> ReportResult:
    child = policy.get_child(actor, child_id, Action.REPORT)
    child = (
        Child.objects.select_related(
            "current_placement__host_council__police_force",
            "responsible_council__police_force",
        )
        .prefetch_related("legal_statuses")
        .get(pk=child.pk)
    )
    errors = _validate_report(child, report)
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    assert report.last_seen_at is not None

    returned = report.returned
    open_episode = (
        Episode.objects.select_for_update()
        .filter(child=child, status=EpisodeStatus.MISSING)
        .first()
    )
    if open_episode is not None and returned is not None:
        # A late report of an earlier episode, while the child is missing again now: its
        # own episode if it ended before this one began, otherwise an overlap.
        assert returned.returned_at is not None
        if returned.returned_at > open_episode.last_seen_at:
            raise ValidationFailed(
                {
                    "returned_at": (
                        f"{child.first_name} has been missing since "
                        f"{_when(open_episode.last_seen_at)} (episode "
                        f"{open_episode.reference}): a return after that belongs to that "
                        "episode, so record it there"
                    )
                }
            )
        open_episode = None
    if open_episode is not None:
        # The grade stays the police's to set; a different view of the risk is kept, and
        # said plainly, so whoever grades sees it.
        grade, _ = normalise_grade(report.risk_grade)
        view = ""
        if grade != open_episode.risk_grade:
            view = (
                f" The reporter assessed the risk as {RiskGrade(grade).label.lower()}"
                f" ({report.risk_rationale.strip()}); the episode is graded "
                f"{RiskGrade(open_episode.risk_grade).label.lower()}."
            )
        _add_timeline(
            actor,
            open_episode,
            TimelineKind.FURTHER_REPORT,
            report.reported_at or now,
            f"Further report ({ReporterType(report.reporter_type).label}): "
            f"last seen {_when(report.last_seen_at)} at {report.last_seen_location.strip()}."
            + (f" {report.circumstances.strip()}" if report.circumstances.strip() else "")
            + view,
            location=report.last_seen_location.strip(),
        )
        audit.record(actor, "further_report", OBJECT, open_episode.reference, child_id=child.pk)
        events.emit(
            events.EPISODE_FURTHER_REPORT, OBJECT, open_episode.reference, child_id=child.pk
        )
        return ReportResult(open_episode, created=False)

    overlap = _overlap_errors(
        child.pk, report.last_seen_at, returned.returned_at if returned else None, None
    )
    if overlap:
        raise ValidationFailed({"last_seen_at": overlap})
    force = _police_force_for(child, report.missing_from, actor)
    if force is None:
        raise ValidationFailed(
            {"police_force": "No police force covers this child's area: ask an administrator"}
        )
    grade, legacy = normalise_grade(report.risk_grade)
    org = actor.organisation
    assert org is not None
    with transaction.atomic():  # savepoint: the unique open-episode constraint may fire
        episode = Episode.objects.create(
            reference=_new_reference(),
            child=child,
            classification=report.classification,
            reported_at=report.reported_at or now,
            reported_by=actor.user,
            reporting_organisation=org,
            reporter_type=report.reporter_type,
            reporter_name=report.reporter_name.strip(),
            last_seen_at=report.last_seen_at,
            last_seen_location=report.last_seen_location.strip(),
            missing_from=report.missing_from,
            circumstances=report.circumstances.strip(),
            clothing=report.clothing.strip(),
            police_reference=report.police_reference.strip(),
            police_force=force,
            placement=_placement_at(child, report.last_seen_at),
            risk_grade=grade,
            **_return_fields(returned),
        )
    ClassificationChange.objects.create(
        episode=episode,
        classification=episode.classification,
        changed_at=now,
        changed_by=actor.user,
        reason="Initial report",
    )
    RiskAssessment.objects.create(
        episode=episode,
        grade=grade,
        legacy_grade=legacy,
        rationale=report.risk_rationale.strip(),
        decided_by=actor.user,
        decided_by_organisation=org,
        decided_at=now,
    )
    _add_timeline(
        actor,
        episode,
        TimelineKind.REPORT,
        episode.reported_at,
        f"Reported missing by {ReporterType(report.reporter_type).label.lower()}. "
        f"Risk graded {RiskGrade(grade).label.lower()}.",
        location=episode.last_seen_location,
    )
    audit.record(
        actor,
        "report",
        OBJECT,
        episode.reference,
        child_id=child.pk,
        details={"version": episode.version},
    )
    events.emit(
        events.EPISODE_REPORTED,
        OBJECT,
        episode.reference,
        child_id=child.pk,
        payload={
            "risk_grade": grade,
            "classification": episode.classification,
            "already_returned": returned is not None,
        },
    )
    if returned is not None:
        _returned(actor, episode, late_report=True)
    return ReportResult(episode, created=True)


def _placement_at(child: Child, seen: datetime) -> Placement | None:
    """The placement the child was in when last seen (a late report can be about a time
    before the current placement began)."""
    day = timezone.localtime(seen).date()
    current = child.current_placement
    if current is not None and current.start_date <= day:
        return current
    return (
        Placement.objects.filter(child=child, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .order_by("-start_date", "-pk")
        .first()
    )


def _return_fields(returned: Return | None) -> dict[str, Any]:
    if returned is None:
        return {}
    return {
        "status": EpisodeStatus.RETURNED,
        "returned_at": returned.returned_at,
        "return_method": returned.return_method,
        "found_location": returned.found_location.strip(),
        "found_with": returned.found_with.strip(),
        "harm_indicators": returned.harm_indicators.strip(),
    }


def _returned(actor: Actor, episode: Episode, *, late_report: bool = False) -> None:
    """What follows every return, whether recorded on an open episode or in a late report:
    the timeline entry, the event (the safe and well check falls due), and the return
    interview (opened, or this episode added to one not yet done)."""
    assert episode.returned_at is not None
    _add_timeline(
        actor,
        episode,
        TimelineKind.RETURN,
        episode.returned_at,
        f"{ReturnMethod(episode.return_method).label}."
        + (f" Found at {episode.found_location}." if episode.found_location else "")
        + (" Recorded in a late report, after the child was back." if late_report else ""),
        location=episode.found_location,
    )
    events.emit(
        events.EPISODE_RETURNED,
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        payload={"returned_at": episode.returned_at.isoformat(), "late_report": late_report},
    )
    aftercare.open_interview_for_return(actor, episode)


def _add_timeline(
    actor: Actor,
    episode: Episode,
    kind: str,
    occurred_at: datetime,
    summary: str,
    location: str = "",
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        episode=episode,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        location=location,
        recorded_by=actor.user,
        recorded_by_organisation=actor.organisation,
    )


# --- optimistic concurrency ------------------------------------------------------------

FIELD_LABELS = {
    "classification": "classification",
    "last_seen_at": "when last seen",
    "last_seen_location": "where last seen",
    "missing_from": "missing from",
    "circumstances": "circumstances",
    "clothing": "clothing",
    "police_reference": "police reference",
    "reporter_name": "who reported",
    "risk_grade": "risk grade",
    "status": "status",
    "returned_at": "return",
    "went_missing_with": "children who went missing together",
}


def _lock(episode: Episode, expected_version: int | None) -> Episode:
    """Reload the episode for update and refuse the change if it is stale."""
    current = Episode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    if expected_version is not None and current.version != expected_version:
        changed: list[str] = []
        who: set[str] = set()
        for event in AuditEvent.objects.filter(
            object_type=OBJECT,
            object_id=current.reference,
            details__version__gt=expected_version,
        ).select_related("user"):
            for name in event.details.get("fields", []):
                label = FIELD_LABELS.get(name, name.replace("_", " "))
                if label not in changed:
                    changed.append(label)
            if event.user is not None:
                who.add(event.user.get_full_name() or event.user.get_username())
        by = f" by {', '.join(sorted(who))}" if who else ""
        what = f": {', '.join(changed)} changed" if changed else ""
        raise StaleEdit(
            f"Episode {current.reference} was changed{by} after you opened it{what}. "
            "Your changes have not been saved. Check the current details and try again.",
            changed_fields=changed,
            current_version=current.version,
        )
    return current


def _save(
    actor: Actor,
    episode: Episode,
    fields: list[str],
    action: str,
    extra: dict[str, Any] | None = None,
) -> Episode:
    episode.version = F("version") + 1
    episode.save(update_fields=[*fields, "version", "updated_at"])
    episode.refresh_from_db()
    audit.record(
        actor,
        action,
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        details={"version": episode.version, "fields": fields, **(extra or {})},
    )
    return episode


EDITABLE_FIELDS = (
    "last_seen_at",
    "last_seen_location",
    "missing_from",
    "circumstances",
    "clothing",
    "police_reference",
    "reporter_name",
)


@transaction.atomic
def update_episode(
    actor: Actor, reference: str, expected_version: int | None, changes: dict[str, Any]
) -> Episode:
    episode = policy.get_episode(actor, reference, Action.UPDATE_EPISODE)
    episode = _lock(episode, expected_version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(unknown, "This field cannot be changed here"))
    errors: dict[str, list[str]] = text_errors(Episode, changes)
    not_yet = steps.update(actor, episode).reason
    if not_yet:
        errors["status"] = [not_yet]
    if "last_seen_at" in changes:
        _check_time(errors, "last_seen_at", changes["last_seen_at"], "when the child was last seen")
        new_seen = None if "last_seen_at" in errors else changes["last_seen_at"]
        if new_seen and episode.returned_at and episode.returned_at < new_seen:
            errors.setdefault("last_seen_at", []).append(
                f"Last seen cannot be after the return ({_when(episode.returned_at)})"
            )
        elif new_seen:
            problems = _age_errors(episode.child, new_seen) or _overlap_errors(
                episode.child_id, new_seen, episode.returned_at, episode.pk
            )
            if problems:
                errors.setdefault("last_seen_at", []).extend(problems)
    if "last_seen_location" in changes and not str(changes["last_seen_location"]).strip():
        errors["last_seen_location"] = ["Enter where the child was last seen"]
    if "missing_from" in changes and changes["missing_from"] not in MissingFrom.values:
        errors["missing_from"] = ["Select where the child went missing from"]
    if errors:
        raise ValidationFailed(errors)
    changed = []
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(episode, name) != value:
            setattr(episode, name, value)
            changed.append(name)
    if not changed:
        return episode
    episode = _save(actor, episode, changed, "update")
    events.emit(
        events.EPISODE_UPDATED,
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        payload={"fields": changed},
    )
    return episode


@dataclass
class Regrading:
    grade: str
    rationale: str
    information_used: str = ""
    information_source: str = ""
    information_obtained_at: datetime | None = None


@transaction.atomic
def regrade(
    actor: Actor, reference: str, expected_version: int | None, regrading: Regrading
) -> Episode:
    episode = policy.get_episode(actor, reference, Action.REGRADE)
    episode = _lock(episode, expected_version)
    errors: dict[str, list[str]] = text_errors(RiskAssessment, vars(regrading))
    not_yet = steps.regrade(actor, episode).reason
    if not_yet:
        errors["risk_grade"] = [not_yet]
    grade, legacy = "", ""
    try:
        grade, legacy = normalise_grade(regrading.grade)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if not regrading.rationale.strip():
        errors["rationale"] = ["Enter the reason for the new grade"]
    _check_time(
        errors,
        "information_obtained_at",
        regrading.information_obtained_at,
        "when the information was obtained",
        required=False,
    )
    if errors:
        raise ValidationFailed(errors)
    previous = episode.risk_grade
    now = clock.now()
    RiskAssessment.objects.create(
        episode=episode,
        grade=grade,
        legacy_grade=legacy,
        rationale=regrading.rationale.strip(),
        information_used=regrading.information_used.strip(),
        information_source=regrading.information_source.strip(),
        information_obtained_at=regrading.information_obtained_at,
        decided_by=actor.user,
        decided_by_organisation=actor.organisation,
        decided_at=now,
    )
    episode.risk_grade = grade
    _add_timeline(
        actor,
        episode,
        TimelineKind.REGRADE,
        now,
        f"Risk re-graded from {RiskGrade(previous).label.lower()} to "
        f"{RiskGrade(grade).label.lower()}.",
    )
    episode = _save(actor, episode, ["risk_grade"], "regrade")
    events.emit(
        events.EPISODE_REGRADED,
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        payload={"from": previous, "to": grade},
    )
    return episode


@transaction.atomic
def change_classification(
    actor: Actor, reference: str, expected_version: int | None, classification: str, reason: str
) -> Episode:
    episode = policy.get_episode(actor, reference, Action.UPDATE_EPISODE)
    episode = _lock(episode, expected_version)
    errors: dict[str, list[str]] = text_errors(ClassificationChange, {"reason": reason})
    not_yet = steps.classify(actor, episode).reason
    if not_yet:
        errors["classification"] = [not_yet]
    elif classification not in Classification.values:
        errors["classification"] = ["Select missing or away from placement without authorisation"]
    elif classification == episode.classification:
        errors["classification"] = [
            f"The episode is already classified as {Classification(classification).label.lower()}"
        ]
    elif (
        classification == Classification.AWAY
        and episode.child.legal_status_on(timezone.localtime(episode.last_seen_at).date())
        != LegalStatusKind.LOOKED_AFTER
    ):
        errors["classification"] = [
            "Away from placement without authorisation applies only to a looked-after child"
        ]
    if not reason.strip():
        errors["reason"] = ["Enter why the classification changed"]
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    ClassificationChange.objects.create(
        episode=episode,
        classification=classification,
        changed_at=now,
        changed_by=actor.user,
        reason=reason.strip(),
    )
    episode.classification = classification
    _add_timeline(
        actor,
        episode,
        TimelineKind.CLASSIFICATION,
        now,
        f"Classification changed to {Classification(classification).label.lower()}: "
        f"{reason.strip()}",
    )
    episode = _save(actor, episode, ["classification"], "change_classification")
    events.emit(
        events.EPISODE_CLASSIFICATION_CHANGED,
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        payload={"classification": classification},
    )
    return episode


@transaction.atomic
def add_timeline_entry(
    actor: Actor,
    reference: str,
    kind: str,
    occurred_at: datetime | None,
    summary: str,
    location: str = "",
) -> TimelineEntry:
    episode = policy.get_episode(actor, reference, Action.UPDATE_EPISODE)
    errors: dict[str, list[str]] = text_errors(
        TimelineEntry, {"summary": summary, "location": location}
    )
    if kind not in {
        TimelineKind.SIGHTING,
        TimelineKind.CALL,
        TimelineKind.ACTION,
        TimelineKind.NOTE,
    }:
        errors["kind"] = ["Select sighting, call, action or note"]
    _check_time(errors, "occurred_at", occurred_at, "when it happened")
    if not summary.strip():
        errors["summary"] = ["Enter what happened"]
    not_yet = steps.add_timeline(actor, episode).reason
    if not_yet:
        errors["kind"] = [not_yet]
    if errors:
        raise ValidationFailed(errors)
    assert occurred_at is not None
    entry = _add_timeline(actor, episode, kind, occurred_at, summary.strip(), location.strip())
    audit.record(
        actor,
        "add_timeline",
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        details={"entry": entry.pk},
    )
    events.emit(
        events.EPISODE_TIMELINE_ADDED,
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        payload={"kind": kind},
    )
    return entry


@transaction.atomic
def record_return(
    actor: Actor, reference: str, expected_version: int | None, details: Return
) -> Episode:
    episode = policy.get_episode(actor, reference, Action.RECORD_RETURN)
    episode = _lock(episode, expected_version)
    errors: dict[str, list[str]] = {}
    not_yet = steps.record_return(actor, episode).reason
    if not_yet:
        errors["returned_at"] = [not_yet]
    _return_errors(errors, details, episode.last_seen_at)
    if errors:
        raise ValidationFailed(errors)
    assert details.returned_at is not None
    for name, value in _return_fields(details).items():
        setattr(episode, name, value)
    fields = [
        "status",
        "returned_at",
        "return_method",
        "found_location",
        "found_with",
        "harm_indicators",
    ]
    org = actor.organisation
    if (
        org is not None
        and org.kind == OrganisationKind.POLICE
        and org.pk != episode.police_force_id
    ):
        episode.found_police_force = org
        fields.append("found_police_force")
    episode = _save(actor, episode, fields, "record_return")
    _returned(actor, episode)
    return episode


@transaction.atomic
def close_episode(actor: Actor, reference: str, expected_version: int | None) -> Episode:
    episode = policy.get_episode(actor, reference, Action.CLOSE)
    episode = _lock(episode, expected_version)
    not_yet = steps.close(actor, episode).reason
    if not_yet:
        raise ValidationFailed({"status": not_yet})
    now = clock.now()
    episode.status = EpisodeStatus.CLOSED
    episode.closed_at = now
    episode.closed_by = actor.user
    _add_timeline(actor, episode, TimelineKind.CLOSE, now, "Episode closed.")
    episode = _save(actor, episode, ["status", "closed_at", "closed_by"], "close")
    events.emit(events.EPISODE_CLOSED, OBJECT, episode.reference, child_id=episode.child_id)
    return episode


@transaction.atomic
def link_episodes(actor: Actor, reference: str, other_reference: str) -> Episode:
    """Record that two children went missing together."""
    episode = policy.get_episode(actor, reference, Action.UPDATE_EPISODE)
    try:
        other = policy.get_episode(actor, other_reference.strip().upper(), Action.UPDATE_EPISODE)
    except NotFound:
        raise ValidationFailed(
            {"other_reference": "No episode with that reference was found among yours"}
        ) from None
    not_yet = steps.link(actor, episode).reason
    if not_yet:
        raise ValidationFailed({"other_reference": not_yet})
    if other.child_id == episode.child_id:
        raise ValidationFailed({"other_reference": "Choose an episode for a different child"})
    if episode.went_missing_with.filter(pk=other.pk).exists():
        raise ValidationFailed({"other_reference": "These episodes are already linked"})
    episode.went_missing_with.add(other)
    for ep in (episode, other):
        audit.record(
            actor,
            "link",
            OBJECT,
            ep.reference,
            child_id=ep.child_id,
            details={"fields": ["went_missing_with"]},
        )
        events.emit(events.EPISODES_LINKED, OBJECT, ep.reference, child_id=ep.child_id)
    return episode


# --- reads -------------------------------------------------------------------------------


def read_episode(actor: Actor, reference: str) -> Episode:
    episode = policy.get_episode(actor, reference, Action.SEE_EPISODES)
    audit.record(actor, "view", OBJECT, episode.reference, child_id=episode.child_id)
    return episode


def list_episodes(
    actor: Actor,
    *,
    status: str | None = None,
    child_id: int | None = None,
    risk_grade: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Episode]:
    policy.require_role(actor, Action.SEE_EPISODES)
    qs = policy.visible_episodes(actor).select_related("child", "police_force")
    if status:
        qs = qs.filter(status=status)
    if child_id:
        qs = qs.filter(child_id=child_id)
    if risk_grade:
        qs = qs.filter(risk_grade=risk_grade)
    if since:
        qs = qs.filter(last_seen_at__gte=since)
    if until:
        qs = qs.filter(last_seen_at__lt=until)
    return qs.order_by("-last_seen_at")


def audit_listed(actor: Actor, episodes: list[Episode]) -> None:
    """Lists that show children's names are reads of those children: audit each."""
    audit.record_many_reads(
        actor, "child", sorted({e.child_id for e in episodes}), action="list_result"
    )
