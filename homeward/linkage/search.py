"""Find before create: is the child about to be added already held, anywhere in the country?

``find(actor, query)`` looks up the query's blocking keys (keys.py) in one indexed read,
takes the records sharing the most keys (at most ``CANDIDATES``), scores each field by
field with Fellegi-Sunter weights (the log2 of how much likelier the agreement is between
records of one child than between records of two), and returns the likely matches, the
strongest first.

Nothing leaks: a match the actor may not see (children.visibility) carries only who holds
the record, how strong the match is, on what grounds (never the values) and a token to
report against that record (tokens.py). Every search is audited, without what was typed:
who searched, how many matches and which records; a visible match shown is a read of that
child's record, as in any search result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from math import exp, log
from typing import Any

import jellyfish
from django.db.models import Count

from homeward.audit.services import access_log
from homeward.children.visibility import visible_children
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.linkage import keys, nicknames, tokens
from homeward.linkage.keys import Facts
from homeward.linkage.models import SearchKey
from homeward.organisations.policy import Action, role_allows

# The most records scored for one search: those sharing the most keys with it.
CANDIDATES = 200
# The log2 odds, before any field is compared, that a record sharing a key with the
# search is the child searched for.
PRIOR = -14.0
# Strength bands, from the probability; below the last a record is not a match.
BANDS = ((0.95, "Very likely"), (0.75, "Likely"), (0.3, "Possible"))

# Agreement weights, field by field (log2 of m/u). A field either side lacks weighs 0.
FIRST_NAME = {"exact": 6.0, "nickname": 5.0, "close": 4.0, "phonetic": 3.0, "disagree": -3.0}
SURNAME = {"exact": 8.0, "close": 6.5, "phonetic": 5.5, "disagree": -4.0}
# Agreeing through a part of a hyphenated surname or another name counts a little less.
INDIRECT = -1.0
DATE_OF_BIRTH = {"exact": 10.0, "swapped": 7.5, "one_part": 4.0, "disagree": -6.0}
NHS_NUMBER = {"exact": 20.0, "disagree": -8.0}
UPN = {"exact": 18.0, "disagree": -6.0}
REFERENCE = 14.0
SEX = {"exact": 0.5, "disagree": -3.0}
POSTCODE = 2.0

NAME_GROUNDS = {
    "exact": "{field} matches",
    "nickname": "{field} is a known short form",
    "close": "{field} is spelled alike",
    "phonetic": "{field} sounds alike",
}
DOB_GROUNDS = {
    "exact": "Date of birth matches",
    "swapped": "Date of birth matches, day and month swapped",
    "one_part": "Date of birth differs in one part only",
}


@dataclass(frozen=True)
class Query:
    first_name: str
    last_name: str
    other_names: list[str]
    date_of_birth: date | None
    sex: str = ""
    nhs_number: str = ""
    upn: str = ""
    agency_reference: str = ""
    postcode: str = ""

    def facts(self) -> Facts:
        return keys.facts(
            self.first_name,
            self.last_name,
            self.other_names,
            self.date_of_birth,
            sex=self.sex,
            nhs_number=self.nhs_number,
            upn=self.upn,
            references=[self.agency_reference],
            postcode=self.postcode,
        )


@dataclass(frozen=True)
class Match:
    child_id: int  # for the caller's own code: never shown for a child the actor may not see
    visible: bool
    held_by: str
    held_by_id: int
    strength: str
    probability: float
    grounds: list[str]
    token: str  # to report against a record the actor may not see; "" when visible


@dataclass
class Score:
    weight: float = PRIOR
    grounds: list[str] = field(default_factory=list)
    # Each ground with its weight (in bits): the evidence a reviewer sees.
    weights: list[float] = field(default_factory=list)

    def add(self, weight: float, ground: str = "") -> None:
        self.weight += weight
        if ground and weight > 0:
            self.grounds.append(ground)
            self.weights.append(weight)

    def evidence(self) -> list[dict[str, object]]:
        """The grounds as review evidence (linkage.models.MatchCandidate.evidence)."""
        return [
            {"field": "search", "label": ground, "level": "Agrees", "weight": round(weight, 1)}
            for ground, weight in zip(self.grounds, self.weights, strict=True)
        ]

    @property
    def probability(self) -> float:
        return 1.0 / (1.0 + exp(-self.weight * log(2)))


# --- comparing names --------------------------------------------------------------------


def _level(a: str, b: str, *, given: bool) -> str:
    if a == b:
        return "exact"
    if given and nicknames.is_short_form(a, b):
        return "nickname"
    close = jellyfish.jaro_winkler_similarity(a, b) >= 0.88
    if close or (min(len(a), len(b)) >= 4 and jellyfish.damerau_levenshtein_distance(a, b) <= 1):
        return "close"
    if keys.code(a) == keys.code(b) or jellyfish.nysiis(a) == jellyfish.nysiis(b):
        return "phonetic"
    return "disagree"


def _compare_names(
    asked: tuple[str, ...], asked_own: int, held: tuple[str, ...], held_own: int, *, given: bool
) -> tuple[str, bool, bool]:
    """The best agreement between any two of the names, whether it was reached through a
    part of a hyphenated surname (index 1 to own - 1), and through another name."""
    weights = FIRST_NAME if given else SURNAME
    best, best_score = ("disagree", False, False), weights["disagree"]
    for i, a in enumerate(asked):
        for j, b in enumerate(held):
            level = _level(a, b, given=given)
            if level == "disagree":
                continue
            other = i >= asked_own or j >= held_own
            part = not other and (i > 0 or j > 0)
            score = weights[level] + (INDIRECT if (other or part) else 0.0)
            if score > best_score:
                best, best_score = (level, part, other), score
    return best


def _names(score: Score, asked: Facts, held: Facts) -> None:
    for given, label in ((True, "First name"), (False, "Surname")):
        a = asked.given if given else asked.surnames
        h = held.given if given else held.surnames
        if not a or not h:
            continue
        a_own = asked.own_given if given else asked.own_surnames
        h_own = held.own_given if given else held.own_surnames
        level, part, other = _compare_names(a, a_own, h, h_own, given=given)
        weights = FIRST_NAME if given else SURNAME
        if level == "disagree":
            score.add(weights[level])
        elif other:
            score.add(weights[level] + INDIRECT, f"{label} matches another name the child uses")
        elif part:
            score.add(weights[level] + INDIRECT, f"{label} matches part of a hyphenated name")
        else:
            score.add(weights[level], NAME_GROUNDS[level].format(field=label))


def _date_level(a: date, b: date) -> str:
    if a == b:
        return "exact"
    if keys.swapped(a) == b:
        return "swapped"
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    return "one_part" if same == 2 else "disagree"


def _identifiers(score: Score, asked: Facts, held: Facts) -> None:
    if asked.nhs_number and held.nhs_number:
        level = "exact" if asked.nhs_number == held.nhs_number else "disagree"
        score.add(NHS_NUMBER[level], "NHS number matches")
    if asked.upn and held.upn:
        level = "exact" if asked.upn == held.upn else "disagree"
        score.add(UPN[level], "Unique pupil number matches")
    if asked.references & held.references:
        score.add(REFERENCE, "An agency's reference matches")


def score(asked: Facts, held: Facts) -> Score:
    """How strongly a record's facts match a search's, and on what grounds."""
    result = Score()
    _identifiers(result, asked, held)
    if asked.date_of_birth is not None and held.date_of_birth is not None:
        level = _date_level(asked.date_of_birth, held.date_of_birth)
        result.add(DATE_OF_BIRTH[level], DOB_GROUNDS.get(level, ""))
    _names(result, asked, held)
    if asked.sex and held.sex:
        result.add(SEX["exact" if asked.sex == held.sex else "disagree"], "Sex matches")
    if asked.district and asked.district == held.district:
        result.add(POSTCODE, "Placed in the same postcode district")
    return result


def strength(probability: float) -> str:
    """The band a probability falls in, or "" when it is too weak to be a match."""
    return next((label for floor, label in BANDS if probability >= floor), "")


# --- finding ----------------------------------------------------------------------------


def candidates(asked: Facts, limit: int = CANDIDATES) -> list[keys.Held]:
    """The records sharing the most keys with the search (at most ``limit``), as scoring
    reads them: one read of the keys (an index-only scan of the key index), then the
    records, their aliases and their identifiers."""
    looked_up = sorted(keys.query_keys(asked))
    if not looked_up:
        return []
    sharing = list(
        SearchKey.objects.filter(key__in=looked_up)
        .values("child_id")
        .annotate(shared=Count("key"))
        .order_by("-shared", "child_id")
        .values_list("child_id", flat=True)[:limit]
    )
    return keys.read_held(sharing) if sharing else []


def scored(asked: Facts, held: Iterable[keys.Held]) -> list[tuple[keys.Held, Score]]:
    """The records that are a likely match, the strongest first."""
    results = [(record, score(asked, record.facts)) for record in held]
    kept = [(r, s) for r, s in results if strength(s.probability)]
    kept.sort(key=lambda pair: (-pair[1].weight, pair[0].child_id))
    return kept


def _require_search(actor: Actor, asked: Facts) -> None:
    if not (role_allows(actor, Action.CREATE_CHILD) or role_allows(actor, Action.SEE_IDENTITY)):
        raise AccessDenied("Your role does not allow you to do this.")
    if not (asked.given or asked.surnames or asked.date_of_birth) and not (
        asked.nhs_number or asked.upn or asked.references
    ):
        raise ValidationFailed(
            {"last_name": "Enter the child's name, date of birth or an identifier"}
        )


def _audit(actor: Actor, matches: list[Match]) -> None:
    shown = [m.child_id for m in matches if m.visible]
    rows: list[dict[str, Any]] = [
        {
            "action": "find_before_create",
            "object_type": "child_search",
            "object_id": "",
            "child_id": None,
            "details": {
                "matches": len(matches),
                "children": [m.child_id for m in matches],
                "shown": shown,
            },
        }
    ]
    for m in matches:
        action = "search_result" if m.visible else "matched_search"
        rows.append(
            {
                "action": action,
                "object_type": "child",
                "object_id": str(m.child_id),
                "child_id": m.child_id,
                "details": {},
            }
        )
    with access_log(actor) as log:
        log.record_rows(rows)


def find(actor: Actor, query: Query, *, limit: int = 5) -> list[Match]:
    """The likely matches for a child about to be added, across every council's records."""
    asked = query.facts()
    _require_search(actor, asked)
    best = scored(asked, candidates(asked))[:limit]
    ids = [record.child_id for record, _ in best]
    seen = (
        set(visible_children(actor).filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    matches = [
        Match(
            child_id=record.child_id,
            visible=record.child_id in seen,
            held_by=record.council,
            held_by_id=record.council_id,
            strength=strength(s.probability),
            probability=round(s.probability, 4),
            grounds=list(s.grounds),
            token="" if record.child_id in seen else tokens.issue(actor, record.child_id),
        )
        for record, s in best
    ]
    _audit(actor, matches)
    return matches
