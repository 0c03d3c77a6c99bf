"""Web forms for finding and adding children."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.children.codes import Ethnicity, Sex
from homeward.core.forms import GovukDateField, GovukForm, RadiosField
from homeward.organisations.models import Organisation, OrganisationKind


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Name, date of birth or identifier",
        help_text="For example, Jamie Smith, 14/03/2012, a unique pupil number, an NHS "
        "number or your organisation's reference for the child",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    required_messages = {"q": "Enter a name, date of birth or identifier to search for"}


class ChildForm(GovukForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    aliases = forms.CharField(
        label="Other names the child is known by (optional)",
        help_text="Put each name on its own line",
        required=False,
        widget=forms.Textarea(attrs={"spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        what="the child's date of birth",
        help_text="For example, 27 3 2012",
    )
    sex = RadiosField(label="Sex", choices=Sex.choices)
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=Ethnicity.choices,
        initial=Ethnicity.NOBT,
        help_text="The DfE categories",
    )
    upn = forms.CharField(
        label="Unique pupil number (optional)",
        help_text="13 characters, starting with a letter",
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        help_text="10 digits, for example 485 777 3456",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    agency_reference = forms.CharField(
        label="Your organisation's reference for the child (optional)",
        help_text="For example, your case number or police nominal number",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    responsible_council = forms.ChoiceField(
        label="Council responsible for the child",
        help_text="For a looked-after child, the council that placed them; otherwise the "
        "council for the area they live in. Choose Not known if nobody can say",
    )
    area_council = forms.ChoiceField(
        label="If the responsible council is not known: which council's area is the child in now?",
        help_text="That council holds the record until its missing coordinator confirms "
        "who is responsible",
        required=False,
    )

    required_messages = {
        "first_name": "Enter the child's first name",
        "last_name": "Enter the child's last name",
        "sex": "Select the child's sex",
        "ethnicity": "Select an ethnicity from the DfE list",
        "responsible_council": "Select the council responsible for the child, or Not known",
    }

    def __init__(
        self,
        *args: Any,
        own_council: Organisation | None = None,
        area_councils: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        local = area_councils or []
        if own_council is not None:
            # A council adds only children it is responsible for: nothing to choose.
            del self.fields["responsible_council"]
        else:
            councils = Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("name")
            field = self.fields["responsible_council"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Select a council"), (NOT_KNOWN, "Not known")] + [
                (str(c.pk), c.name) for c in councils
            ]
        if own_council is not None or len(local) < 2:
            # Nothing to ask: a council is responsible itself, and a force that covers one
            # council's area gives the record to that council.
            del self.fields["area_council"]
        else:
            field = self.fields["area_council"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Select a council")] + [(str(c.pk), c.name) for c in local]

    def clean(self) -> dict[str, Any]:
        """The service's ChildDetails: other names one to a line, and the council chosen
        (or Not known, with the council whose area the child is in) as ids."""
        cleaned = super().clean() or {}
        if "aliases" in cleaned:
            lines = str(cleaned["aliases"]).splitlines()
            cleaned["aliases"] = [line.strip() for line in lines if line.strip()]
        council = cleaned.pop("responsible_council", "")
        cleaned["responsible_council_not_known"] = council == NOT_KNOWN
        cleaned["responsible_council_id"] = (
            int(council) if council and council != NOT_KNOWN else None
        )
        area = cleaned.pop("area_council", "")
        cleaned["area_council_id"] = int(area) if area else None
        return cleaned


NOT_KNOWN = "not-known"


class ConfirmCouncilForm(GovukForm):
    """The council holding a record provisionally confirms who is responsible."""

    responsible_council = forms.ChoiceField(
        label="Which council is responsible for the child?",
        help_text="If it is another council, the record passes to them and your council no "
        "longer sees it, unless it has another link with the child",
    )
    required_messages = {"responsible_council": "Select the council responsible for the child"}

    def __init__(self, *args: Any, holder: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Organisation.objects.filter(kind=OrganisationKind.COUNCIL).exclude(pk=holder.pk)
        field = self.fields["responsible_council"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(holder.pk), f"{holder.name} (your council)")] + [
            (str(c.pk), c.name) for c in others.order_by("name")
        ]
        field.initial = str(holder.pk)


class EmergencyAccessForm(GovukForm):
    """Asking to open a record outside one's relationships. Posted, never in a URL."""

    identifier = forms.CharField(
        label="The child's NHS number, unique pupil number or a reference",
        help_text="Exactly as recorded: an NHS number, a unique pupil number, an agency's "
        "reference for the child, a Homeward episode reference or a police reference. "
        "Names and dates of birth cannot be used",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why do you need this record now?",
        help_text="Say what has happened and why the child's safety depends on seeing the "
        "record. The child's council will read this",
        max_length=2000,
        widget=forms.Textarea(attrs={"spellcheck": "true"}),
    )
    required_messages = {
        "identifier": "Enter the child's NHS number, UPN, an agency reference or an episode "
        "reference",
        "reason": "Explain why you need this record now",
    }


class ReviewForm(GovukForm):
    """The council's review of one emergency access (one form per access on the list)."""

    note = forms.CharField(
        label="What did the review find?",
        help_text="For example, whether the access was justified and anything you followed up",
        max_length=2000,
        widget=forms.Textarea(attrs={"spellcheck": "true"}),
    )
    required_messages = {"note": "Record what the review found"}
