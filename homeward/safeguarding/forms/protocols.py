"""The forms of the home's missing protocol: its steps (a formset with blank rows, so
steps are added without JavaScript), a step of a run recorded, the manager's sign-off and
a regulation 40 notification."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukDateTimeField, GovukForm, RadiosField, VersionField
from homeward.safeguarding.models.protocols import Regulation40Recipient, StepKind
from homeward.safeguarding.services.protocols import (
    MAX_SIGN_OFF_HOURS,
    MAX_STEPS,
    MAX_WITHIN_MINUTES,
    StepInput,
)

TIME_HINT = "Use the 24-hour clock, UK time. For example, 27 3 2026, then 21 30"
BLANK_ROWS = 3


class ProtocolStepForm(GovukForm):
    """One row of the home's steps. A row left without its text is not a step."""

    kind = forms.ChoiceField(
        label="Kind of step",
        choices=[("", "Choose the kind of step"), *StepKind.choices],
        required=False,
    )
    text = forms.CharField(label="What staff do", max_length=300, required=False)
    within_minutes = forms.IntegerField(
        label="Within how many minutes of noticing (optional)",
        min_value=1,
        max_value=MAX_WITHIN_MINUTES,
        required=False,
    )

    def step(self) -> StepInput | None:
        data = self.cleaned_data
        if not (data.get("text") or "").strip():
            return None
        return StepInput(
            kind=data.get("kind") or StepKind.OTHER,
            text=data["text"],
            within_minutes=data.get("within_minutes"),
        )


StepFormSet = forms.formset_factory(
    ProtocolStepForm, extra=BLANK_ROWS, max_num=MAX_STEPS, absolute_max=MAX_STEPS + BLANK_ROWS
)


class ProtocolForm(GovukForm):
    version = VersionField(required=False)
    sign_off_hours = forms.IntegerField(
        label="Hours a manager has to sign off each time the protocol is followed",
        help_text="Counted from when staff noticed the child was not there",
        min_value=1,
        max_value=MAX_SIGN_OFF_HOURS,
    )
    required_messages = {"sign_off_hours": "Enter how many hours a manager has to sign off"}


def initial_rows(steps: list[StepInput]) -> list[dict[str, Any]]:
    return [{"kind": s.kind, "text": s.text, "within_minutes": s.within_minutes} for s in steps]


class StepRecordForm(GovukForm):
    """One step of a run: done, and when; or not done, and why."""

    outcome = RadiosField(
        label="Was it done?",
        choices=[("done", "Done"), ("not_done", "Not done")],
    )
    done_at = GovukDateTimeField(
        label="If it was done, when?", what="when it was done", help_text=TIME_HINT, required=False
    )
    not_done_reason = forms.CharField(
        label="If it was not done, why not?", widget=forms.Textarea, required=False, max_length=2000
    )
    note = forms.CharField(
        label="Note (optional)", widget=forms.Textarea, required=False, max_length=2000
    )

    def __init__(self, *args: Any, position: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"step-{position}")
        super().__init__(*args, **kwargs)
        self.step_name = f"step {position}"
        self.fields["outcome"].error_messages["required"] = (
            f"Select whether {self.step_name} was done"
        )
        self.fields["outcome"].error_messages["invalid_choice"] = (
            f"Select whether {self.step_name} was done"
        )
        done_at = self.fields["done_at"]
        assert isinstance(done_at, GovukDateTimeField)
        done_at.what = f"when {self.step_name} was done"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = data.get("outcome") == "done" and data.get("done_at") is None
        if missing and "done_at" not in self.errors:
            self.add_error("done_at", f"Enter when {self.step_name} was done")
        return data


class SignOffForm(GovukForm):
    note = forms.CharField(
        label="Sign-off note",
        help_text="What went well, what did not, and anything to change in the protocol",
        widget=forms.Textarea,
        max_length=4000,
    )
    required_messages = {"note": "Enter a note for the sign-off"}


class NoticeForm(GovukForm):
    recipient = RadiosField(label="Who was notified?", choices=Regulation40Recipient.choices)
    notified_at = GovukDateTimeField(
        label="When were they notified?", what="when they were notified", help_text=TIME_HINT
    )
    reference = forms.CharField(label="Their reference (optional)", max_length=60, required=False)
    reason = forms.CharField(
        label="Why regulation 40 applies", widget=forms.Textarea, max_length=4000
    )
    required_messages = {
        "recipient": "Select who was notified: Ofsted or the placing council",
        "reason": "Enter why regulation 40 applies",
    }
