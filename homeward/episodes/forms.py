"""Web forms for reporting a child missing and for every change to an episode. Each form
that edits an episode carries the version the user saw, so a stale edit is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from homeward.core.forms import GovukDateTimeField, GovukForm, RadiosField, VersionField
from homeward.episodes.models import (
    Classification,
    MissingFrom,
    ReporterType,
    ReturnMethod,
    RiskGrade,
    TimelineKind,
)

CLASSIFICATION_HINTS = {
    Classification.MISSING: "Nobody knows where the child is",
    Classification.AWAY: "A looked-after child whose whereabouts are known, but who is not "
    "where they should be",
}
RISK_HINTS = {
    RiskGrade.HIGH: "Risk of serious harm is very likely: immediate deployment of resources",
    RiskGrade.MEDIUM: "Risk of harm is likely: active and measured response",
    RiskGrade.LOW: "Risk of harm is possible but unlikely",
    RiskGrade.VERY_LOW: "No apparent risk of harm, but the child's whereabouts are not known",
}
TIME_HINT = "Use the 24-hour clock, UK time. For example, 27 3 2026, then 21 30"
# Highest risk first: the order people weigh it in.
RISK_CHOICES = [
    (RiskGrade.HIGH.value, RiskGrade.HIGH.label),
    (RiskGrade.MEDIUM.value, RiskGrade.MEDIUM.label),
    (RiskGrade.LOW.value, RiskGrade.LOW.label),
    (RiskGrade.VERY_LOW.value, RiskGrade.VERY_LOW.label),
]
TIMELINE_KINDS = [
    (k.value, k.label)
    for k in (TimelineKind.SIGHTING, TimelineKind.CALL, TimelineKind.ACTION, TimelineKind.NOTE)
]


def _text(
    label: str, *, required: bool = True, max_length: int = 300, hint: str = ""
) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=hint)


def _long_text(label: str, *, required: bool = False, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=hint, widget=forms.Textarea, max_length=5000
    )


def _radios(label: str, choices: Any, *, hints: Mapping[Any, str] | None = None) -> RadiosField:
    return RadiosField(label=label, choices=choices, item_hints=hints)


class ReportForm(GovukForm):
    classification = _radios(
        "Is the child missing, or away from placement without authorisation?",
        Classification.choices,
        hints=CLASSIFICATION_HINTS,
    )
    last_seen_at = GovukDateTimeField(
        label="When was the child last seen?",
        what="when the child was last seen",
        help_text=TIME_HINT,
    )
    last_seen_location = _text(
        "Where was the child last seen?", hint="A place, an address or a description"
    )
    missing_from = _radios("Where did the child go missing from?", MissingFrom.choices)
    reporter_type = _radios("Who reported the child missing?", ReporterType.choices)
    reporter_name = _text(
        "Name of the person who reported it (optional)", required=False, max_length=200
    )
    reported_at = GovukDateTimeField(
        label="When was it reported? (optional)",
        what="when it was reported",
        required=False,
        help_text="Leave this blank if it is being reported now. " + TIME_HINT,
    )
    risk_grade = _radios("Risk grade", RISK_CHOICES, hints=RISK_HINTS)
    risk_rationale = _long_text(
        "Why this risk grade?",
        required=True,
        hint="The information the grade rests on: vulnerabilities, history, circumstances",
    )
    circumstances = _long_text(
        "Circumstances (optional)", hint="What happened before the child went missing"
    )
    clothing = _long_text("What was the child wearing? (optional)")
    last_seen_with = _text(
        "Who they were with when last seen (optional)",
        required=False,
        hint="Names, or a description if they are not known",
    )
    police_reference = _text("Police reference (optional)", required=False, max_length=40)
    # A late report: the episode may already be over.
    still_missing = RadiosField(
        label="Is the child still missing?",
        choices=[("yes", "Yes"), ("no", "No, they have come back or been found")],
        required=False,
        help_text="Choose No to report an episode that is already over",
    )
    returned_at = GovukDateTimeField(
        label="When did the child come back or when were they found?",
        what="when the child returned or was found",
        required=False,
        help_text=TIME_HINT,
    )
    return_method = _radios("How did the child come back?", ReturnMethod.choices)
    found_location = _text("Where were they found? (optional)", required=False)
    found_with = _text("Who were they with? (optional)", required=False)

    # The order the page draws them in, so the error summary reads the same way.
    field_order = [
        "classification",
        "last_seen_at",
        "last_seen_location",
        "missing_from",
        "circumstances",
        "clothing",
        "last_seen_with",
        "reporter_type",
        "reporter_name",
        "reported_at",
        "police_reference",
        "still_missing",
        "returned_at",
        "return_method",
        "found_location",
        "found_with",
        "risk_grade",
        "risk_rationale",
    ]

    required_messages = {
        "classification": "Select missing or away from placement without authorisation",
        "last_seen_location": "Enter where the child was last seen",
        "missing_from": "Select where the child went missing from",
        "reporter_type": "Select who reported the child missing",
        "risk_grade": "Select a risk grade: very low, low, medium or high",
        "risk_rationale": "Enter the reason for the risk grade",
        "return_method": "Select how the child returned or was found",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked only of a report of an episode that is already over.
        self.fields["return_method"].required = False

    def clean(self) -> dict[str, Any]:
        """The service's Report: a late report (not still missing) carries its return as
        ``returned``; a report of a child missing now leaves the return's answers out."""
        cleaned = super().clean() or {}
        over = cleaned.pop("still_missing", None) == "no"
        answers = {name: cleaned.pop(name) for name in RETURN_ANSWERS if name in cleaned}
        cleaned["returned"] = answers if over else None
        return cleaned


