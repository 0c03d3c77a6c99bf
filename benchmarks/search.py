"""Find before create over a national record set: p50 and p95 of ``search.find``.

``BENCH_CHILDREN`` (default 1,000,000) child records in 153 councils are written straight
into a database of the benchmark's own with the project's bulk Sink (COPY on PostgreSQL),
with their search keys as ``keys.record_keys`` makes them: ``homeward generate`` makes
children only as the subjects of episodes, so a million children would take some five
million episodes. Half the names come from the seed's name maker, half from common
English names with a heavy head (Smith, Oliver...), so that blocking meets popular names
as it would. 40% are in placement (so have a postcode district), 5% have an alias, 8% a
hyphenated surname, every one a council reference, most an NHS number and a UPN.

Then ``BENCH_QUERIES`` (200) searches, each for a record held, typed as a police call
handler might: a typo, a short form, a respelt surname, day and month swapped, no date of
birth (a postcode instead), one part of a hyphenated surname, an alias, no name (an NHS
number only). It reports p50/p95 of ``find()`` (keys read, candidates scored, visibility
read, audit written) and how often the record sought is among the matches.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search python -m benchmarks search

A second run reuses the records (drop the database to write them again)."""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta
from functools import cache
from typing import Any

from benchmarks.machine import describe, p95, start_django

