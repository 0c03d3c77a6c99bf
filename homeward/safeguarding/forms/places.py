"""Forms: record a place (with "did you mean" when places like it exist), how a place is
part of an episode, the hotspots' scope and period, and taking a link away."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukForm
from homeward.core.validation import LONG_TEXT
from homeward.safeguarding.models import Place, PlaceKind, PlaceRole
from homeward.safeguarding.services.place_suggest import Suggestion
from homeward.safeguarding.services.places import PlaceInput, council_choices

NEW = "new"
EPISODE_ROLE_CHOICES = [
    (PlaceRole.LAST_SEEN.value, "Last seen there"),
    (PlaceRole.FOUND.value, "Found there"),
    (PlaceRole.STAYED.value, "Stayed there while missing"),
    (PlaceRole.FREQUENTED.value, "Goes there"),
]


def _coordinate(label: str, hint: str) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, help_text=hint)


class PlaceForm(GovukForm):
    required_messages = {
        "name": "Enter the place's name or a description of it",
        "kind": "Select what kind of place it is",
        "role": "Select how the place is part of this episode",
    }
    field_names = {"name": "The name or description", "address": "The address"}

    name = forms.CharField(
        label="Name or description",
        help_text="For example, “Bandstand, Riverside Park” or “Flat above the chip shop”",
        max_length=300,
    )
    kind = forms.ChoiceField(
        label="What kind of place is it?", choices=PlaceKind.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(
        label="Address (optional)", required=False, max_length=LONG_TEXT, widget=forms.Textarea
    )
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    latitude = _coordinate("Latitude (optional)", "In decimal degrees, for example 52.0123")
    longitude = _coordinate("Longitude (optional)", "In decimal degrees, for example -1.2345")
    council = forms.TypedChoiceField(
        label="Which council's area is it in?",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Leave as it is if it is in your own council's area",
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=LONG_TEXT, widget=forms.Textarea
    )
    role = forms.ChoiceField(
        label="How is this place part of the episode?",
        choices=EPISODE_ROLE_CHOICES,
        widget=forms.RadioSelect,
    )
    choice = forms.ChoiceField(label="Which place is it?", required=False, widget=forms.RadioSelect)

    def __init__(
        self,
        *args: Any,
        for_episode: bool = False,
        found: list[Suggestion] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        council = self.fields["council"]
        assert isinstance(council, forms.ChoiceField)
        council.choices = [
            ("", "My own council's area"),
            *((c.pk, c.name) for c in council_choices()),
        ]
        if not for_episode:
            del self.fields["role"]
        choice = self.fields["choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [*suggestion_choices(found or []), (NEW, "No, it is a new place")]
        if not found:
            choice.widget = forms.HiddenInput()

    def place_input(self) -> PlaceInput:
        data = self.cleaned_data
        return PlaceInput(
            name=data["name"],
            kind=data["kind"],
            address=data["address"],
            postcode=data["postcode"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            council_id=data["council"],
            notes=data["notes"],
        )


def _described(place: Place) -> str:
    parts = [place.name, place.postcode, place.council.name if place.council else ""]
    return ", ".join(p for p in parts if p)


def suggestion_choices(found: list[Suggestion]) -> list[tuple[str, str]]:
    return [(str(s.place.pk), f"{_described(s.place)} ({s.reason.lower()})") for s in found]


class EpisodeRoleForm(GovukForm):
    required_messages = {"role": "Select how the place is part of this episode"}

    role = forms.ChoiceField(
        label="How is this place part of the episode?",
        choices=EPISODE_ROLE_CHOICES,
        widget=forms.RadioSelect,
    )


SCOPE_LABELS = {
    "council": "My council's area",
    "force": "The force's area",
    "host": "Host area (children placed out of area, and placed here)",
}
PERIOD_CHOICES = [("30", "The last 30 days"), ("90", "The last 90 days"), ("365", "The last year")]


class HotspotFilterForm(GovukForm):
    scope = forms.ChoiceField(label="Where", widget=forms.RadioSelect, required=False)
    days = forms.ChoiceField(
        label="When", choices=PERIOD_CHOICES, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = [(s, SCOPE_LABELS[s]) for s in scopes]


class PlaceSearchForm(GovukForm):
    q = forms.CharField(
        label="Search places",
        help_text="A name, part of an address or a postcode",
        required=False,
        max_length=100,
    )