RETURN_ANSWERS = ("returned_at", "return_method", "found_location", "found_with")


class DetailsForm(GovukForm):
    version = VersionField()
    last_seen_at = GovukDateTimeField(
        label="When was the child last seen?",
        what="when the child was last seen",
        help_text=TIME_HINT,
    )
    last_seen_location = _text("Where was the child last seen?")
    missing_from = _radios("Where did the child go missing from?", MissingFrom.choices)
    circumstances = _long_text("Circumstances (optional)")
    clothing = _long_text("What was the child wearing? (optional)")
    police_reference = _text("Police reference (optional)", required=False, max_length=40)
    reporter_name = _text(
        "Name of the person who reported it (optional)", required=False, max_length=200
    )

    required_messages = {
        "last_seen_location": "Enter where the child was last seen",
        "missing_from": "Select where the child went missing from",
    }


class RegradeForm(GovukForm):
    version = VersionField()
    grade = _radios("New risk grade", RISK_CHOICES, hints=RISK_HINTS)
    rationale = _long_text("Why this grade?", required=True)
    information_used = _long_text(
        "What information is the grade based on? (optional)",
        hint="For example, a sighting, a call from a friend, the child's history",
    )
    information_source = _text(
        "Who supplied the information? (optional)", required=False, max_length=200
    )
    information_obtained_at = GovukDateTimeField(
        label="When was the information obtained? (optional)",
        what="when the information was obtained",
        required=False,
        help_text=TIME_HINT,
    )

    required_messages = {
        "grade": "Select a risk grade: very low, low, medium or high",
        "rationale": "Enter the reason for the new grade",
    }


class ClassificationForm(GovukForm):
    version = VersionField()
    classification = _radios(
        "What should the episode be classified as?",
        Classification.choices,
        hints=CLASSIFICATION_HINTS,
    )
    reason = _long_text("Why has the classification changed?", required=True)

    required_messages = {
        "classification": "Select missing or away from placement without authorisation",
        "reason": "Enter why the classification changed",
    }


class TimelineForm(GovukForm):
    version = VersionField()
    kind = _radios("What kind of entry is this?", TIMELINE_KINDS)
    occurred_at = GovukDateTimeField(
        label="When did it happen?", what="when it happened", help_text=TIME_HINT
    )
    summary = _long_text("What happened?", required=True)
    location = _text("Where? (optional)", required=False)

    required_messages = {
        "kind": "Select sighting, call, action or note",
        "summary": "Enter what happened",
    }


class ReturnForm(GovukForm):
    version = VersionField()
    returned_at = GovukDateTimeField(
        label="When did the child return or when were they found?",
        what="when the child returned or was found",
        help_text=TIME_HINT,
    )
    return_method = _radios("How did the child return?", ReturnMethod.choices)
    found_location = _text("Where were they found? (optional)", required=False)
    found_with = _text("Who were they with? (optional)", required=False)
    harm_indicators = _long_text(
        "Any signs of harm or exploitation? (optional)",
        hint="Injuries, intoxication, new phone or money, being picked up by adults",
    )

    required_messages = {"return_method": "Select how the child returned or was found"}


class CloseForm(GovukForm):
    version = VersionField()


class LinkForm(GovukForm):
    version = VersionField()
    other_reference = _text(
        "Reference of the other child's episode",
        max_length=20,
        hint="For example, HW-7K3M9QXP",
    )

    required_messages = {"other_reference": "Enter the reference of the other episode"}
