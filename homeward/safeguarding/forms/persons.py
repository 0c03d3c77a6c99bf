"""The web forms of persons of concern: the person, and a link to a child, an episode or a
place with its source and grading (3x5x2: how reliable the source, how they know)."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukDateField, GovukForm
from homeward.core.validation import LONG_TEXT
from homeward.safeguarding.models import InformationAssessment, SourceEvaluation

YES = "yes"


class PersonForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, help_text="Their name, or what they are known as"
    )
    other_names = forms.CharField(
        label="Other names (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text="One on each line: nicknames, street names, other spellings",
    )
    date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        what="their date of birth",
        required=False,
        help_text="For example, 27 3 1998",
    )
    approximate_age = forms.IntegerField(
        label="Approximate age (optional)",
        required=False,
        min_value=10,
        max_value=120,
        help_text="If the date of birth is not known",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        help_text="What they look like, what they drive, where they are seen",
    )
    police_notes = forms.CharField(
        label="Police notes (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=LONG_TEXT,
        help_text="Seen only by police forces",
    )
    required_messages = {"name": "Enter the person's name, or what they are known as"}

    def __init__(self, *args: Any, police: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not police:
            del self.fields["police_notes"]

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["other_names"] = (data.get("other_names") or "").splitlines()
        return data


class LinkForm(GovukForm):
    person = forms.ChoiceField(label="Person of concern", choices=())
    child = forms.ChoiceField(label="Child (optional)", required=False, choices=())
    episode = forms.CharField(
        label="Episode reference (optional)",
        required=False,
        max_length=20,
        help_text="For example, HW-7Q2K9M4P",
    )
    place = forms.ChoiceField(label="Place (optional)", required=False, choices=())
    nature = forms.CharField(
        label="What links them",
        max_length=300,
        help_text="For example, seen with her at the station; gives her lifts",
    )
    source = forms.CharField(
        label="Where the information came from", max_length=300, help_text="Who said so, or how"
    )
    source_evaluation = forms.ChoiceField(
        label="How reliable is the source?",
        choices=SourceEvaluation.choices,
        widget=forms.RadioSelect,
    )
    information_assessment = forms.ChoiceField(
        label="How does the source know it?",
        choices=InformationAssessment.choices,
        widget=forms.RadioSelect,
    )
    police_only = forms.MultipleChoiceField(
        label="Police only (optional)",
        required=False,
        choices=[(YES, "Only police forces may see this link")],
        widget=forms.CheckboxSelectMultiple,
    )
    required_messages = {
        "person": "Choose the person of concern",
        "nature": "Enter what links them, for example 'seen with her at the station'",
        "source": "Enter where the information came from",
        "source_evaluation": "Select how reliable the source is",
        "information_assessment": "Select how the source knows it",
    }

    def __init__(
        self,
        *args: Any,
        persons: list[tuple[str, str]],
        children: list[tuple[str, str]],
        places: list[tuple[str, str]],
        police: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = persons  # type: ignore[attr-defined]
        self.fields["child"].choices = [("", "No child"), *children]  # type: ignore[attr-defined]
        self.fields["place"].choices = [("", "No place"), *places]  # type: ignore[attr-defined]
        if not police:
            del self.fields["police_only"]

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "child_id": data.get("child") or None,
            "episode": data.get("episode") or "",
            "place_id": data.get("place") or None,
            "nature": data["nature"],
            "source": data["source"],
            "source_evaluation": data["source_evaluation"],
            "information_assessment": data["information_assessment"],
            "police_only": YES in (data.get("police_only") or []),
        }
