"""A small council whose themes were worked out by hand.

Council A (force F), quarter looked at: 2025-26 Q3 (October to December 2025); the four
before: 2024-25 Q3, 2024-25 Q4, 2025-26 Q1, 2025-26 Q2. Council B (force F too) has one
interview, so the nation differs from A. Each interview is one child's, recorded through
the real services:

  I1  3 Nov 2025   girl, 14   push conflict_home; pull friends    "arguments" account
  I2  10 Nov 2025  boy, 15    push conflict_home                  "arguments" account
  I3  1 Dec 2025   girl, 16   push conflict_home; risk substance  "older friends" account
  I4  5 May 2025   girl, 14   push conflict_home                  (2025-26 Q1)
  I5  5 Aug 2025   boy, 12    pull friends                        (2025-26 Q2)
  B1  3 Nov 2025   (council B) push conflict_home

So for A in Q3: conflict_home [0, 0, 1, 0, 3] (up: 3 against an average of 0.25);
friends [0, 0, 0, 1, 1] (about the same: 1 against 0.25 is less than 2 more); substance
misuse [0, 0, 0, 0, 1] (about the same). By sex, Q3: conflict_home boys 1, girls 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from homeward.aftercare.models import ReturnInterview
from homeward.core.clock import UK
from homeward.organisations.models import Organisation
from tests import factories
from tests.themes.factories import said

ARGUMENT = "Me and my carer had a massive argument about my phone so I walked out."
ARGUMENT_2 = "Staff kept shouting at me about the rules and I got angry and left."
OLDER = "An older lad picks me up in his car and buys me food and vapes."


@dataclass
class Area:
    a: Organisation
    b: Organisation
    force: Organisation
    interviews: dict[str, ReturnInterview]


def _child(council: Organisation, sex: str, born: date) -> object:
    return factories.ChildFactory(responsible_council=council, sex=sex, date_of_birth=born)


@pytest.fixture
def area(db: None) -> Area:
    force = factories.PoliceForceFactory(name="Force F")
    a = factories.CouncilFactory(name="Council A", police_force=force)
    b = factories.CouncilFactory(name="Council B", police_force=force)
    rows = {
        "I1": (a, "2", date(2011, 6, 1), datetime(2025, 11, 3, 18, tzinfo=UK),
               ARGUMENT, ["conflict_home"], ["friends"], []),
        "I2": (a, "1", date(2010, 6, 1), datetime(2025, 11, 10, 18, tzinfo=UK),
               ARGUMENT_2, ["conflict_home"], [], []),
        "I3": (a, "2", date(2009, 6, 1), datetime(2025, 12, 1, 18, tzinfo=UK),
               OLDER, ["conflict_home"], [], ["substance_misuse"]),
        "I4": (a, "2", date(2010, 12, 1), datetime(2025, 5, 5, 18, tzinfo=UK),
               ARGUMENT, ["conflict_home"], [], []),
        "I5": (a, "1", date(2013, 1, 1), datetime(2025, 8, 5, 18, tzinfo=UK),
               "I stayed out with my friends.", [], ["friends"], []),
        "B1": (b, "1", date(2010, 1, 1), datetime(2025, 11, 3, 18, tzinfo=UK),
               ARGUMENT, ["conflict_home"], [], []),
    }  # fmt: skip
    interviews = {}
    for key, (council, sex, born, when, words, push, pull, risks) in rows.items():
        interviews[key] = said(
            council,
            when,
            account=words,
            push=push,
            pull=pull,
            risks=risks,
            child=_child(council, sex, born),  # type: ignore[arg-type]
        )
    return Area(a, b, force, interviews)
