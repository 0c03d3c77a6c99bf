"""Web forms of case audits: a new audit (draws the sample), one case's judgements (a
judgement and a note for each question of the standard), and closing the audit."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.case_audits.models import CaseAudit, Judgement, Stratum, Unit
from homeward.case_audits.sampling import MAX_SIZE
from homeward.case_audits.standard import STANDARD
from homeward.core.forms import (
    GovukDateField,
    GovukForm,
    RadiosField,
    VersionField,
    govuk_messages,
)
from homeward.core.validation import LONG_TEXT, max_length
from homeward.organisations.models import Membership, Organisation


class NewAuditForm(GovukForm):
    required_messages = {
        "council": "Select the council whose cases are audited",
        "title": "Enter a title for the audit",
        "unit": "Select whether to sample episodes or children",
        "size": "Enter how many cases to sample",
    }
    council = forms.TypedChoiceField(label="Council", coerce=int)
    title = forms.CharField(
        label="Title",
        max_length=max_length(CaseAudit, "title"),
        help_text="For example, “Spring audit 2026”",
    )
    unit = RadiosField(
        label="What to sample",
        choices=Unit.choices,
        item_hints={
            Unit.EPISODES: "Each case is one episode that started in the period",
            Unit.CHILDREN: "Each case is one child, with all their episodes in the period",
        },
    )
    period_start = GovukDateField(what="the first day of the period", label="From")
    period_end = GovukDateField(what="the last day of the period", label="To")
    size = forms.IntegerField(
        label="How many cases", min_value=1, max_value=MAX_SIZE, help_text=f"Up to {MAX_SIZE}"
    )
    strata = forms.MultipleChoiceField(
        label="Stratify the sample (optional)",
        help_text="Each group gets its share of the sample, in proportion to its size",
        choices=Stratum.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**62 - 1,
        help_text="Leave blank for a new random sample. The same seed over the same records "
        "draws the same sample again",
    )
    ends_on = GovukDateField(
        what="the day access ends",
        label="Members' access ends after (optional)",
        required=False,
        help_text="The members see the sampled cases until the audit is closed, or until "
        "this day, whichever comes first",
    )
    members = forms.TypedMultipleChoiceField(
        label="Other members (optional)",
        help_text="They see the sampled cases while the audit is open, and judge them",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        councils: list[Organisation] | None = None,
        members: list[Membership] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        council = self.fields["council"]
        assert isinstance(council, forms.TypedChoiceField)
        council.choices = [("", "Select a council")] + [(o.pk, o.name) for o in councils or []]
        chosen = self.fields["members"]
        assert isinstance(chosen, forms.TypedMultipleChoiceField)
        chosen.choices = [
            (
                m.user_id,
                f"{m.user.get_full_name() or m.user.get_username()}, "
                f"{m.get_role_display().lower()}, {m.organisation.name}",
            )
            for m in members or []
        ]


class CaseForm(GovukForm):
    """A judgement and a note for each question: fields ``<key>-judgement``, ``<key>-note``."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in STANDARD:
            field = RadiosField(
                label=f"Judgement on question {q.number}",
                choices=Judgement.choices,
                required=True,
            )
            field.error_messages["required"] = f"Question {q.number}: select a judgement"
            field.error_messages["invalid_choice"] = f"Question {q.number}: select a judgement"
            self.fields[f"{q.key}-judgement"] = field
            self.fields[f"{q.key}-note"] = forms.CharField(
                label=f"Note on question {q.number}",
                required=False,
                max_length=LONG_TEXT,
                widget=forms.Textarea,
                help_text="Needed when partly or not met: say what was missing",
            )
        govuk_messages(self, self.field_names)  # the questions' fields, added above

    def pairs(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(q, self[f"{q.key}-judgement"], self[f"{q.key}-note"]) for q in STANDARD]


class CloseForm(GovukForm):
    version = VersionField()
