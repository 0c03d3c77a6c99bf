"""The blocking keys of a child record, and of a search: what ``find`` looks up first.

A record's keys (``SearchKey`` rows) are short strings that a likely match shares with it
even when the details were typed differently:

- ``nhs:<number>``, ``upn:<upn>``, ``ref:<agency reference>``: the identifiers;
- ``dob:<iso date>``: the date of birth (a search also looks up the date with day and
  month swapped; records store only their own);
- ``nm:<given code>|<surname code>``: the phonetic codes (metaphone) of a given name and a
  surname, for every given name the child is known by (its full form when it is a known
  short form: Tom is Thomas) and every surname (each part of a hyphenated one, each alias);
- ``sn:<surname code>|<year of birth>``: for a first name not known or changed;
- ``pc:<outward code>|<surname code>``: the postcode district of the current placement.

``Facts`` is what keys and scoring read, made alike from a record and from a search, so
both sides are normalised the same way. ``rewrite`` replaces the keys of some records
(the handlers call it when a record changes); ``rewrite_all`` writes every record's, in
batches, for bulk loads and ``homeward rebuild-search-keys``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import jellyfish
from django.db import transaction
from django.db.models import QuerySet

from homeward.children.models import Child, ChildAlias, ChildIdentifier
from homeward.linkage import nicknames
from homeward.linkage.models import SearchKey

_NOT_A_LETTER = re.compile(r"[^a-z\s-]")
_SEPARATORS = re.compile(r"[\s-]+")
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")
_FULL_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})")
# Keys fit SearchKey.key (80 characters).
_MAX_VALUE = 60


def _letters(text: str) -> str:
    """Lower case, accents dropped, apostrophes and anything but letters, spaces and
    hyphens removed: "O'Brien-Núñez" -> "obrien-nunez"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_A_LETTER.sub("", plain.lower().replace("'", ""))


def words(name: str) -> list[str]:
    """The words of a name, split at spaces and hyphens."""
    return [w for w in _SEPARATORS.split(_letters(name)) if w]


def joined(name: str) -> str:
    """A name as one word: "Smith-Jones" -> "smithjones"."""
    return "".join(words(name))


@cache
def code(word: str) -> str:
    """The phonetic code a key holds for one name."""
    return jellyfish.metaphone(word) or word.upper()


def outward(postcode: str) -> str:
    """The outward code (district) of a full or partial postcode, or "" when it is not
    one: "ls6 2ab" -> "LS6", "LS6" -> "LS6"."""
    compact = re.sub(r"\s+", "", postcode.upper())
    full = _FULL_POSTCODE.fullmatch(compact)
    if full:
        return full.group(1)
    return compact if _DISTRICT.fullmatch(compact) else ""


