"""The forms of the review queue and of unlinking a record."""

from __future__ import annotations

from django import forms

from homeward.core.forms import GovukForm, RadiosField


class DecisionForm(GovukForm):
    decision = RadiosField(
        label="Are these records the same child?",
        choices=[("same", "Yes, the same child"), ("not_same", "No, different children")],
        item_hints={
            "same": "The records are linked: each keeps its own details and history, and "
            "the child is counted once",
            "not_same": "The records stay apart, and no later linkage run links them",
        },
    )
    reason = forms.CharField(
        label="Why?",
        help_text="What you checked: for example, the school, the address, or a call to the "
        "other council",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    required_messages = {
        "decision": "Select whether these records are the same child",
        "reason": "Say why you decided this",
    }


class UnlinkForm(GovukForm):
    reason = forms.CharField(
        label="Why is this record not the same child?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
    )
    required_messages = {"reason": "Say why this record is not the same child"}