CHILDREN = int(os.environ.get("BENCH_CHILDREN", "1000000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
SEED = 13
COUNCILS = 153

COMMON_SURNAMES = (  # noqa: SIM905
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel "
    "jackson wood turner martin cooper hill ward morris moore clark lee king baker harrison "
    "morgan allen james scott phillips watson davis parker price bennett young griffiths "
    "mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox "
    "richards khan marshall anderson simpson ellis adams singh begum wilkinson foster chapman "
    "powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer holmes "
    "mills barnes knight lloyd butler russell barker fisher stevens jenkins murray dixon"
).split()
COMMON_GIRLS = (  # noqa: SIM905
    "olivia amelia isla ava mia ivy lily isabella rosie sophia grace willow freya florence "
    "emily ella poppy evie elsie charlotte evelyn sienna sofia daisy phoebe sophie alice "
    "harper matilda ruby emilia maya millie isabelle eva aaliyah chloe jessica leah"
).split()
COMMON_BOYS = (  # noqa: SIM905
    "noah muhammad george oliver leo arthur oscar theodore freddie jack charlie theo henry "
    "finley alfie archie harry thomas jacob william joshua james lucas isaac tommy teddy "
    "ethan alexander logan mason joseph samuel daniel max jaxon riley edward reggie tyrone"
).split()
DISTRICTS = [
    f"{a}{n}"
    for a in ("LS", "M", "B", "S", "BD", "NG", "L", "CF", "NE", "SE")
    for n in range(1, 30)
]


def _zipf(rng: random.Random, items: list[str]) -> str:
    """Popular names first: the n-th in proportion to 1 / (n + 5), so the most common
    boy's name is about 4% of boys and Smith about 3% of children (twice as concentrated
    as England's, so blocking meets more records than it would)."""
    return rng.choices(items, cum_weights=_cumulative(len(items)))[0]


@cache
def _cumulative(n: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / (rank + 5)
        out.append(total)
    return out


class Maker:
    """Child records and their keys, into the Sink."""

    def __init__(self, sink: Any, councils: list[int]) -> None:
        from homeward.seed.names import first_name, surname, surname_pool

        self.rng = random.Random(SEED)
        self.sink = sink
        self.councils = councils
        self.first_name, self.surname, self.pool = first_name, surname, surname_pool
        self.today = date(2026, 12, 1)

    def names(self, sex: str) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.5:
            return self.first_name(rng, sex), self.surname(rng, self.pool(rng, "WBRI"))
        given = _zipf(rng, COMMON_BOYS if sex == "1" else COMMON_GIRLS).title()
        last = _zipf(rng, COMMON_SURNAMES).title()
        if rng.random() < 0.08:
            last = f"{last}-{_zipf(rng, COMMON_SURNAMES).title()}"
        return given, last

    def child(self) -> None:
        from homeward.children.models import Child, ChildAlias, ChildIdentifier, Person, Placement
        from homeward.linkage import keys
        from homeward.linkage.models import SearchKey
        from homeward.seed.codes import make_nhs_number, make_upn

        rng, sink = self.rng, self.sink
        sex = rng.choice("12")
        given, last = self.names(sex)
        dob = self.today - timedelta(days=rng.randint(365, 18 * 365 - 10))
        council = rng.choice(self.councils)
        child_id, person_id = sink.new_id(Child), sink.new_id(Person)
        district, placement_id = "", None
        if rng.random() < 0.4:
            district, placement_id = rng.choice(DISTRICTS), sink.new_id(Placement)
            sink.add(Placement, id=placement_id, child_id=child_id, placement_type="U4",
                     host_council_id=council, postcode_district=district,
                     start_date=self.today - timedelta(days=200))  # fmt: skip
        nhs = make_nhs_number(rng) if rng.random() < 0.7 else ""
        upn = make_upn(rng, str(101 + council % 99)) if rng.random() < 0.6 else ""
        sink.add(Person, id=person_id)
        sink.add(Child, id=child_id, person_id=person_id, own_person_id=person_id,
                 first_name=given, last_name=last, date_of_birth=dob, sex=sex, upn=upn,
                 nhs_number=nhs, responsible_council_id=council,
                 current_placement_id=placement_id)  # fmt: skip
        aliases = [f"{given} {self.surname(rng)}"] if rng.random() < 0.05 else []
        for alias in aliases:
            sink.add(ChildAlias, id=sink.new_id(ChildAlias), child_id=child_id, name=alias)
        reference = f"C{council}-{child_id:08d}"
        sink.add(ChildIdentifier, id=sink.new_id(ChildIdentifier), child_id=child_id,
                 organisation_id=council, value=reference)  # fmt: skip
        facts = keys.facts(given, last, aliases, dob, sex=sex, nhs_number=nhs, upn=upn,
                           references=[reference], postcode=district)  # fmt: skip
        for key in sorted(keys.record_keys(facts)):
            sink.add(SearchKey, id=sink.new_id(SearchKey), child_id=child_id, key=key)


def build(n: int) -> float:
    """Write ``n`` children in ``COUNCILS`` councils; the seconds it took."""
    from django.db import connection, transaction

    from homeward.organisations.models import Organisation, OrganisationKind
    from homeward.seed.sink import Sink

    started = time.monotonic()
    with transaction.atomic():
        forces = [
            Organisation.objects.create(
                kind=OrganisationKind.POLICE, name=f"Force {i}", code=f"BF{i}"
            )
            for i in range(COUNCILS // 4 + 1)
        ]
        councils = [
            Organisation.objects.create(kind=OrganisationKind.COUNCIL, name=f"Council {i}",
                                        code=f"B{i}", police_force=forces[i // 4]).pk
            for i in range(COUNCILS)
        ]  # fmt: skip
        sink = Sink()
        maker = Maker(sink, councils)
        for i in range(n):
            maker.child()
            if i % 100_000 == 99_999:
                print(
                    f"  {i + 1:,} children written, {time.monotonic() - started:.0f} s", flush=True
                )
        sink.finish()
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in use: the visibility map set, so that the key
        # look-up is an index-only scan.
        cursor.execute("VACUUM ANALYZE")
    return time.monotonic() - started


# --- the searches ----------------------------------------------------------------------


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("swap", "drop", "double", "vowel"))
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    vowels = "aeiouy"
    return (
        name[:i] + rng.choice(vowels) + name[i + 1 :]
        if name[i] in vowels
        else name[:i] + name[i] + "e" + name[i + 1 :]
    )


def _short(name: str) -> str:
    from homeward.linkage import nicknames

    forms = nicknames._FORMS.get(name.lower())
    return forms[0].title() if forms else name


def corrupt(rng: random.Random, child: Any) -> tuple[str, dict[str, Any]]:
    """A search for ``child`` as typed with one kind of difference; the kind and the query."""
    dob: date = child.date_of_birth
    q: dict[str, Any] = {"first_name": child.first_name, "last_name": child.last_name,
                         "other_names": [], "date_of_birth": dob, "sex": child.sex}  # fmt: skip
    kind = rng.choice(("typo", "short form", "respelt surname", "swapped date", "postcode",
                       "hyphen part", "nhs only", "typo + no sex"))  # fmt: skip
    if kind == "typo":
        q["first_name"] = _typo(rng, child.first_name)
    elif kind == "short form":
        q["first_name"] = _short(child.first_name)
    elif kind == "respelt surname":
        q["last_name"] = _typo(rng, child.last_name)
    elif kind == "swapped date" and dob.day <= 12:
        q["date_of_birth"] = date(dob.year, dob.day, dob.month)
    elif kind == "postcode" and child.current_placement is not None:
        q["date_of_birth"] = None
        q["postcode"] = f"{child.current_placement.postcode_district} 1AB"
    elif kind == "hyphen part" and "-" in child.last_name:
        q["last_name"] = child.last_name.split("-")[-1]
    elif kind == "nhs only" and child.nhs_number:
        q = {"first_name": "", "last_name": "", "other_names": [], "date_of_birth": None,
             "nhs_number": child.nhs_number}  # fmt: skip
    elif kind == "typo + no sex":
        q["last_name"], q["sex"] = _typo(rng, child.last_name), ""
    else:
        q["first_name"] = _typo(rng, child.first_name)
        kind = "typo"
    return kind, q


def searcher() -> Any:
    from homeward.core.actor import CHANNEL_API, Actor
    from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role, User

    force = Organisation.objects.filter(kind=OrganisationKind.POLICE).order_by("pk").first()
    user, _ = User.objects.get_or_create(username="bench-search")
    Membership.objects.get_or_create(user=user, organisation=force, role=Role.POLICE_CALL_HANDLER)
    return Actor.for_user(user, channel=CHANNEL_API)


def run_queries(n: int) -> dict[str, Any]:
    from homeward.children.models import Child
    from homeward.linkage import search

    rng = random.Random(SEED + 1)
    actor = searcher()
    last = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = sorted({rng.randint(1, last) for _ in range(n * 2)})
    children = list(Child.objects.filter(pk__in=picks).select_related("current_placement"))[:n]
    rng.shuffle(children)
    timings: list[float] = []
    found: dict[str, list[int]] = {}
    for child in children:
        kind, q = corrupt(rng, child)
        query = search.Query(**q)
        started = time.perf_counter()
        matches = search.find(actor, query)
        timings.append((time.perf_counter() - started) * 1000)
        found.setdefault(kind, []).append(int(any(m.child_id == child.pk for m in matches)))
    return {"timings": timings, "found": found}


def main() -> None:
    start_django("bench_search")
    from django.core.management import call_command
    from django.db import connection

    from homeward.children.models import Child

    call_command("migrate", verbosity=0)
    print(f"find before create: {describe(connection.vendor)}")
    have = Child.objects.count()
    if have and have != CHILDREN:
        raise SystemExit(f"The database holds {have:,} children, not {CHILDREN:,}: drop it first")
    if not have:
        print(f"writing {CHILDREN:,} children and their search keys ...", flush=True)
        seconds = build(CHILDREN)
        print(f"  written in {seconds:.0f} s")
    from homeward.linkage.models import SearchKey

    print(f"{Child.objects.count():,} children, {SearchKey.objects.count():,} search keys")
    run_queries(20)  # warm the caches and the connection
    result = run_queries(QUERIES)
    timings = result["timings"]
    p50, top = statistics.median(timings), max(timings)
    print(f"{len(timings)} searches: p50 {p50:.1f} ms, p95 {p95(timings):.1f} ms, max {top:.1f} ms")
    for kind, hits in sorted(result["found"].items()):
        print(f"  {kind:16} {sum(hits)}/{len(hits)} found the record sought")


if __name__ == "__main__":
    main()
