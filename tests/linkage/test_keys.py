"""The blocking keys: alike for details typed alike, and kept current as records change."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from homeward.children import services
from homeward.children.codes import Sex
from homeward.children.models import Child
from homeward.children.services import ChildDetails
from homeward.core.actor import Actor
from homeward.linkage import keys
from homeward.linkage.models import SearchKey
from homeward.organisations.models import Organisation
from tests.linkage.helpers import held

DOB = date(2011, 4, 7)


def stored(child: Child) -> set[str]:
    return set(SearchKey.objects.filter(child=child).values_list("key", flat=True))


def test_names_are_normalised_alike() -> None:
    assert keys.words("O'Brien-Núñez") == ["obrien", "nunez"]
    assert keys.joined("Smith Jones") == "smithjones"


def test_a_short_form_and_its_full_name_share_a_name_key() -> None:
    short = keys.record_keys(keys.facts("Tom", "Whitcombe", (), DOB))
    full = keys.record_keys(keys.facts("Thomas", "Whitcombe", (), DOB))
    assert {k for k in short if k.startswith("nm:")} & {k for k in full if k.startswith("nm:")}


def test_misspellings_that_sound_alike_share_a_name_key() -> None:
    asked = keys.query_keys(keys.facts("Tyrin", "Holbey", (), None))
    record = keys.record_keys(keys.facts("Tyrone", "Holby", (), DOB))
    assert "nm:TRN|HLB" in asked & record


def test_each_part_of_a_hyphenated_surname_and_each_alias_is_a_key() -> None:
    found = keys.record_keys(keys.facts("Keisha", "Okafor-Brennan", ["Keisha Marsh"], DOB))
    codes = {k.split("|")[1] for k in found if k.startswith("nm:")}
    assert {keys.code("okafor"), keys.code("brennan"), keys.code("marsh")} <= codes


def test_a_search_also_looks_up_its_date_with_day_and_month_swapped() -> None:
    asked = keys.query_keys(keys.facts("", "", (), date(2012, 3, 9)))
    assert {"dob:2012-03-09", "dob:2012-09-03"} <= asked
    record = keys.record_keys(keys.facts("", "", (), date(2012, 3, 9)))
    assert "dob:2012-09-03" not in record


def test_no_swap_when_it_is_not_another_date() -> None:
    assert keys.swapped(date(2012, 3, 13)) is None
    assert keys.swapped(date(2012, 4, 4)) is None
    assert keys.swapped(date(2012, 2, 10)) == date(2012, 10, 2)


def test_identifiers_are_keys_however_spaced() -> None:
    found = keys.query_keys(
        keys.facts("", "", (), None, nhs_number="943 476 5919", upn="a123", references=["x 1"])
    )
    assert found == {"nhs:9434765919", "upn:A123", "ref:X1"}


@pytest.mark.parametrize(
    ("typed", "district"),
    [("ls6 2ab", "LS6"), ("LS62AB", "LS6"), ("M1", "M1"), ("SW1A 1AA", "SW1A"), ("nonsense", "")],
)
def test_a_postcode_is_reduced_to_its_district(typed: str, district: str) -> None:
    assert keys.outward(typed) == district


@pytest.mark.django_db
def test_rewrite_replaces_a_records_keys(child: Child) -> None:
    keys.rewrite([child.pk])
    child.last_name = "Pettigrew"
    child.save()
    keys.rewrite([child.pk])
    assert any("|PTKR" in k for k in stored(child))
    assert not any("|KRNK" in k for k in stored(child))  # Quarrington's key is gone


@pytest.mark.django_db
def test_rewrite_all_writes_every_records_keys(council: Organisation) -> None:
    a = held("Ann", "Lee", DOB, responsible_council=council)
    b = held("Bo", "Ray", DOB, responsible_council=council)
    SearchKey.objects.all().delete()
    assert keys.rewrite_all(batch=1) == 2
    assert stored(a)
    assert stored(b)


# --- kept current by the handlers ----------------------------------------------------------


def details(**kw: object) -> ChildDetails:
    base: dict[str, object] = {
        "first_name": "Tyrone",
        "last_name": "Holby",
        "date_of_birth": DOB,
        "sex": Sex.MALE,
        "aliases": ["Ty Marsh"],
        "agency_reference": "PN-1001",
    }
    return ChildDetails(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.django_db
def test_adding_a_child_writes_their_keys(police_officer: Actor, council: Organisation) -> None:
    child = services.create_child(police_officer, details(responsible_council_id=council.pk))
    found = stored(child)
    assert {f"dob:{DOB.isoformat()}", "nm:TRN|HLB", "ref:PN-1001"} <= found
    assert f"nm:T|{keys.code('marsh')}" in found


@pytest.mark.django_db
def test_a_new_placement_adds_its_postcode_district(
    social_worker: Actor, council: Organisation
) -> None:
    child = services.create_child(social_worker, details())
    services.start_placement(
        social_worker, child, placement_type="U4", host_council=council,
        start_date=DOB.replace(year=2024), postcode_district="LS6",
    )  # fmt: skip
    assert "pc:LS6|HLB" in stored(child)


@pytest.mark.django_db
def test_a_rolled_back_addition_leaves_no_keys(
    police_officer: Actor, council: Organisation
) -> None:
    def add_then_fail() -> None:
        with transaction.atomic():
            services.create_child(police_officer, details(responsible_council_id=council.pk))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert not SearchKey.objects.exists()


@pytest.mark.django_db
def test_the_rebuild_command_writes_keys_for_records_without_them(child: Child) -> None:
    SearchKey.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_keys", stdout=out)
    assert stored(child)
    assert "1 child records" in out.getvalue()
