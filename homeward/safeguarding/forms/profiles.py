"""The missing profile's web forms: the profile itself, its associates and places as
formsets with a few blank rows (no JavaScript), and the photograph's upload."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukDateField, GovukForm, VersionField
from homeward.core.validation import LONG_TEXT
from homeward.safeguarding.services import profiles as service

BLANK_ROWS = 3


def _text(label: str, *, hint: str = "", max_length: int = 100) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=hint)


def _long(label: str, *, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=hint, widget=forms.Textarea, max_length=LONG_TEXT
    )


class ProfileForm(GovukForm):
    review_date = GovukDateField(
        label="When is the profile next to be reviewed?",
        what="the date the profile is next to be reviewed",
        help_text="Usually 3 months from now. For example, 27 3 2027",
    )
    height = _text(
        "Height (optional)", hint="For example, 5 feet 2 inches, or 158 cm", max_length=60
    )
    build = _text("Build (optional)")
    hair = _text("Hair (optional)", hint="Colour, length and style")
    eyes = _text("Eyes (optional)")
    distinguishing_features = _long(
        "Distinguishing features (optional)", hint="Scars, tattoos, piercings, glasses"
    )
    vulnerabilities = _long("Vulnerabilities (optional)")
    medical_needs = _long("Medical needs (optional)")
    medication = _long("Medication (optional)", hint="What, how often, and what happens without it")
    phone = _text("Phone number (optional)", max_length=60)
    social_media = _long("Social media (optional)", hint="Accounts and the names they use")
    transport = _long("Transport (optional)", hint="Bus passes, bikes, routes they know")
    money = _long("Money (optional)", hint="Bank cards, cash, where they get money")
    what_worked_before = _long(
        "What worked before (optional)", hint="What helped find the child, or bring them back"
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = self.fields["version"]
        assert isinstance(version, forms.IntegerField)
        version.min_value = 0


class AssociateForm(GovukForm):
    name = _text("Name", max_length=300)
    relationship = _text("Relationship to the child", max_length=300)
    phone = _text("Phone", max_length=300)
    notes = _text("Notes", max_length=300)


class PlaceForm(GovukForm):
    place = _text("Place or address", max_length=300)
    postcode = _text("Postcode", max_length=300)
    notes = _text("Notes", max_length=300)


LIMIT = service.LIST_LIMIT
AssociateFormSet = forms.formset_factory(AssociateForm, extra=BLANK_ROWS, max_num=LIMIT)
PlaceFormSet = forms.formset_factory(PlaceForm, extra=BLANK_ROWS, max_num=LIMIT)


def rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, str]]:
    """Every row as typed, blank ones included (the service drops them, and numbers its
    messages by the row on the page)."""
    return [
        {name: str(form.cleaned_data.get(name) or "") for name in form.fields}
        for form in formset.forms
        if hasattr(form, "cleaned_data")
    ]


class PhotoForm(GovukForm):
    photo = forms.FileField(
        label="Upload a photograph",
        help_text="A recent photograph of the child's face, as a JPEG, PNG or WebP",
        required=True,
    )
    taken_on = GovukDateField(
        label="When was it taken? (optional)",
        what="the date it was taken",
        required=False,
        help_text="For example, 14 9 2026",
    )
    required_messages = {"photo": "Select a photograph to upload"}
