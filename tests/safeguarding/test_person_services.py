"""Persons of concern: recorded and linked through the services, seen only through a
child the viewer sees (or by the force that holds them), police-only parts for the police
alone, every read audited; and the persons linked to several of a council's children."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.organisations.models import Role
from homeward.safeguarding.events import PersonLinked, PersonRecorded
from homeward.safeguarding.models import PersonLink
from homeward.safeguarding.services import persons
from tests import factories
from tests.safeguarding.factories_persons import (
    World,
    link,
    link_data,
    make_place,
    person_data,
    record,
    w,
)

pytestmark = pytest.mark.django_db
__all__ = ["w"]


def test_the_force_records_a_person_and_holds_them(w: World) -> None:
    assert w.person.holding_force == w.force
    assert w.person.other_names == ["Dee", "Big D"]
    event = DomainEvent.objects.filter(name=PersonRecorded.name).get()
    assert event.payload == {"created": True, "holding_force": w.force.pk}
    assert "Darvell" not in str(DomainEvent.objects.filter(name=PersonLinked.name).values())


def test_a_council_sees_the_person_only_through_its_own_child(w: World) -> None:
    seen_a = persons.read_person(w.coordinator_a, w.person.pk)
    assert [lk.child for lk in seen_a.links] == [w.child_a]
    seen_b = persons.read_person(w.coordinator_b, w.person.pk)
    assert [lk.child for lk in seen_b.links] == [w.child_b]
    assert seen_b.links[0].nature == "Gives her lifts"
    with pytest.raises(NotFound):
        persons.read_person(w.coordinator_c, w.person.pk)
    # The holding force sees both links.
    assert len(persons.read_person(w.officer, w.person.pk).links) == 2


def test_police_only_links_and_notes_are_hidden_from_the_council(w: World) -> None:
    persons.update_person(
        w.officer, w.person.pk, {"name": "Darvell Oxenholme", "police_notes": "Intel ref 77"}
    )
    link(w.officer, w.person, w.child_a, nature="Known to supply her", police_only=True)
    council = persons.read_person(w.coordinator_a, w.person.pk)
    assert council.police_notes == ""
    assert [lk.nature for lk in council.links] == ["Seen with her at the bus station"]
    police = persons.read_person(w.officer, w.person.pk)
    assert police.police_notes == "Intel ref 77"
    assert len(police.links) == 3


def test_a_person_linked_only_police_only_does_not_exist_for_the_council(w: World) -> None:
    secret = persons.record_person(
        w.officer,
        person_data(name="Fennick Arrowsmith"),
        link_data(w.child_a, police_only=True),
    )
    with pytest.raises(NotFound):
        persons.read_person(w.coordinator_a, secret.pk)
    assert secret not in persons.list_persons(w.coordinator_a)
    assert w.person in persons.list_persons(w.coordinator_a)


def test_another_force_sees_the_person_only_through_a_child_it_sees(w: World) -> None:
    stranger = factories.actor(Role.POLICE_OFFICER, factories.PoliceForceFactory())
    with pytest.raises(NotFound):
        persons.read_person(stranger, w.person.pk)


def test_every_read_is_audited(w: World) -> None:
    persons.read_person(w.coordinator_a, w.person.pk)
    row = AuditEvent.objects.filter(action="view", object_type="person_of_concern").get()
    assert row.object_id == str(w.person.pk)
    # And a read of the child shown (council A sees child A only).
    children = AuditEvent.objects.filter(
        action="view", object_type="child", user=w.coordinator_a.user
    )
    assert [r.child_id for r in children] == [w.child_a.pk]


def test_a_council_records_a_person_through_its_child(w: World) -> None:
    with pytest.raises(ValidationFailed) as failed:
        record(w.coordinator_a)
    assert failed.value.errors == {"child_id": ["Choose the child this person is linked to"]}
    mine = record(w.coordinator_a, w.child_a, name="Orrin Castlemaine")
    assert mine.holding_force is None
    assert persons.read_person(w.coordinator_a, mine.pk).person == mine
    with pytest.raises(NotFound):
        persons.read_person(w.coordinator_b, mine.pk)


def test_a_council_cannot_keep_police_parts(w: World) -> None:
    with pytest.raises(ValidationFailed) as failed:
        record(w.coordinator_a, w.child_a, police_notes="Something")
    assert "police_notes" in failed.value.errors
    with pytest.raises(ValidationFailed) as failed:
        link(w.coordinator_a, w.person, w.child_a, police_only=True)
    assert failed.value.errors == {"police_only": ["Only the police can keep a link police-only"]}


def test_a_social_worker_sees_but_does_not_keep(w: World) -> None:
    worker = factories.actor(Role.SOCIAL_WORKER, w.council_a)
    assert persons.read_person(worker, w.person.pk).may_keep is False
    with pytest.raises(AccessDenied):
        link(worker, w.person, w.child_a)


def test_a_council_cannot_link_a_child_it_does_not_see(w: World) -> None:
    with pytest.raises(NotFound):
        link(w.coordinator_a, w.person, w.child_b)


def test_the_fields_are_checked_and_named(w: World) -> None:
    with pytest.raises(ValidationFailed) as failed:
        persons.link_person(
            w.officer,
            w.person.pk,
            {"child_id": w.child_a.pk, "source_evaluation": "4", "information_assessment": "F"},
        )
    assert set(failed.value.errors) == {
        "nature",
        "source",
        "source_evaluation",
        "information_assessment",
    }
    with pytest.raises(ValidationFailed) as failed:
        persons.record_person(w.officer, {"name": "", "approximate_age": 3})
    assert failed.value.errors == {
        "name": ["Enter the person's name, or what they are known as"],
        "approximate_age": ["The approximate age must be between 10 and 120"],
    }


def test_links_to_an_episode_and_a_place(w: World) -> None:
    place = make_place(w.council_a)
    by_episode = persons.link_person(
        w.officer, w.person.pk, {**_grading(), "episode": w.episode_a.reference}
    )
    assert by_episode.child == w.child_a  # the episode's child
    by_place = persons.link_person(w.officer, w.person.pk, {**_grading(), "place_id": place.pk})
    assert by_place.child is None
    council = persons.read_person(w.coordinator_a, w.person.pk)
    assert by_episode in council.links
    assert by_place not in council.links  # a link to a place alone: the holding force's


def _grading() -> dict[str, str]:
    return {
        "nature": "Stays at the flat",
        "source": "Neighbour",
        "source_evaluation": "1",
        "information_assessment": "A",
    }


def test_unlinking_keeps_the_link_and_hides_it(w: World) -> None:
    first = PersonLink.objects.get(person=w.person, child=w.child_b)
    persons.unlink(w.officer, first.pk, "Wrong person")
    first.refresh_from_db()
    assert first.removed_at is not None
    with pytest.raises(NotFound):
        persons.read_person(w.coordinator_b, w.person.pk)
    assert AuditEvent.objects.filter(action="unlink").get().details["reason"] == "Wrong person"


def test_linked_to_several_counts_distinct_children_of_the_council(w: World) -> None:
    start = clock.now() - timedelta(days=1)
    second = factories.ChildFactory(responsible_council=w.council_a)
    factories.report(w.coordinator_a, second)
    link(w.officer, w.person, second)
    link(w.officer, w.person, w.child_a, nature="Again, at the park")  # same child again
    link(w.officer, w.person, second, nature="Police only", police_only=True)  # not counted
    lone = record(w.officer, w.child_a, name="Lone Person")
    found = persons.linked_to_several(w.council_a, since=start, until=clock.now())
    # Hand count: links to child A (2) and the second child (1): 2 children, 3 links.
    assert [(s.person_id, s.children, s.links, s.new_links) for s in found] == [
        (w.person.pk, 2, 3, 3)
    ]
    assert found[0].label == "Darvell Oxenholme"
    assert lone.pk not in [s.person_id for s in found]
    # Council B has one child linked: below the minimum of two, unless the minimum is one.
    assert persons.linked_to_several(w.council_b, since=start, until=clock.now()) == []
    assert (
        len(persons.linked_to_several(w.council_b, since=start, until=clock.now(), minimum=1)) == 1
    )
    # Before anything was linked, nothing.
    assert persons.linked_to_several(w.council_a, since=start, until=start) == []


def test_a_link_is_removed_by_whoever_recorded_it_or_the_holding_force(w: World) -> None:
    police_link = PersonLink.objects.get(person=w.person, child=w.child_a)
    with pytest.raises(AccessDenied):
        persons.unlink(w.coordinator_a, police_link.pk)
    own = link(w.coordinator_a, w.person, w.child_a, nature="Told the school")
    assert persons.unlink(w.coordinator_a, own.pk).removed_at is not None
    with pytest.raises(NotFound):  # a link of another person
        persons.unlink(w.officer, police_link.pk, person_id=w.person.pk + 1)
