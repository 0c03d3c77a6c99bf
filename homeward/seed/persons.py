"""The demo's persons of concern and harbouring notices, made through the services.

Four invented adults (names from the seed's name generator, never a real list), each
linked to two or three of the main council's children who went missing more than once,
with a source and a grading; one has a police-only link and police notes. Three notices
(Child Abduction Warning Notices) from the force: two live, one of them breached (the
council is told), and one expired. Places are the area's own where there are any;
otherwise two invented ones (coordinates invented, in no real town)."""

from __future__ import annotations

import random
from datetime import timedelta

from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation
from homeward.safeguarding import notice_sweep
from homeward.safeguarding.models import HarbouringNotice, PersonLink, PersonOfConcern, Place
from homeward.safeguarding.services import notice_breaches, notice_rules, notices, persons
from homeward.seed.names import first_name, surname
from homeward.seed.plan import Area

NATURES = (
    "Seen with her at the bus station late at night",
    "Picks him up in a silver hatchback",
    "She stayed at his flat when missing",
    "Buys them food and phone credit",
    "Messages her on social media, older than he says",
)
SOURCES = ("Residential staff", "Return interview", "Patrol officers", "School", "Parent")
DESCRIPTIONS = (
    "Early twenties, slim, usually in a black puffer jacket",
    "About thirty, drives a silver hatchback",
    "Late teens, tall, seen on an electric scooter",
    "Forties, short grey hair, works nights",
)
PLACES = (("Flat above the takeaway, Quarry Road", 51.9012, -1.4021),
          ("Underpass by Mill Lane car park", 51.8967, -1.3954))  # fmt: skip


def _actor(area: Area, username: str) -> Actor:
    return Actor(user=area.users[username], membership=area.memberships[username])


def _places(area: Area, council: Organisation, officer: Actor) -> list[Place]:
    found = list(Place.objects.filter(council=council).order_by("pk")[:4])
    if found:
        return found
    return [
        Place.objects.create(
            name=name,
            council=council,
            latitude=lat,
            longitude=lon,
            created_at=area.clock.now,
            created_by=officer.user,
            created_by_organisation=officer.organisation,
        )
        for name, lat, lon in PLACES
    ]


def _candidates(area: Area, officer: Actor, council: Organisation) -> list[Child]:
    """The main council's children who went missing more than once, whom the force sees
    and a notice can name today."""
    ids = [c.row.pk for c in area.children if c.row is not None and c.wanted >= 2]
    today = notice_rules.today()
    found = visibility.visible_children(officer).filter(pk__in=ids, responsible_council=council)
    return [c for c in found.order_by("pk") if notice_rules.applies_until(c, today) > today]


def _grading(rng: random.Random, child: Child) -> dict[str, object]:
    return {
        "child_id": child.pk,
        "nature": rng.choice(NATURES),
        "source": rng.choice(SOURCES),
        "source_evaluation": rng.choice("122"),
        "information_assessment": rng.choice("ABBC"),
    }


def write_persons(area: Area) -> None:
    rng = area.rng("persons")
    officer = _actor(area, "police.officer")
    coordinator = _actor(area, "council.coordinator")
    council = area.orgs[area.main_council.key]
    children = _candidates(area, officer, council)
    if len(children) < 4:
        return
    places = _places(area, council, officer)
    made: list[tuple[PersonOfConcern, list[Child]]] = []
    for index in range(4):
        sex = rng.choice("MF")
        name = f"{first_name(rng, sex)} {surname(rng)}"
        linked = rng.sample(children[: min(len(children), 10)], 3 if index == 0 else 2)
        by = officer if index != 2 else coordinator
        person = persons.record_person(
            by,
            {
                "name": name,
                "approximate_age": rng.randint(19, 45),
                "description": DESCRIPTIONS[index],
                **(
                    {"police_notes": "Known to the force for supply offences."}
                    if index == 0
                    else {}
                ),
            },
            _grading(rng, linked[0]),
        )
        for child in linked[1:]:
            persons.link_person(by, person.pk, _grading(rng, child))
        persons.link_person(
            officer,
            person.pk,
            {
                **_grading(rng, linked[0]),
                "child_id": None,
                "place_id": places[index % len(places)].pk,
            },
        )
        if index == 0:
            persons.link_person(
                officer, person.pk, {**_grading(rng, linked[1]), "police_only": True}
            )
        made.append((person, linked))
    _notices(officer, made, places)


def _notices(
    officer: Actor, made: list[tuple[PersonOfConcern, list[Child]]], places: list[Place]
) -> None:
    today = notice_rules.today()
    first_person, first_children = made[0]
    breached = notices.issue_notice(
        officer,
        {"person_id": first_person.pk, "child_ids": [c.pk for c in first_children[:2]],
         "issued_on": today - timedelta(days=40), "served_by": "PC 4471 Amberley"},
    )  # fmt: skip
    notice_breaches.record_breach(
        officer,
        breached.pk,
        {
            "child_id": first_children[0].pk,
            "occurred_at": clock.now() - timedelta(days=6, hours=3),
            "place_id": places[0].pk,
            "location": "In the car outside",
            "details": "Both found together at 02:10 by patrol officers.",
        },
    )
    second_person, second_children = made[1]
    notices.issue_notice(
        officer,
        {
            "person_id": second_person.pk,
            "child_ids": [second_children[0].pk],
            "issued_on": today - timedelta(days=185),
            "served_by": "DC 2208 Weller",
        },
    )  # fmt: skip (issued over six months ago: due its review)
    third_person, third_children = made[3]
    notices.issue_notice(
        officer,
        {"person_id": third_person.pk, "child_ids": [third_children[0].pk],
         "issued_on": today - timedelta(days=400), "expires_on": today - timedelta(days=30)},
    )  # fmt: skip
    notice_sweep.sweep()  # the expired one is marked, the one due its review reminded


def counts() -> dict[str, int]:
    return {
        "persons of concern": PersonOfConcern.objects.count(),
        "person links": PersonLink.objects.count(),
        "harbouring notices": HarbouringNotice.objects.count(),
    }
