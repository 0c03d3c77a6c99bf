"""A truth set for record linkage: invented people, each written down one to three times by
the police or a council, with the mistakes records really carry.

Typos, nicknames, day and month swapped, a missing NHS number, a changed or hyphenated
surname, a move to another postcode district. Siblings (and some twins) share a surname,
a postcode and sometimes a birthday, so the set has hard non-matches as well as matches.
Every name is invented (names.py) or a common given name; NHS numbers are from the test
range; postcodes use the letter Q, which no real UK postcode area starts with.
"""

from __future__ import annotations

import json
import random
import string
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from homeward.children.codes import Sex
from homeward.linkage import comparisons, engine
from homeward.linkage.comparisons import NICKNAMES
from homeward.seed.codes import make_nhs_number, make_upn
from homeward.seed.names import first_name, surname

_FORMAL_GIRLS = (
    "alexandra", "catherine", "charlotte", "elizabeth", "eleanor", "isabella", "jennifer",
    "jessica", "katherine", "margaret", "olivia", "patricia", "rebecca", "samantha",
    "sophia", "susannah", "victoria",
)  # fmt: skip
_FORMAL_BOYS = (
    "alexander", "anthony", "benjamin", "charles", "christopher", "daniel", "edward",
    "frederick", "gabriel", "henry", "jacob", "james", "jonathan", "joseph", "joshua",
    "matthew", "michael", "nathaniel", "nicholas", "richard", "robert", "samuel", "stephen",
    "theodore", "thomas", "william", "zachary",
)  # fmt: skip
_EARLIEST = date(2007, 1, 1)
_DAYS = 365 * 18


@dataclass
class Person:
    person_id: int
    sex: str
    first_name: str
    middle_name: str
    surname: str
    dob: date
    district: str
    nhs_number: str
    upn: str


@dataclass
class TruthSet:
    records: list[dict[str, str]]
    person_of: dict[str, int]  # record id -> person id


def _district(rng: random.Random) -> str:
    return f"Q{rng.choice('ABCDEFGHJK')}{rng.randint(1, 19)}"


def _person(rng: random.Random, person_id: int, sibling: Person | None) -> Person:
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    if rng.random() < 0.15:
        given = rng.choice(_FORMAL_GIRLS if sex == Sex.FEMALE else _FORMAL_BOYS).title()
    else:
        given = first_name(rng, sex)
    dob = _EARLIEST + timedelta(days=rng.randrange(_DAYS))
    if sibling is not None and rng.random() < 0.2:
        dob = sibling.dob  # a twin
    elif sibling is not None:
        dob = sibling.dob + timedelta(days=rng.randint(300, 2500))
    return Person(
        person_id=person_id,
        sex=sex,
        first_name=given,
        middle_name=first_name(rng, sex) if rng.random() < 0.3 else "",
        surname=sibling.surname if sibling else surname(rng, rng.choice((0, 0, 1))),
        dob=dob,
        district=sibling.district if sibling else _district(rng),
        nhs_number=make_nhs_number(rng),
        upn=make_upn(rng, str(rng.randint(940, 999))),
    )


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a letter changed, dropped, doubled or two swapped."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _digit_typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1 :]


def _given(rng: random.Random, person: Person) -> str:
    given = person.first_name
    shorts = NICKNAMES.get(given.lower())
    if shorts and rng.random() < 0.4:
        return rng.choice(shorts).title()
    return typo(rng, given) if rng.random() < 0.08 else given


def _family(rng: random.Random, person: Person, others: list[str]) -> str:
    family = person.surname
    roll = rng.random()
    if roll < 0.05:  # changed: the old name kept as another name, usually
        if rng.random() < 0.7:
            others.append(family)
        return surname(rng, 0)
    if roll < 0.10:
        other = surname(rng, 1)
        return f"{family}-{other}" if rng.random() < 0.5 else f"{other}-{family}"
    return typo(rng, family) if roll < 0.17 else family


def _dob(rng: random.Random, person: Person) -> str:
    dob = person.dob.isoformat()
    roll = rng.random()
    if roll < 0.05 and person.dob.day <= 12 and person.dob.day != person.dob.month:
        return f"{dob[:4]}-{dob[8:10]}-{dob[5:7]}"
    if roll < 0.08:
        changed = _digit_typo(rng, dob[8:10])
        if "01" <= changed <= "28":
            return dob[:8] + changed
    return dob


def _record(
    rng: random.Random, person: Person, number: int, agency: str, local_ids: dict[str, str]
) -> dict[str, str]:
    police = agency == "P"
    others = [person.middle_name] if person.middle_name and rng.random() < 0.8 else []
    family = _family(rng, person, others) if number else person.surname
    nhs = "" if rng.random() < (0.35 if police else 0.1) else person.nhs_number
    if nhs and rng.random() < 0.02:
        nhs = _digit_typo(rng, nhs)
    district = _district(rng) if number and rng.random() < 0.3 else person.district
    upn = "" if police and rng.random() < 0.8 else person.upn
    if upn and rng.random() < 0.01:
        upn = upn[:-3] + _digit_typo(rng, upn[-3:])
    if agency not in local_ids or rng.random() < 0.3:  # the agency's own reference
        local_ids[agency] = f"{agency}{rng.randint(10**6, 10**7 - 1)}"
    return {
        "record_id": f"{person.person_id}-{number}",
        "first_name": _given(rng, person) if number else person.first_name,
        "surname": family,
        "other_names": " ".join(others),
        "dob": _dob(rng, person) if number else person.dob.isoformat(),
        "sex": "" if rng.random() < 0.02 else person.sex,
        "postcode": district if rng.random() < 0.5 else f"{district} {rng.randint(1, 9)}QZ",
        "nhs_number": nhs,
        "upn": upn,
        "local_id": local_ids[agency],
    }


def truth_set(people: int, seed: int = 7) -> TruthSet:
    """``people`` invented people and their 1-3 records each, in a shuffled order."""
    rng = random.Random(seed)
    records: list[dict[str, str]] = []
    person_of: dict[str, int] = {}
    previous: Person | None = None
    for person_id in range(1, people + 1):
        sibling = previous if previous is not None and rng.random() < 0.1 else None
        person = _person(rng, person_id, sibling)
        previous = person
        count = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        local_ids: dict[str, str] = {}
        for number in range(count):
            agency = "P" if rng.random() < 0.5 else f"C{rng.randint(1, 3)}"
            record = _record(rng, person, number, agency, local_ids)
            records.append(record)
            person_of[record["record_id"]] = person_id
    rng.shuffle(records)
    return TruthSet(records, person_of)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_positive: int
    predicted: int
    actual: int


def _pairs(sizes: Counter[object]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise_scores(clusters: dict[str, str], person_of: dict[str, int]) -> Scores:
    """Pairwise precision, recall and F1 of clusters (record -> cluster) against the truth.
    A record missing from ``clusters`` is a cluster of its own."""
    cluster_of = {r: clusters.get(r, f"alone:{r}") for r in person_of}
    predicted = _pairs(Counter(cluster_of.values()))
    actual = _pairs(Counter(person_of.values()))
    both = _pairs(Counter((cluster_of[r], p) for r, p in person_of.items()))
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, both, predicted, actual)


def write_default_model(people: int = 2000) -> None:
    """Train the linkage model on a truth set and save it as the default model."""
    prepared = comparisons.prepare(truth_set(people).records)
    frame = engine.duckdb_api().register(prepared, table_name="homeward_records")
    model = engine.train(engine.new_linker(frame), prepared.num_rows)
    engine.DEFAULT_MODEL.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    write_default_model()
