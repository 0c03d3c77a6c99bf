"""Find before create finds the child however their details were typed: each kind of
difference a real search meets, one test each."""

from __future__ import annotations

from datetime import date

import pytest

from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.linkage.search import find
from tests.linkage.helpers import held, query

pytestmark = pytest.mark.django_db

DOB = date(2011, 4, 7)


def found(actor: Actor, **kw: object) -> list[int]:
    return [m.child_id for m in find(actor, query(**kw))]  # type: ignore[arg-type]


def test_a_misspelt_first_and_last_name_finds_the_child(police_officer: Actor) -> None:
    child = held("Tyrone", "Holby", DOB)
    matches = find(police_officer, query("Tyrin", "Holbey", DOB))
    assert [m.child_id for m in matches] == [child.pk]
    assert matches[0].strength in {"Very likely", "Likely"}
    assert "Date of birth matches" in matches[0].grounds


def test_a_short_form_of_the_first_name_finds_the_full_name(police_officer: Actor) -> None:
    child = held("Thomas", "Whitcombe", DOB)
    matches = find(police_officer, query("Tom", "Whitcombe", DOB))
    assert [m.child_id for m in matches] == [child.pk]
    assert "First name is a known short form" in matches[0].grounds
    assert matches[0].strength == "Very likely"


def test_a_surname_that_sounds_alike_finds_the_child(police_officer: Actor) -> None:
    child = held("Mohammed", "Quraishi", DOB)
    matches = find(police_officer, query("Muhammad", "Koreishi", DOB))
    assert [m.child_id for m in matches] == [child.pk]
    assert "Surname sounds alike" in matches[0].grounds


def test_one_part_of_a_hyphenated_surname_finds_the_child(police_officer: Actor) -> None:
    child = held("Keisha", "Okafor-Brennan", DOB)
    matches = find(police_officer, query("Keisha", "Brennan", DOB))
    assert [m.child_id for m in matches] == [child.pk]
    assert "Surname matches part of a hyphenated name" in matches[0].grounds


def test_a_changed_surname_recorded_as_an_alias_finds_the_child(police_officer: Actor) -> None:
    child = held("Leanne", "Marsh", DOB, aliases=("Leanne Pettigrew",))
    matches = find(police_officer, query("Leanne", "Pettigrew", DOB))
    assert [m.child_id for m in matches] == [child.pk]
    assert "Surname matches another name the child uses" in matches[0].grounds


def test_day_and_month_swapped_finds_the_child(police_officer: Actor) -> None:
    child = held("Aaliyah", "Fenwick", date(2012, 3, 9))
    matches = find(police_officer, query("Aaliyah", "Fenwick", date(2012, 9, 3)))
    assert [m.child_id for m in matches] == [child.pk]
    assert "Date of birth matches, day and month swapped" in matches[0].grounds


def test_a_missing_nhs_number_is_neither_for_nor_against(police_officer: Actor) -> None:
    child = held("Jayden", "Ashworth", DOB, nhs_number="9434765919")
    matches = find(police_officer, query("Jayden", "Ashworth", DOB))
    assert [m.child_id for m in matches] == [child.pk]
    assert matches[0].strength == "Very likely"
    assert not any("NHS" in g for g in matches[0].grounds)


def test_an_nhs_number_alone_finds_the_child(police_officer: Actor) -> None:
    child = held("Jayden", "Ashworth", DOB, nhs_number="9434765919")
    matches = find(police_officer, query(nhs_number="943 476 5919"))
    assert [m.child_id for m in matches] == [child.pk]
    assert matches[0].grounds == ["NHS number matches"]
    assert matches[0].strength == "Very likely"


def test_a_different_nhs_number_weighs_against(police_officer: Actor) -> None:
    held("Jayden", "Ashworth", DOB, nhs_number="9434765919")
    assert (
        found(police_officer, first_name="Jaden", last_name="Ashworth", nhs_number="4010232137")
        == []
    )


def test_a_postcode_helps_when_the_date_of_birth_is_not_known(police_officer: Actor) -> None:
    child = held("Priya", "Lakhani", DOB, postcode="LS6")
    matches = find(police_officer, query("Priya", "Lakhani", postcode="ls6 2ab"))
    assert [m.child_id for m in matches] == [child.pk]
    assert "Placed in the same postcode district" in matches[0].grounds


def test_an_agency_reference_finds_the_child(police_officer: Actor) -> None:
    child = held("Ruby", "Castell", DOB, reference="CS-44120")
    matches = find(police_officer, query(agency_reference="cs-44120"))
    assert [m.child_id for m in matches] == [child.pk]


def test_a_different_child_of_the_same_birthday_is_not_a_match(police_officer: Actor) -> None:
    held("Oliver", "Pemberton", DOB)
    assert found(police_officer, first_name="Grace", last_name="Adeyemi", dob=DOB) == []


def test_the_stronger_match_comes_first(police_officer: Actor) -> None:
    weaker = held("Thomas", "Whitcombe", date(2011, 4, 8))
    stronger = held("Thomas", "Whitcombe", DOB)
    assert found(police_officer, first_name="Thomas", last_name="Whitcombe", dob=DOB)[:2] == [
        stronger.pk,
        weaker.pk,
    ]


def test_a_search_with_nothing_to_look_for_is_refused(police_officer: Actor) -> None:
    with pytest.raises(ValidationFailed):
        find(police_officer, query())
