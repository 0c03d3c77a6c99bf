"""The web forms of harbouring notices: issue, review, withdraw and record a breach."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukDateField, GovukDateTimeField, GovukForm
from homeward.core.validation import LONG_TEXT


def _long(label: str, hint: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea, max_length=LONG_TEXT, help_text=hint
    )


class IssueForm(GovukForm):
    children = forms.MultipleChoiceField(
        label="Which children is the notice about?",
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Under 16, or under 18 if in care",
    )
    reference = forms.CharField(
        label="Notice reference (optional)",
        required=False,
        max_length=20,
        help_text="Your force's reference. Leave blank and one is given",
    )
    issued_on = GovukDateField(
        label="When was it issued?",
        what="the date the notice was issued",
        help_text="For example, 27 3 2026",
    )
    served_by = forms.CharField(label="Served by (optional)", required=False, max_length=200)
    review_on = GovukDateField(
        label="Review date (optional)",
        what="the review date",
        required=False,
        help_text="Leave blank for six months after issue",
    )
    expires_on = GovukDateField(
        label="Expiry date (optional)",
        what="the expiry date",
        required=False,
        help_text="Leave blank for the day the last child reaches the age limit",
    )
    notes = _long("Notes (optional)")
    required_messages = {"children": "Choose at least one child the notice is about"}

    def __init__(self, *args: Any, children: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = children  # type: ignore[attr-defined]

    def data_for_service(self, person_id: int) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["child_ids"] = [int(pk) for pk in data.pop("children")]
        data["person_id"] = person_id
        return data


class ReviewForm(GovukForm):
    reviewed_on = GovukDateField(
        label="When was it reviewed?",
        what="the date of the review",
        required=False,
        help_text="Leave blank for today",
    )
    next_review_on = GovukDateField(
        label="Next review (optional)",
        what="the next review date",
        required=False,
        help_text="Leave blank for six months on",
    )
    notes = _long("What the review found (optional)")


class WithdrawForm(GovukForm):
    reason = _long("Why is the notice withdrawn?", required=True)
    withdrawn_on = GovukDateField(
        label="When was it withdrawn? (optional)",
        what="the date it was withdrawn",
        required=False,
        help_text="Leave blank for today",
    )
    required_messages = {"reason": "Enter why the notice is withdrawn"}


class BreachForm(GovukForm):
    child = forms.ChoiceField(
        label="Which child was with them?", choices=(), widget=forms.RadioSelect
    )
    occurred_at = GovukDateTimeField(
        label="When did it happen?",
        what="when the breach happened",
        help_text="For example, 27 3 2026 at 21:30",
    )
    place = forms.ChoiceField(label="Place (optional)", required=False, choices=())
    location = forms.CharField(
        label="Where (optional if you choose a place)", required=False, max_length=300
    )
    episode = forms.CharField(label="Episode reference (optional)", required=False, max_length=20)
    details = _long("What happened (optional)")
    required_messages = {"child": "Choose the child named on the notice who was with them"}

    def __init__(
        self,
        *args: Any,
        children: list[tuple[str, str]],
        places: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = children  # type: ignore[attr-defined]
        self.fields["place"].choices = [("", "No place"), *places]  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            "child_id": data.get("child"),
            "occurred_at": data.get("occurred_at"),
            "place_id": data.get("place") or None,
            "location": data.get("location") or "",
            "episode": data.get("episode") or "",
            "details": data.get("details") or "",
        }
