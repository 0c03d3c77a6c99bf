"""The form pieces every page shares: how the govuk tags draw each kind of question, and
the design system's wording for Django's own checks (too long, not a whole number), the
same from a web form as from a service."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

from homeward.core.forms import GovukForm, RadiosField, field_name
from homeward.core.validation import text_errors
from homeward.episodes.models import Episode
from tests.core.htmlforms import read_forms

CHOICES = [("a", "Apples"), ("b", "Bananas"), ("c", "Cherries")]


def drawn(form: forms.Form, name: str) -> str:
    template = Template("{% load govuk %}<form method='post'>{% govuk_field field %}</form>")
    return template.render(Context({"field": form[name]}))


class Several(GovukForm):
    ticks = forms.MultipleChoiceField(
        label="Which fruit? (optional)",
        choices=CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    listed = forms.MultipleChoiceField(label="Which fruit, again?", choices=CHOICES)
    one = RadiosField(label="Which one fruit?", choices=CHOICES)


@pytest.mark.parametrize("name", ["ticks", "listed"])
def test_a_question_taking_several_answers_is_drawn_as_checkboxes(name: str) -> None:
    """Django's CheckboxSelectMultiple is a kind of RadioSelect: drawn as radios, a
    browser could send only one answer."""
    [found] = read_forms(drawn(Several(), name))
    question = found.question(name)
    assert question.kind == "checkboxes"
    assert [o.value for o in question.options] == ["a", "b", "c"]
    assert 'type="radio"' not in drawn(Several(), name)


def test_every_answer_given_stays_ticked_when_the_page_is_shown_again() -> None:
    form = Several({"ticks": ["a", "c"], "listed": ["b"], "one": "zzz"})
    assert not form.is_valid()  # the radio's answer is not offered
    [found] = read_forms(drawn(form, "ticks"))
    assert found.question("ticks").checked == ["a", "c"]
    assert found.question("ticks").hint == "Select all that apply"


def test_a_single_choice_is_still_drawn_as_radios() -> None:
    [found] = read_forms(drawn(Several(), "one"))
    assert found.question("one").kind == "radios"


class Lengths(GovukForm):
    reference = forms.CharField(label="Police reference (optional)", max_length=5)
    where = forms.CharField(label="Where was it done?", max_length=5)
    named = forms.CharField(label="Who did it?", max_length=5)
    own = forms.CharField(label="Code", max_length=5, error_messages={"max_length": "Too long!"})
    count = forms.IntegerField(label="Episodes", min_value=2, max_value=20, required=False)
    floor = forms.IntegerField(label="Days", min_value=7, required=False)

    field_names = {"named": "Who did it"}


def test_too_long_text_is_refused_in_the_design_systems_words() -> None:
    form = Lengths({"reference": "x" * 6, "where": "y" * 5000, "named": "z" * 6, "own": "w" * 6})
    assert not form.is_valid()
    assert form.errors["reference"] == ["Police reference must be 5 characters or fewer"]
    assert form.errors["where"] == [
        "Your answer to \u201cWhere was it done?\u201d must be 5 characters or fewer"
    ]
    assert form.errors["named"] == ["Who did it must be 5 characters or fewer"]
    assert form.errors["own"] == ["Too long!"]  # a form's own message is kept
    assert "Ensure this value" not in str(form.errors)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"count": "1"}, "count", "Episodes must be between 2 and 20"),
        ({"count": "21"}, "count", "Episodes must be between 2 and 20"),
        ({"count": "two"}, "count", "Episodes must be a whole number"),
        ({"floor": "3"}, "floor", "Days must be 7 or more"),
    ],
)
def test_numbers_out_of_range_are_refused_in_the_design_systems_words(
    data: dict[str, str], field: str, message: str
) -> None:
    form = Lengths({"reference": "a", "where": "b", "named": "c", "own": "d", **data})
    assert not form.is_valid()
    assert form.errors[field] == [message]


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("First name", "First name"),
        ("unique pupil number (optional)", "Unique pupil number"),
        ("Where? (optional)", "Your answer to \u201cWhere?\u201d"),
        ("", "Your answer"),
    ],
)
def test_a_field_is_named_from_its_label(label: str, name: str) -> None:
    assert field_name(label) == name


def test_the_services_say_the_same_as_the_forms() -> None:
    """An over-long answer from the API or an import is named by its column, or by the
    name the service gives it."""
    assert text_errors(Episode, {"last_seen_location": "x" * 301}) == {
        "last_seen_location": ["Last seen location must be 300 characters or fewer"]
    }
    assert text_errors(
        Episode, {"last_seen_location": "x" * 301}, {"last_seen_location": "Where last seen"}
    ) == {"last_seen_location": ["Where last seen must be 300 characters or fewer"]}
    assert text_errors(Episode, {"last_seen_location": " " + "x" * 300 + " "}) == {}


def test_a_form_that_words_its_own_fields_gets_the_shared_wording(db: None) -> None:
    """The add-a-user form once said "Must be 150 characters or fewer" without the name."""
    from homeward.organisations.forms import AddUserForm

    form = AddUserForm(
        data={"first_name": "x" * 151, "last_name": "Okafor", "email": "a@example.test",
              "username": "dara", "role": "social_worker"},
        roles=[("social_worker", "Social worker")],
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["first_name"] == ["First name must be 150 characters or fewer"]
