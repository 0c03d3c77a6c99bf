"""The synthetic demo area: three councils, one police force, three children's homes, a
return-interview provider, a national body, about 200 children and about 1,000 missing
episodes over the two years up to today, and one demo login for every role.

Every name, place, code and number is invented (see ``names``, ``codes`` and ``area``).
The output is deterministic: the same seed on the same day gives the same children, dates,
references and counts. Times are relative to today: history fills the two years before it.

The rows are written directly (bulk inserts in one transaction), not through the services,
because the services stamp "now" on every report and the history is in the past. The rules
are kept instead, from the same code where it can be shared: identifiers pass the children
app's own checks, a return is never before last seen, a child never has two episodes open
(nor two that overlap), nothing is in the future, 'A' is used only for a looked-after child,
and each change writes the rows the service would write (a RiskAssessment for each grading,
a ClassificationChange, timeline entries for report, re-grade, classification change,
return and close; a ReturnInterview covering each return, and a SafeAndWellCheck; an episode
is closed only once both are recorded, as the closing guard expects). Two things are
deliberately not back-filled: domain events (history must not send notifications) and audit
events (the audit log is a hash chain of what was done when; the load itself is one event
in it). The statistics are made by the insights app's own refresh, at the end, in the same
transaction, so the dashboards count the whole history as soon as the load commits.
"""

from __future__ import annotations

import time as time_module
from datetime import datetime

from django.db import transaction

from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
from homeward.audit import services as audit
from homeward.children.models import Child, Placement
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.episodes.models import Episode, EpisodeStatus, TimelineEntry
from homeward.insights import facts
from homeward.insights.models import EpisodeFact
from homeward.organisations.models import Organisation, User
from homeward.seed import case_audits as seed_case_audits
from homeward.seed import (
    duplicates,
    meetings,
    own_accounts,
    people,
    places,
    safeguarding,
    scene,
    write,
    write_episodes,
)
from homeward.seed import persons as seed_persons
from homeward.seed import themes as seed_themes
from homeward.seed.area import (
    DEMO_USERNAMES,
    DemoLogin,
    existing_logins,
    other_coordinators,
    other_social_workers,
)
from homeward.seed.plan import Area, DemoResult

__all__ = [
    "DEMO_USERNAMES",
    "DemoLogin",
    "existing_logins",
    "load",
    "other_coordinators",
    "other_social_workers",
]

DEFAULT_SEED = 2014
DEFAULT_CHILDREN = 200
DEFAULT_EPISODES = 1000
DEMO_URL = "http://127.0.0.1:8000"
# At most this many episodes per child on average, so every episode finds room.
MAX_EPISODES_PER_CHILD = 20


def has_data() -> bool:
    """The demo loads only into an empty database: one without any organisation."""
    return Organisation.objects.exists()


def load(
    *,
    seed: int = DEFAULT_SEED,
    children: int = DEFAULT_CHILDREN,
    episodes: int = DEFAULT_EPISODES,
    now: datetime | None = None,
) -> DemoResult:
    if children < 1:
        raise ValueError("--children must be at least 1")
    if episodes < 0 or episodes > children * MAX_EPISODES_PER_CHILD:
        raise ValueError(
            f"--episodes must be between 0 and {MAX_EPISODES_PER_CHILD} per child "
            f"({children * MAX_EPISODES_PER_CHILD} for {children} children)"
        )
    if has_data():
        raise ValueError("The database already has organisations: load the demo into an empty one")
    started = time_module.monotonic()
    area = Area(seed, now)
    plan(area, children, episodes)
    with transaction.atomic():
        store(area, children, episodes)
    return DemoResult(
        seed=seed,
        seconds=time_module.monotonic() - started,
        counts=counts(),
        logins=existing_logins(),
        other_social_workers=other_social_workers(),
        other_coordinators=other_coordinators(),
    )


def plan(area: Area, children: int, episodes: int) -> None:
    """The whole area in memory: who the children are and what happens to them."""
    people.plan_children(area, children)
    people.plan_allocations(area)
    people.choose_care_home(area)
    scene.plan_episodes(area, episodes)
    people.give_the_demo_worker_a_caseload(area)


def store(area: Area, children: int, episodes: int) -> None:
    """Every row of the planned area, its statistics and the one audit event of the load."""
    write.write_organisations(area)
    write.write_users(area)
    write.write_children(area)
    write.write_current_placements(area)
    scene.plan_aftercare(area)
    write_episodes.write_episodes(area)
    write.write_aftercare(area)
    duplicates.write_police_records(area)
    safeguarding.write_safeguarding(area)
    places.write_places(area)
    seed_persons.write_persons(area)
    own_accounts.write_own_accounts(area)
    meetings.write_meetings(area)  # last: its agenda reads the places and persons above
    seed_themes.write_themes(area)  # the words grouped, named and linked to the panel
    # The statistics, in the same transaction: the dashboards, board reports and
    # national figures count the demo's history as soon as it is committed.
    facts.refresh_children([child.row.pk for child in area.children if child.row], lock=False)
    seed_case_audits.write_case_audits(area)  # after the facts: a sample is drawn from them
    # One honest event: the audit log is a hash chain of what happened when, so
    # the history is not back-filled into it.
    audit.record(
        Actor(user=None, membership=None, channel=CHANNEL_CLI),
        "load_demo",
        "demo",
        details={"seed": area.seed, "children": children, "episodes": episodes},
    )


def complete_statistics() -> bool:
    """A database loaded before loads made their own statistics holds episodes that no
    figure counts: make every fact and total again from the records. Says whether it had
    to (a count of episodes against their facts)."""
    if EpisodeFact.objects.count() == Episode.objects.count():
        return False
    facts.rebuild()
    return True


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "children": Child.objects.filter(added_by_organisation__isnull=True).count(),
        "second records made by police": Child.objects.filter(
            added_by_organisation__isnull=False
        ).count(),
        "placements": Placement.objects.count(),
        "episodes": Episode.objects.count(),
        "open episodes": Episode.objects.filter(status=EpisodeStatus.MISSING).count(),
        "timeline entries": TimelineEntry.objects.count(),
        "safe and well checks": SafeAndWellCheck.objects.count(),
        "return interviews": ReturnInterview.objects.count(),
        **safeguarding.counts(),
        **seed_persons.counts(),
        **meetings.counts(),
        **places.counts(),
    }
