"""A person's name cannot disguise itself (issue 11, points 2 and 7): every service that
takes one checks it with homeward.core.validation, which stores it in one Unicode form
and refuses hidden characters (right-to-left overrides, zero-width spaces and the like)
and a start a spreadsheet would run as a formula. Real names, in any script, with
apostrophes, hyphens and spaces, go in as typed."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from homeward.children import services as children
from homeward.children.models import Child, ChildAlias
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.validation import BAD_NAME_START, HIDDEN_IN_NAME, name_problem, person_name
from homeward.episodes.models import Episode
from homeward.organisations import services as organisations
from homeward.organisations.models import Organisation, Role, User
from tests import factories
from tests.factories import report

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Ann\u202enaJ" shows as "AnnJan"
DISGUISED = [
    f"Ann{RLO}naJ",
    "Jo\u200bhn",  # zero-width space
    "Jo\u200dhn",  # zero-width joiner
    "\ufeffJohn",  # zero-width no-break space (a byte order mark)
    "Jo\u00adhn",  # soft hyphen
    "Jo\u2066hn\u2069",  # left-to-right isolate
    "John\u2028Smith",  # line separator
    "John\tSmith",
    "John\nSmith",
    "\ue000John",  # private use
]
FORMULA_LED = ['=HYPERLINK("http://x","click")', "+447700900123", "-Smith", "@Smith", " =1+1"]
REAL = ["O'Brien", "Smith-Jones", "'t Hooft", "Zoë", "Nguyễn", "محمد", "José María", "李"]


def hidden(what: str) -> str:
    return HIDDEN_IN_NAME.format(what=what)


def formula(what: str) -> str:
    return BAD_NAME_START.format(what=what)


@pytest.mark.parametrize("name", DISGUISED)
def test_hidden_characters_are_refused(name: str) -> None:
    assert name_problem(name) == hidden("Name")
    assert name_problem(name, "First name") == (
        "First name must not include hidden characters, such as direction marks or "
        "zero-width spaces: type the name in rather than pasting it"
    )


@pytest.mark.parametrize("name", FORMULA_LED)
def test_a_name_cannot_begin_as_a_formula(name: str) -> None:
    assert name_problem(name, "Last name") == "Last name must not start with =, +, - or @"


@pytest.mark.parametrize("name", REAL)
def test_real_names_are_taken_as_typed(name: str) -> None:
    assert name_problem(name) is None
    assert person_name(name) == name


def test_names_are_stored_in_one_form_however_they_were_typed() -> None:
    typed = unicodedata.normalize("NFD", "Zoë Nguyễn")  # as some keyboards send it
    assert typed != "Zoë Nguyễn"
    assert person_name(typed) == "Zoë Nguyễn"
    assert person_name("  Mary\u00a0\u2009 Ann  ") == "Mary Ann"  # odd spaces, one space


def child_details(**names: str | list[str]) -> children.ChildDetails:
    # The fields named differ in type (a name is a str, aliases a list[str]).
    values: dict[str, Any] = {"first_name": "Amara", "last_name": "Okafor", **names}
    return children.ChildDetails(
        date_of_birth=clock.now().date() - timedelta(days=365 * 12), sex="2", **values
    )


class TestChildren:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("first_name", f"Ann{RLO}naJ", hidden("First name")),
            ("last_name", "Oka\u200bfor", hidden("Last name")),
            ("first_name", '=HYPERLINK("http://x","click")', formula("First name")),
            ("last_name", "-Okafor", formula("Last name")),
        ],
    )
    def test_a_disguised_name_is_refused_and_nothing_saved(
        self, social_worker: Actor, field: str, value: str, message: str
    ) -> None:
        with pytest.raises(ValidationFailed) as refused:
            children.create_child(social_worker, child_details(**{field: value}))
        assert refused.value.errors == {field: [message]}
        assert not Child.objects.exists()

    def test_a_disguised_alias_is_refused(self, social_worker: Actor) -> None:
        with pytest.raises(ValidationFailed) as refused:
            children.create_child(social_worker, child_details(aliases=["Mara", f"X{RLO}Y"]))
        assert refused.value.errors == {"aliases": [hidden("Other names")]}
        assert not Child.objects.exists()

    def test_names_are_stored_composed(self, social_worker: Actor) -> None:
        decomposed = unicodedata.normalize("NFD", "Zoë")
        child = children.create_child(
            social_worker,
            child_details(first_name=decomposed, last_name="O'Brien-Nguyễn", aliases=[decomposed]),
        )
        child.refresh_from_db()
        assert (child.first_name, child.last_name) == ("Zoë", "O'Brien-Nguyễn")
        assert ChildAlias.objects.get(child=child).name == "Zoë"

    def test_through_the_api_the_field_is_named(
        self, client: Client, council: Organisation
    ) -> None:
        from tests.apiclient import token_for

        worker = factories.actor(Role.SOCIAL_WORKER, council)
        response = client.post(
            "/api/v1/children",
            {
                "first_name": f"Ann{RLO}naJ",
                "last_name": "Okafor",
                "date_of_birth": (clock.now().date() - timedelta(days=365 * 12)).isoformat(),
                "sex": "2",
                "ethnicity": "BAFR",
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {token_for(worker)}"},
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {"first_name": [hidden("First name")]}


class TestUsers:
    def new_user(self, **names: str) -> organisations.NewUser:
        values = {"first_name": "Robin", "last_name": "Ashby", **names}
        return organisations.NewUser(
            email="robin@example.org", username="robin.ashby", role=Role.SOCIAL_WORKER, **values
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("first_name", '=HYPERLINK("http://x","click")', formula("First name")),
            ("first_name", "@Robin", formula("First name")),
            ("last_name", f"Ash{RLO}yb", hidden("Last name")),
        ],
    )
    def test_a_disguised_name_is_refused(
        self, council: Organisation, field: str, value: str, message: str
    ) -> None:
        admin = factories.actor(Role.ORG_ADMIN, council)
        with pytest.raises(ValidationFailed) as refused:
            organisations.add_user(admin, self.new_user(**{field: value}))
        assert refused.value.errors == {field: [message]}
        assert not User.objects.filter(username="robin.ashby").exists()

    def test_a_real_name_is_stored_composed(self, council: Organisation) -> None:
        admin = factories.actor(Role.ORG_ADMIN, council)
        user, _ = organisations.add_user(
            admin, self.new_user(first_name=unicodedata.normalize("NFD", "Zoë"))
        )
        user.refresh_from_db()
        assert user.first_name == "Zoë"


def test_the_person_who_reported_cannot_be_disguised_either(
    social_worker: Actor, child: Child
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        report(social_worker, child, reporter_name=f"Pat{RLO}nomis")
    assert refused.value.errors == {
        "reporter_name": [hidden("The name of the person who reported")]
    }
    assert not Episode.objects.exists()
    assert report(social_worker, child, reporter_name="Pat O'Neill-Simons").pk


def test_a_names_file_for_a_903_import_is_checked_too(tmp_path: Path) -> None:
    from homeward.interchange import ssda903

    names = tmp_path / "names.csv"
    names.write_text(
        "CHILD,FIRST_NAME,LAST_NAME\n"
        f"C1,Ann{RLO}naJ,Okafor\n"
        "C2,=HYPERLINK(1),Okafor\n"
        f"C3,{unicodedata.normalize('NFD', 'Zoë')},O'Brien\n",
        encoding="utf-8",
    )
    read, problems = ssda903.read_names(names)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "FIRST_NAME", hidden("The name")),
        (3, "FIRST_NAME", formula("The name")),
    ]
    assert read["C3"] == ("Zoë", "O'Brien")