def swapped(day: date) -> date | None:
    """The date with its day and month swapped, when that is another real date."""
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def _identifier(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()[:_MAX_VALUE]


@dataclass(frozen=True)
class Facts:
    """The details of a record or a search, normalised for keys and for scoring."""

    given: tuple[str, ...]  # the first name, as one word, then other given names
    surnames: tuple[str, ...]  # the surname as one word, then its parts, then aliases'
    date_of_birth: date | None
    sex: str = ""
    nhs_number: str = ""
    upn: str = ""
    references: frozenset[str] = frozenset()
    district: str = ""
    # How many of ``given`` / ``surnames`` come from the record's own names: the first
    # name; the surname as one word and, when hyphenated, its parts. The rest are other
    # names the child is known by.
    own_given: int = 1
    own_surnames: int = 1


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def facts(
    first_name: str,
    last_name: str,
    other_names: Iterable[str] = (),
    date_of_birth: date | None = None,
    *,
    sex: str = "",
    nhs_number: str = "",
    upn: str = "",
    references: Iterable[str] = (),
    postcode: str = "",
) -> Facts:
    """Facts from the details as typed or stored. An other name of two words or more is
    a given name and a surname; of one word, either."""
    own_given = _unique([joined(first_name)])
    own_surnames = _unique([joined(last_name), *words(last_name)])
    given, surnames = list(own_given), list(own_surnames)
    for other in other_names:
        parts = words(other)
        if len(parts) == 1:
            given.append(parts[0])
            surnames.append(parts[0])
        elif parts:
            given.append(parts[0])
            surnames.extend([parts[-1], "".join(parts[1:])])
    return Facts(
        given=_unique(given),
        surnames=_unique(surnames),
        date_of_birth=date_of_birth,
        sex=sex.strip().upper()[:1],
        nhs_number=_identifier(nhs_number),
        upn=_identifier(upn),
        references=frozenset(r for r in map(_identifier, references) if r),
        district=outward(postcode),
        own_given=len(own_given),
        own_surnames=len(own_surnames),
    )


def _given_codes(given: Iterable[str]) -> set[str]:
    return {code(full) for name in given for full in nicknames.canonical(name)}


def _name_keys(facts: Facts) -> set[str]:
    surname_codes = {code(s) for s in facts.surnames}
    found = {f"nm:{g}|{s}" for g in _given_codes(facts.given) for s in surname_codes}
    if facts.date_of_birth is not None:
        found |= {f"sn:{s}|{facts.date_of_birth.year}" for s in surname_codes}
    if facts.district:
        found |= {f"pc:{facts.district}|{s}" for s in surname_codes}
    return found


def _identifier_keys(facts: Facts) -> set[str]:
    found = {f"ref:{r}" for r in facts.references}
    if facts.nhs_number:
        found.add(f"nhs:{facts.nhs_number}")
    if facts.upn:
        found.add(f"upn:{facts.upn}")
    return found


def record_keys(facts: Facts) -> set[str]:
    """The keys a record is stored under."""
    found = _name_keys(facts) | _identifier_keys(facts)
    if facts.date_of_birth is not None:
        found.add(f"dob:{facts.date_of_birth.isoformat()}")
    return {k[:80] for k in found}


def query_keys(facts: Facts) -> set[str]:
    """The keys a search looks up: a record's, and the date of birth swapped."""
    found = record_keys(facts)
    if facts.date_of_birth is not None:
        other = swapped(facts.date_of_birth)
        if other is not None:
            found.add(f"dob:{other.isoformat()}")
    return found


# --- a record's facts, and writing its keys --------------------------------------------

RELATED = ("current_placement",)
PREFETCH = ("aliases", "identifiers")


@dataclass(frozen=True)
class Held:
    """A record as search reads it: its id, who holds it, its facts."""

    child_id: int
    council_id: int
    council: str
    facts: Facts


def child_facts(child: Child) -> Facts:
    """A record's facts (its aliases and identifiers prefetched, its placement joined)."""
    placement = child.current_placement
    return facts(
        child.first_name,
        child.last_name,
        [a.name for a in child.aliases.all()],
        child.date_of_birth,
        sex=child.sex,
        nhs_number=child.nhs_number,
        upn=child.upn,
        references=[i.value for i in child.identifiers.all()],
        postcode=placement.postcode_district if placement is not None else "",
    )


_HELD = (
    "pk",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
    "responsible_council_id",
    "responsible_council__name",
    "current_placement__postcode_district",
)


def read_held(children: QuerySet[Child] | list[int]) -> list[Held]:
    """The records (a queryset of children, or their ids) as search reads them, in three
    reads: the records with their council and placement, their aliases, their
    identifiers. Plain rows, no model instances: a search reads hundreds."""
    found = children if isinstance(children, QuerySet) else Child.objects.filter(pk__in=children)
    rows = list(found.values_list(*_HELD))
    ids = [row[0] for row in rows]
    if not ids:
        return []
    aliases: dict[int, list[str]] = {}
    for child_id, name in ChildAlias.objects.filter(child_id__in=ids).values_list(
        "child_id", "name"
    ):
        aliases.setdefault(child_id, []).append(name)
    references: dict[int, list[str]] = {}
    identifiers = ChildIdentifier.objects.filter(child_id__in=ids)
    for child_id, value in identifiers.values_list("child_id", "value"):
        references.setdefault(child_id, []).append(value)
    return [
        Held(
            child_id=pk,
            council_id=council_id,
            council=council,
            facts=facts(
                first,
                last,
                aliases.get(pk, ()),
                dob,
                sex=sex,
                nhs_number=nhs,
                upn=upn,
                references=references.get(pk, ()),
                postcode=district or "",
            ),
        )
        for pk, first, last, dob, sex, nhs, upn, council_id, council, district in rows
    ]


def rewrite(child_ids: Iterable[int]) -> None:
    """Replace the keys of these records with keys of what they hold now."""
    ids = sorted(set(child_ids))
    if not ids:
        return
    rows = [
        SearchKey(child_id=held.child_id, key=key)
        for held in read_held(ids)
        for key in sorted(record_keys(held.facts))
    ]
    with transaction.atomic():
        SearchKey.objects.filter(child_id__in=ids).delete()
        SearchKey.objects.bulk_create(rows, batch_size=2000)


def rewrite_all(batch: int = 2000, child_ids: Iterable[int] | None = None) -> int:
    """Rewrite the keys of every record (or of ``child_ids``), ``batch`` records at a
    time; the number of records."""
    ids = sorted(child_ids) if child_ids is not None else None
    if ids is None:
        ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        rewrite(ids[start : start + batch])
    return len(ids)
