"""Changes to an open episode: its details, risk grade, classification, timeline and links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.children.codes import LegalStatusKind
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.validation import text_errors
from homeward.episodes import steps, visibility
from homeward.episodes.events import (
    ClassificationChanged,
    EpisodeRegraded,
    EpisodesLinked,
    EpisodeUpdated,
    TimelineAdded,
)
from homeward.episodes.models import (
    Classification,
    ClassificationChange,
    Episode,
    MissingFrom,
    RiskAssessment,
    RiskGrade,
    TimelineEntry,
    TimelineKind,
)
from homeward.episodes.services.records import EDITABLE_FIELDS, _about, _add_timeline, _lock, _save
from homeward.episodes.services.rules import (
    _age_errors,
    _check_time,
    _overlap_errors,
    _when,
    normalise_grade,
)
from homeward.events.change import record_change
from homeward.organisations.policy import Action


@transaction.atomic
def update_episode(
    actor: Actor, reference: str, expected_version: int | None, changes: dict[str, Any]
) -> Episode:
    episode = _lock(actor, reference, Action.UPDATE_EPISODE, expected_version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(unknown, "This field cannot be changed here"))
    errors: dict[str, list[str]] = text_errors(Episode, changes)
    not_yet = steps.update(actor, episode).reason
    if not_yet:
        errors["status"] = [not_yet]
    if "last_seen_at" in changes:
        _last_seen_errors(errors, episode, changes["last_seen_at"])
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
    episode = _save(
        actor, episode, changed, "update", lambda e: EpisodeUpdated(**_about(e), fields=changed)
    )
    return episode


def _last_seen_errors(errors: dict[str, list[str]], episode: Episode, value: Any) -> None:
    """A new last-seen time: a real past time, before the return, in the child's
    childhood, and overlapping none of the child's other episodes."""
    _check_time(errors, "last_seen_at", value, "when the child was last seen")
    new_seen = None if "last_seen_at" in errors else value
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
    episode = _lock(actor, reference, Action.REGRADE, expected_version)
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
    episode = _save(
        actor,
        episode,
        ["risk_grade"],
        "regrade",
        lambda e: EpisodeRegraded(**_about(e), from_=previous, to=grade),
    )
    return episode


@transaction.atomic
def change_classification(
    actor: Actor, reference: str, expected_version: int | None, classification: str, reason: str
) -> Episode:
    episode = _lock(actor, reference, Action.UPDATE_EPISODE, expected_version)
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
    episode = _save(
        actor,
        episode,
        ["classification"],
        "change_classification",
        lambda e: ClassificationChanged(**_about(e), classification=classification),
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
    episode = visibility.get_episode(actor, reference, Action.UPDATE_EPISODE)
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
    record_change(
        actor,
        TimelineAdded(**_about(episode), kind=kind),
        action="add_timeline",
        details={"entry": entry.pk},
    )
    return entry


@transaction.atomic
def link_episodes(actor: Actor, reference: str, other_reference: str) -> Episode:
    """Record that two children went missing together."""
    episode = visibility.get_episode(actor, reference, Action.UPDATE_EPISODE)
    try:
        other = visibility.get_episode(
            actor, other_reference.strip().upper(), Action.UPDATE_EPISODE
        )
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
        record_change(
            actor,
            EpisodesLinked(**_about(ep)),
            action="link",
            details={"fields": ["went_missing_with"]},
        )
    return episode
