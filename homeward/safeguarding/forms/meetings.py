"""Web forms of meetings: opening one (its members as rows to fill, prefilled from the last
meeting, so no JavaScript is needed), who came, the minutes, a decision, an action, an
action done, and cancelling."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukDateField, GovukDateTimeField, GovukForm, RadiosField
from homeward.core.validation import max_length
from homeward.organisations.models import Membership, Organisation
from homeward.safeguarding.models import Meeting, MeetingAction, MeetingKind, MeetingMember

LONG = 5000
BLANK_MEMBER_ROWS = 3


class OpenMeetingForm(GovukForm):
    required_messages = {
        "kind": "Select the kind of meeting",
        "scheduled_for": "Enter when the meeting is",
    }
    kind = RadiosField(label="Kind of meeting", choices=MeetingKind.choices)
    scheduled_for = GovukDateTimeField(what="when the meeting is", label="When")
    location = forms.CharField(
        label="Where", required=False, max_length=max_length(Meeting, "location")
    )
    chair = forms.CharField(
        label="Chair",
        required=False,
        max_length=max_length(Meeting, "chair"),
        help_text="Who chairs it, and their role",
    )
    child_id = forms.IntegerField(
        label="Child's Homeward record number (strategy meeting only)",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="The number at the end of the child's record's web address",
    )
    reason = forms.CharField(
        label="Why it is called (optional)",
        required=False,
        max_length=LONG,
        widget=forms.Textarea,
    )


class MemberRow(GovukForm):
    organisation = forms.TypedChoiceField(
        label="Agency", required=False, coerce=int, empty_value=None
    )
    name = forms.CharField(
        label="Name", required=False, max_length=max_length(MeetingMember, "name")
    )
    role = forms.CharField(
        label="Role", required=False, max_length=max_length(MeetingMember, "role")
    )
    user = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, agencies: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Select an agency")] + [
            (o.pk, f"{o.name} ({o.get_kind_display().lower()})") for o in agencies or []
        ]


class _MemberRows(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, agencies: list[Organisation], **kwargs: Any) -> None:
        self.agencies = agencies
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "agencies": self.agencies}


MemberRows = forms.formset_factory(
    MemberRow, formset=_MemberRows, extra=BLANK_MEMBER_ROWS, max_num=40, absolute_max=40
)


class AddMemberForm(MemberRow):
    prefix = "member"
    required_messages = {"organisation": "Select their agency", "name": "Enter their name"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organisation", "name"):
            self.fields[name].required = True


ATTENDANCE_CHOICES = [
    ("attended", "Came"),
    ("apologies", "Sent apologies"),
    ("absent", "Did not come"),
]


class AttendanceForm(GovukForm):
    """One radio group a member, named ``member-<id>``."""

    def __init__(self, *args: Any, members: list[MeetingMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for m in members:
            field = RadiosField(
                label=f"{m.name}, {m.organisation.name}",
                choices=ATTENDANCE_CHOICES,
                required=False,
            )
            self.fields[f"member-{m.pk}"] = field
            if m.attended is not None:
                self.initial[f"member-{m.pk}"] = (
                    "attended" if m.attended else "apologies" if m.apologies else "absent"
                )

    def marks(self) -> dict[int, str]:
        return {
            int(name.split("-", 1)[1]): value for name, value in self.cleaned_data.items() if value
        }


class MinutesForm(GovukForm):
    minutes = forms.CharField(
        label="Minutes", required=False, max_length=LONG, widget=forms.Textarea
    )


def _about(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "The meeting as a whole"), *items]


class DecisionForm(GovukForm):
    prefix = "decision"
    required_messages = {"text": "Enter the decision"}
    text = forms.CharField(label="Decision", max_length=LONG, widget=forms.Textarea)
    agenda_item = forms.ChoiceField(label="About", required=False)

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = _about(items)  # type: ignore[attr-defined]


class ActionForm(GovukForm):
    prefix = "action"
    required_messages = {
        "text": "Enter the action",
        "owner": "Select who owns the action",
        "due_on": "Enter the date it is due",
    }
    text = forms.CharField(label="Action", max_length=LONG, widget=forms.Textarea)
    owner = forms.TypedChoiceField(label="Owner", coerce=int, empty_value=None)
    due_on = GovukDateField(what="the date it is due", label="Due date")
    agenda_item = forms.ChoiceField(label="About", required=False)

    def __init__(
        self,
        *args: Any,
        items: list[tuple[str, str]],
        owners: list[Membership],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = _about(items)  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", "Select who owns it")] + [  # type: ignore[attr-defined]
            (m.pk, f"{m.user.get_full_name() or m.user.get_username()}, {m.organisation.name}")
            for m in owners
        ]


class ActionDoneForm(GovukForm):
    required_messages = {"done_note": "Enter what was done"}
    done_note = forms.CharField(
        label="What was done",
        max_length=max_length(MeetingAction, "done_note"),
        widget=forms.Textarea,
    )


class CancelForm(GovukForm):
    prefix = "cancel"
    required_messages = {"reason": "Enter why the meeting is cancelled"}
    reason = forms.CharField(label="Why it is cancelled", max_length=LONG, widget=forms.Textarea)
