"""Web forms of the child's plan: the plan itself, its rows of agencies and actions (Django
formsets with blank rows to fill, so no JavaScript is needed), and a review's outcome.

Row fields are all optional here: a row left blank is no row, and the service says which
row is missing what ("Agency 2: enter what they will do"), for the web and the API alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from homeward.core.forms import GovukDateField, GovukForm, VersionField
from homeward.organisations.models import User
from homeward.safeguarding.models import PlanVersion
from homeward.safeguarding.services.plans import MAX_REPORT_AFTER, MAX_ROWS, ROW_TEXT, PlanInput

BLANK_ROWS = 2
LONG = 5000


def _text(label: str, hint: str = "") -> Any:
    return forms.CharField(label=label, required=False, max_length=ROW_TEXT, help_text=hint)


def _area(label: str, hint: str = "", required: bool = False) -> Any:
    return forms.CharField(
        label=label, required=required, max_length=LONG, help_text=hint, widget=forms.Textarea
    )


class AgencyRow(GovukForm):
    agency = _text("Agency", "For example, police, school, youth service")
    will_do = _text("What they will do")
    owner = _text("Named person who will do it")


class ActionRow(GovukForm):
    action = _text("Action")
    owner = _text("Who owns it")
    due = GovukDateField(what="the date it is due", label="Due date", required=False)
    done = forms.MultipleChoiceField(
        label="Done?",
        required=False,
        choices=[("yes", "Done")],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, index: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        due = self.fields["due"]
        assert isinstance(due, GovukDateField)
        due.what = f"the date action {index + 1} is due"


class _Rows(forms.BaseFormSet):  # type: ignore[type-arg]
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if self.form is ActionRow:
            kwargs["index"] = index or 0
        return kwargs

    def rows(self) -> list[dict[str, Any]]:
        """Every row as typed (blank ones too: the service counts rows from the first)."""
        return [f.cleaned_data if f.is_valid() else {} for f in self.forms]


AgencyRows = forms.formset_factory(AgencyRow, formset=_Rows, extra=0, max_num=MAX_ROWS)
ActionRows = forms.formset_factory(ActionRow, formset=_Rows, extra=0, max_num=MAX_ROWS)


class PlanForm(GovukForm):
    """The plan's own questions. None is required here: the service checks them with the
    rows, so that every problem is shown at once."""

    risks = _area(
        "Risks",
        "What puts this child at risk when they go missing, and what makes it more likely",
    )
    if_missing = _area(
        "What to do if this child goes missing",
        "One step a line, in the order to take them. For example, “Ring her aunt first on "
        "07700 900123”",
    )
    report_after_minutes = forms.IntegerField(
        label="Tell the police if they are not back after this many minutes (optional)",
        required=False,
        min_value=1,
        max_value=MAX_REPORT_AFTER,
        help_text="For example, 60. Leave it empty to follow the usual risk assessment",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    review_date = GovukDateField(
        what="the review date",
        label="Review date",
        help_text="For example, 27 3 2027",
        required=False,
    )
    owner = forms.TypedChoiceField(
        label="Named owner", coerce=int, required=False, empty_value=None
    )
    version = VersionField(required=False)
    review = forms.IntegerField(required=False, widget=forms.HiddenInput())

    field_names = {"report_after_minutes": "The time before telling the police"}

    def __init__(self, *args: Any, owners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [("", "Select a person")] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in owners
        ]


class ChangeNoteForm(GovukForm):
    """Asked from the second version on, last on the page (so its own form: the error
    summary lists problems in the page's order)."""

    change_note = _area("What changed and why")


def initial_of(version: PlanVersion | None) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """The form's, the agencies' and the actions' starting values from a version."""
    if version is None:
        return {}, [], []
    plan = {
        "risks": version.risks,
        "if_missing": "\n".join(version.if_missing),
        "report_after_minutes": version.report_after_minutes,
        "review_date": version.review_date,
        "owner": version.owner_id,
        "version": version.number,
    }
    actions = [
        {
            "action": a.get("action", ""),
            "owner": a.get("owner", ""),
            "due": date.fromisoformat(a["due"]) if a.get("due") else None,
            "done": ["yes"] if a.get("done") else [],
        }
        for a in version.actions
    ]
    return plan, list(version.agencies), actions


def plan_input(form: PlanForm, agencies: _Rows, actions: _Rows, note: str) -> PlanInput:
    data = form.cleaned_data
    return PlanInput(
        risks=data.get("risks") or "",
        if_missing=(data.get("if_missing") or "").splitlines(),
        review_date=data.get("review_date"),
        owner_id=data.get("owner"),
        agencies=agencies.rows(),
        actions=[{**row, "done": bool(row.get("done"))} if row else {} for row in actions.rows()],
        report_after_minutes=data.get("report_after_minutes"),
        change_note=note,
    )


class ReviewOutcomeForm(GovukForm):
    outcome = _area(
        "What the review found, and why the plan does not need to change", required=True
    )
    required_messages = {"outcome": "Enter what the review found and why nothing changed"}
