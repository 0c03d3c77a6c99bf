"""The coordinator's forms: name a theme, merge it, put an item in the right theme, and
link a theme to what answered it. The services check and word every rule; these only
carry the answers."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.forms import GovukDateField, GovukForm, RadiosField
from homeward.themes.models import LinkKind
from homeward.themes.services.edits import MAX_NAME
from homeward.themes.services.links import MAX_SUMMARY


class NameForm(GovukForm):
    prefix = "name"
    required_messages = {"name": "Enter a name for the theme"}
    name = forms.CharField(label="Name of the theme", max_length=MAX_NAME)


class MergeForm(GovukForm):
    prefix = "merge"
    required_messages = {"into": "Choose the theme to merge this one into"}
    into = forms.ChoiceField(label="Merge this theme into")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "Choose a theme"), *choices]  # type: ignore[attr-defined]


class CorrectForm(GovukForm):
    """One per item on a theme's page, each posting to the item's own address: the
    fields' ids carry the item's id ("item-12-theme"), their names do not. A new name,
    when given, wins over the theme chosen (the item is split off into a new theme)."""

    theme = forms.ChoiceField(label="Belongs in", required=False)
    new_name = forms.CharField(
        label="Or a new theme, called (optional)", max_length=MAX_NAME, required=False
    )

    def __init__(
        self, *args: Any, item: int, choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"item-{item}-%s")
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["theme"].choices = [("", "A new theme (name it below)"), *choices]  # type: ignore[attr-defined]


KIND_HINTS = {
    LinkKind.DECISION: "Decided at one of the council's meetings",
    LinkKind.ACTION: "An action set at one of the council's meetings",
}


class LinkForm(GovukForm):
    required_messages = {
        "theme": "Choose the theme this answers",
        "kind": "Select what answered it",
        "summary": "Say in a sentence what was done, for the board",
    }
    field_names = {"summary": "What was done"}
    theme = forms.ChoiceField(label="You said: the theme")
    kind = RadiosField(
        label="We did: what answered it",
        choices=[
            (LinkKind.DECISION.value, "A meeting decision"),
            (LinkKind.ACTION.value, "A meeting action"),
        ],
        item_hints=KIND_HINTS,
    )
    decision = forms.ChoiceField(label="The decision", required=False)
    action = forms.ChoiceField(label="The action", required=False)
    summary = forms.CharField(
        label="What was done, in a sentence for the board",
        help_text="The board report shows this. Do not name a child, a person or a place.",
        max_length=MAX_SUMMARY,
        widget=forms.Textarea,
    )
    answered_on = GovukDateField(
        label="When it was done (optional)", what="the date it was done", required=False
    )

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[str, str]],
        targets: dict[str, list[tuple[str, str]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Choose a theme"), *themes]  # type: ignore[attr-defined]
        self.fields["decision"].choices = [("", "Choose a decision"), *targets["decision"]]  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", "Choose an action"), *targets["action"]]  # type: ignore[attr-defined]
