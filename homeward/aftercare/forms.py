"""Web forms for the safe and well check and the return home interview.

Questions revealed by a radio (done / not done; declined / not offered) are all in the
page: without JavaScript both groups show, and only the chosen group is read and checked
here. The services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.aftercare.codes import (
    Disclosure,
    InterviewerKind,
    InterviewOutcome,
    OfferMethod,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.models import Sharing, WithdrawalMethod
from homeward.aftercare.services import CHECK_NAMES, INTERVIEW_NAMES
from homeward.aftercare.services.own_accounts import MAX_WORDS_LENGTH, OWN_ACCOUNT_NAMES
from homeward.core.forms import GovukDateTimeField, GovukForm, RadiosField, VersionField
from homeward.organisations.models import Organisation

TIME_HINT = "Use the 24-hour clock, UK time. For example, 27 3 2026, then 21 30"
YES_NO = [("yes", "Yes"), ("no", "No")]
TEXT_LIMIT = 5000


def _text(label: str, *, required: bool = False, max_length: int = 300, hint: str = "") -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=hint)


def _long_text(label: str, *, required: bool = False, hint: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
    )


def _checkboxes(label: str, choices: Any, hint: str = "Select all that apply") -> Any:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=hint,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select from the list"},
    )


class _RevealingForm(GovukForm):
    """A form whose radio ``switch`` reveals one group of questions per answer: the
    questions of the groups not chosen are ignored, errors and all."""

    switch = ""
    groups: dict[str, tuple[str, ...]] = {}
    # Questions a group needs answered, with the message when they are not.
    needed: dict[str, dict[str, str]] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get(self.switch)
        for answer, names in self.groups.items():
            if answer == chosen:
                continue
            for name in names:
                self.errors.pop(name, None)
                cleaned.pop(name, None)
        for name, message in self.needed.get(str(chosen), {}).items():
            value = cleaned.get(name)
            if name not in self.errors and (value is None or not str(value).strip()):
                self.add_error(name, message)
        return cleaned


class CheckForm(_RevealingForm):
    done = RadiosField(label="Was the safe and well check done?", choices=YES_NO)
    conducted_at = GovukDateTimeField(
        label="When was it done?",
        what="when the check was done",
        required=False,
        help_text=TIME_HINT,
    )
    officer_name = _text(
        "Officer who did it (optional)",
        max_length=200,
        hint="Leave this blank if it was you",
    )
    location = _text("Where was it done? (optional)", hint="For example, at home or a station")
    child_account = _long_text(
        "What did the child say, in their own words?",
        hint="Write down what they said, not a summary. If they chose not to speak, say so",
    )
    injuries_or_harm = _long_text("Injuries or signs of harm (optional)")
    disclosures = _checkboxes("Did the child disclose any of these? (optional)", Disclosure.choices)
    disclosure_details = _long_text("Details of what the child disclosed (optional)")
    concerns = _long_text("Any other concerns (optional)")
    shared_with = _long_text(
        "Who has it been shared with? (optional)",
        hint="For example, the child's social worker or the council's duty team",
    )
    not_done_reason = _long_text("Why was the check not done?")

    switch = "done"
    groups = {
        "yes": (
            "conducted_at",
            "officer_name",
            "location",
            "child_account",
            "injuries_or_harm",
            "disclosures",
            "disclosure_details",
            "concerns",
            "shared_with",
        ),
        "no": ("not_done_reason",),
    }
    needed = {
        "yes": {
            "conducted_at": "Enter when the check was done",
            "child_account": "Enter what the child said, in their own words "
            "(or that they chose not to speak)",
        },
        "no": {"not_done_reason": "Enter why the safe and well check was not done"},
    }
    required_messages = {
        "done": "Select yes if the safe and well check was done",
        "disclosures": "Select from the list",
    }
    field_names = CHECK_NAMES

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "done" in cleaned:
            cleaned["done"] = cleaned["done"] == "yes"
        return cleaned


class ProviderForm(GovukForm):
    version = VersionField()
    provider = RadiosField(label="Who will do the return interview?", choices=[])

    required_messages = {"provider": "Select who will do the return interview"}

    def __init__(self, *args: Any, providers: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, RadiosField)
        field.choices = [(str(org.pk), org.name) for org in providers]
        if providers:
            field.item_hints = {str(providers[0].pk): "The council's own staff"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("provider"):
            cleaned["provider_id"] = int(cleaned.pop("provider"))
        return cleaned


class OfferForm(GovukForm):
    version = VersionField()
    offered_at = GovukDateTimeField(
        label="When was the interview offered?",
        what="when the interview was offered",
        help_text=TIME_HINT,
    )
    offered_by = _text("Who offered it?", required=True, max_length=200, hint="Their name and role")
    offer_method = RadiosField(label="How was it offered?", choices=OfferMethod.choices)

    required_messages = {
        "offered_by": "Enter who offered the interview",
        "offer_method": "Select how the interview was offered",
    }
    field_names = INTERVIEW_NAMES


class OutcomeForm(_RevealingForm):
    version = VersionField()
    outcome = RadiosField(
        label="Did the child accept the interview?",
        choices=InterviewOutcome.choices,
    )
    declined_reason = _long_text(
        "Why did the child decline? (optional)",
        hint="In the child's words, if they said",
    )
    not_offered_reason = _long_text("Why was the interview not offered?")

    switch = "outcome"
    groups = {
        InterviewOutcome.DECLINED.value: ("declined_reason",),
        InterviewOutcome.NOT_OFFERED.value: ("not_offered_reason",),
    }
    needed = {
        InterviewOutcome.NOT_OFFERED.value: {
            "not_offered_reason": "Enter why the interview was not offered"
        }
    }
    required_messages = {"outcome": "Select accepted, declined or not offered"}
    field_names = {
        "declined_reason": "Why the child declined",
        "not_offered_reason": "Why the interview was not offered",
    }

    def clean(self) -> dict[str, Any]:
        """The service's ``reason``: the answer to the question the outcome revealed."""
        cleaned = super().clean()
        declined = cleaned.pop("declined_reason", "")
        not_offered = cleaned.pop("not_offered_reason", "")
        outcome = cleaned.get("outcome")
        cleaned["reason"] = str(
            declined
            if outcome == InterviewOutcome.DECLINED
            else not_offered
            if outcome == InterviewOutcome.NOT_OFFERED
            else ""
        )
        return cleaned


