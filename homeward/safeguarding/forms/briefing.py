"""Forms: agree a public appeal, and withdraw it."""

from __future__ import annotations

from django import forms

from homeward.core.forms import GovukForm
from homeward.safeguarding.models.profiles import APPEAL_FIELDS
from homeward.safeguarding.services.appeals import REASON_MAX, WORDING_MAX


class AgreeAppealForm(GovukForm):
    required_messages = {"publish": "Select what may be published"}

    publish = forms.MultipleChoiceField(
        label="What may be published?",
        help_text="Select all that apply. Only these are shown on the public appeal.",
        choices=list(APPEAL_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    wording = forms.CharField(
        label="Wording of the appeal (optional)",
        help_text="For example: “Anyone who sees her should call 999.” Do not name anyone "
        "else, or say anything about her health or where she may go.",
        required=False,
        max_length=WORDING_MAX,
        widget=forms.Textarea,
    )


class WithdrawAppealForm(GovukForm):
    required_messages = {"reason": "Enter why the appeal is withdrawn"}

    reason = forms.CharField(
        label="Why is the appeal withdrawn?",
        max_length=REASON_MAX,
        widget=forms.Textarea,
    )
