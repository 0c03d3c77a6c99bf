"""The demo's second records: children the police added again because they could not see
the council's record (a name typed another way, a date of birth with the day and month
swapped, the NHS number sometimes known). They are what linkage finds: the worker's first
linkage run links those it is sure of and leaves the rest in the councils' review queues.
Every name is generated, as everywhere in the seed."""

from __future__ import annotations

import random
from datetime import date

from homeward.children.models import Child, ChildIdentifier, new_persons
from homeward.seed.names import first_name, surname
from homeward.seed.plan import Area

# One child in this many, among those who go missing, has a second record made by police.
ONE_IN = 6


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def _swapped(dob: date) -> date:
    if dob.day <= 12 and dob.day != dob.month:
        return dob.replace(month=dob.day, day=dob.month)
    return dob


def _year_off(rng: random.Random, dob: date) -> date:
    year = dob.year + rng.choice((-1, 1))
    return dob.replace(year=year, day=min(dob.day, 28))


def write_police_records(area: Area) -> list[Child]:
    """Second records, held provisionally by the council of the area the child is in."""
    rng = random.Random(f"{area.seed} police records")
    force = area.orgs["force"]
    missing = [c for c in area.children if c.row is not None and c.wanted > 0]
    rows: list[Child] = []
    for plan in missing[::ONE_IN]:
        child = plan.row
        assert child is not None
        first, last, dob = plan.first_name, plan.last_name, plan.dob
        # The last two are the hard ones a run leaves for a person to decide: another
        # first name (what the child told the officer), or a year of birth out by one.
        variant = rng.choice(("typo", "surname", "dob", "exact", "known as", "year"))
        if variant == "known as":
            first = first_name(rng, plan.sex)
        elif variant == "year":
            dob = _year_off(rng, dob)
        elif variant == "typo":
            first = _typo(rng, first)
        elif variant == "surname":
            last = f"{last}-{surname(rng)}"
        elif variant == "dob":
            dob = _swapped(dob)
        host = child.current_placement.host_council if child.current_placement else None
        rows.append(
            Child(
                first_name=first,
                last_name=last if rng.random() < 0.9 else _typo(rng, last),
                date_of_birth=dob,
                sex=plan.sex,
                ethnicity=plan.ethnicity,
                nhs_number=plan.nhs_number
                if variant not in ("known as", "year") and rng.random() < 0.6
                else "",
                responsible_council=host or child.responsible_council,
                responsible_council_provisional=True,
                added_by_organisation=force,
            )
        )
    new_persons(rows)
    Child.objects.bulk_create(rows)
    ChildIdentifier.objects.bulk_create(
        ChildIdentifier(child=row, organisation=force, value=f"NOM{700000 + i:06d}")
        for i, row in enumerate(rows)
    )
    return rows