class InterviewForm(GovukForm):
    version = VersionField()
    done_at = GovukDateTimeField(
        label="When was the interview done?",
        what="when the interview was done",
        help_text=TIME_HINT,
    )
    interviewer_name = _text(
        "Who did the interview?", required=True, max_length=200, hint="Their name"
    )
    interviewer_kind = RadiosField(
        label="Was the interviewer independent, or a trusted person the child chose?",
        choices=InterviewerKind.choices,
        item_hints={
            InterviewerKind.INDEPENDENT: "Not the child's carer or social worker",
        },
    )
    done_location = _text("Where was it done? (optional)")
    child_account = _long_text(
        "The child's account, in their own words",
        required=True,
        hint="Write down what they said, not a summary",
    )
    push_factors = _checkboxes(
        "What pushed the child to go missing? (optional)", PushFactor.choices
    )
    pull_factors = _checkboxes("What drew the child away? (optional)", PullFactor.choices)
    factors_detail = _long_text("More about why the child went missing (optional)")
    risks_found = _checkboxes("Risks found (optional)", RiskFound.choices)
    what_would_help = _long_text("What would help, in the child's view? (optional)")
    actions = _long_text(
        "Actions and referrals (optional)",
        hint="Who will do what, and any referral made",
    )
    shared_with = _long_text("Who has it been shared with? (optional)")
    quote_consent = RadiosField(
        label="Did the child agree that short anonymised quotes may be used in reports?",
        choices=YES_NO,
        help_text="Quotes never carry the child's name or anything that could identify them",
    )

    required_messages = {
        "interviewer_name": "Enter who did the interview",
        "interviewer_kind": "Select whether the interviewer was independent or a trusted "
        "person the child chose",
        "child_account": "Enter the child's account in their own words",
        "quote_consent": "Select yes if the child agreed to anonymised quotes",
        "push_factors": "Select from the list",
        "pull_factors": "Select from the list",
        "risks_found": "Select from the list",
    }
    field_names = INTERVIEW_NAMES

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "quote_consent" in cleaned:
            cleaned["quote_consent"] = cleaned["quote_consent"] == "yes"
        return cleaned


# --- the child's own account ---------------------------------------------------------------


class OwnAccountLinkForm(GovukForm):
    days = forms.TypedChoiceField(
        label="How long should the link work?",
        help_text="It stops working once the child has sent their answers",
        choices=[(str(d), f"{d} day{'s' if d > 1 else ''}") for d in range(7, 0, -1)],
        coerce=int,
        initial="7",
    )
    required_messages = {"days": "Choose how many days the link works"}


class WithdrawConsentForm(GovukForm):
    version = VersionField()
    method = RadiosField(
        label="How did the child tell you?",
        choices=WithdrawalMethod.choices,
    )
    required_messages = {"method": "Select how the child told you"}


class OwnAccountForm(GovukForm):
    """The child's own form: plain words, no names asked for."""

    what_happened = forms.CharField(
        label="What happened?",
        help_text="In your own words. You can write as much or as little as you like.",
        required=False,
        widget=forms.Textarea,
        max_length=MAX_WORDS_LENGTH,
    )
    what_would_help = forms.CharField(
        label="What would help you?",
        help_text="For example, something at home, at school or where you live, or "
        "someone to talk to.",
        required=False,
        widget=forms.Textarea,
        max_length=MAX_WORDS_LENGTH,
    )
    sharing = RadiosField(
        label="Who can read what you wrote?",
        choices=[
            (Sharing.NAMED, "My worker"),
            (Sharing.ANONYMISED, "Only the council's board, with no names in it"),
            (Sharing.NOT_SHARED, "Nobody"),
        ],
        item_hints={
            Sharing.NAMED: "Your worker will read it, with your name, so they can help you.",
            Sharing.ANONYMISED: "Your worker will not read it. Some of your words may go in "
            "a report for the people who run services for children, with names and places "
            "taken out. Nobody will know you wrote it.",
            Sharing.NOT_SHARED: "Nobody will read it. We will not keep what you wrote. We "
            "will only tell your worker that you wrote something.",
        },
    )
    required_messages = {"sharing": "Choose who can read what you wrote"}
    field_names = OWN_ACCOUNT_NAMES

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors.get("what_happened") and not (
            str(data.get("what_happened", "")).strip()
            or str(data.get("what_would_help", "")).strip()
        ):
            self.add_error("what_happened", "Write what happened, or what would help, or both")
        return data
