"""A small area whose figures were worked out by hand (see each test's docstring).

Statistical year 2024-25 (1 April 2024 to 31 March 2025). Two forces: F covers council A,
G covers council B. Everything is recorded through the real services, in the past.

Tamsin (council A, not looked after, born 10 October 2008: turns 16 on 10 October 2024;
worker allocations from 1 Jan 2023, 1 Jun 2024 and 1 Dec 2024, so 2 changes in the year):
  T1  1 May 2024 10:00 -> 20:00 (10 h), from home, force F, age 15. Check done; interview
      offered, accepted, done 48 h after the return, push "conflict at home", pull
      "friends", risk "substance misuse", the child agreed to quotes.
  T2  2 Nov 2024 08:00 -> 3 Nov 14:00 (30 h), from home, force F, age 16. Interview open.
  T3  30 Mar 2025 22:00 -> 2 Apr 2025 22:00 (72 h), from home, force F, age 16: spans
      31 March, so it counts in 2024-25, where it is "open at the end"; its return falls
      in 2025-26 (and is counted among that year's returns).
Rowan (council A, looked after since 2020, placed by A in a children's home in B's area:
out of area; born 1 January 2012, age 12; one worker since 2022):
  R1  10 Jul 2024 09:00 -> 20 Jul 09:00 (10 days), from the placement, so force G;
      reported as away (A), changed to missing (M) while open. Check not done.
  R2  1 Aug 2024 18:00 -> 23:00 (5 h), from home, force F. R1 and R2 share one interview,
      offered and declined.
Kit (council B, no placement, born 1 March 2016, age 8):
  K1  1 Aug 2024 18:00, never returned, force G. Linked with R2: they went missing together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import ReturnInterview
from homeward.children.codes import PlacementType
from homeward.children.models import Child, WorkerAllocation
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.episodes.models import Classification, Episode, MissingFrom
from homeward.insights.counting import LONDON
from homeward.organisations.models import Organisation, Role
from tests import factories


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class Area:
    force_f: Organisation
    force_g: Organisation
    council_a: Organisation
    council_b: Organisation
    tamsin: Child
    rowan: Child
    kit: Child
    episodes: dict[str, Episode]


def _return(actor: Actor, episode: Episode, when: datetime) -> Episode:
    episode.refresh_from_db()
    return episodes.record_return(
        actor, episode.reference, episode.version, episodes.Return(when, "returned_self")
    )


@pytest.fixture
def area(db: None) -> Area:
    force_f = factories.PoliceForceFactory(name="Force F")
    force_g = factories.PoliceForceFactory(name="Force G")
    council_a = factories.CouncilFactory(name="Council A", police_force=force_f)
    council_b = factories.CouncilFactory(name="Council B", police_force=force_g)
    home = factories.CareProviderFactory(area_council=council_b)
    sw_a = factories.actor(Role.SOCIAL_WORKER, council_a)
    sw_b = factories.actor(Role.SOCIAL_WORKER, council_b)
    coordinator_a = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council_a)
    officer_f = factories.actor(Role.POLICE_OFFICER, force_f)
    officer_g = factories.actor(Role.POLICE_OFFICER, force_g)

    tamsin = factories.ChildFactory(
        first_name="Tamsin",
        last_name="Oakridge",
        date_of_birth=date(2008, 10, 10),
        responsible_council=council_a,
    )
    rowan = factories.ChildFactory(
        first_name="Rowan",
        last_name="Pellow",
        date_of_birth=date(2012, 1, 1),
        sex="1",
        responsible_council=council_a,
    )
    factories.looked_after(rowan, since=date(2020, 1, 1))
    factories.place(
        rowan, provider=home, host=council_b, start=date(2023, 1, 1),
        placement_type=PlacementType.K2,
    )  # fmt: skip
    kit = factories.ChildFactory(
        first_name="Kit",
        last_name="Farrow",
        date_of_birth=date(2016, 3, 1),
        responsible_council=council_b,
    )
    worker = factories.UserFactory()
    for child, starts in (
        (tamsin, [date(2023, 1, 1), date(2024, 6, 1), date(2024, 12, 1)]),
        (rowan, [date(2022, 5, 1)]),
    ):
        for start in starts:
            WorkerAllocation.objects.create(
                child=child, worker=worker, organisation=council_a, start_date=start
            )

    eps: dict[str, Episode] = {}
    eps["T1"] = factories.report(sw_a, tamsin, last_seen_at=at(2024, 5, 1, 10))
    _return(sw_a, eps["T1"], at(2024, 5, 1, 20))
    aftercare.record_check(
        officer_f,
        eps["T1"].reference,
        aftercare.CheckDetails(done=True, conducted_at=at(2024, 5, 2, 9), child_account="Fine"),
    )
    interview = ReturnInterview.objects.get(episodes=eps["T1"])
    interview = aftercare.record_offer(
        coordinator_a,
        interview.pk,
        interview.version,
        offered_at=at(2024, 5, 2, 10),
        offered_by="Alex Merrow",
        offer_method="phone",
    )
    interview = aftercare.record_outcome(
        coordinator_a, interview.pk, interview.version, outcome="accepted"
    )
    aftercare.record_interview(
        coordinator_a,
        interview.pk,
        interview.version,
        aftercare.InterviewRecord(
            done_at=at(2024, 5, 3, 20),
            interviewer_name="Alex Merrow",
            interviewer_kind="independent",
            child_account=(
                "Tamsin said I went to see Marcus at Quayside Park because nobody listened "
                "at home. Call me on 07700 900123 if you want."
            ),
            push_factors=["conflict_home"],
            pull_factors=["friends"],
            risks_found=["substance_misuse"],
            quote_consent=True,
        ),
    )

    eps["T2"] = factories.report(sw_a, tamsin, last_seen_at=at(2024, 11, 2, 8))
    _return(sw_a, eps["T2"], at(2024, 11, 3, 14))
    # T2's interview is left open, so T3's return joins it.
    eps["T3"] = factories.report(sw_a, tamsin, last_seen_at=at(2025, 3, 30, 22))
    _return(sw_a, eps["T3"], at(2025, 4, 2, 22))

    eps["R1"] = factories.report(
        sw_a,
        rowan,
        last_seen_at=at(2024, 7, 10, 9),
        classification=Classification.AWAY,
        missing_from=MissingFrom.PLACEMENT,
    )
    eps["R1"].refresh_from_db()
    episodes.change_classification(
        sw_a, eps["R1"].reference, eps["R1"].version, Classification.MISSING, "Whereabouts unknown"
    )
    _return(sw_a, eps["R1"], at(2024, 7, 20, 9))
    aftercare.record_check(
        officer_g,
        eps["R1"].reference,
        aftercare.CheckDetails(done=False, not_done_reason="Child refused to see officers"),
    )
    eps["R2"] = factories.report(sw_a, rowan, last_seen_at=at(2024, 8, 1, 18))
    _return(sw_a, eps["R2"], at(2024, 8, 1, 23))
    shared = ReturnInterview.objects.get(episodes=eps["R1"])
    shared = aftercare.record_offer(
        coordinator_a,
        shared.pk,
        shared.version,
        offered_at=at(2024, 8, 2, 10),
        offered_by="Alex Merrow",
        offer_method="in_person",
    )
    aftercare.record_outcome(coordinator_a, shared.pk, shared.version, outcome="declined")

    eps["K1"] = factories.report(sw_b, kit, last_seen_at=at(2024, 8, 1, 18))
    episodes.link_episodes(officer_g, eps["K1"].reference, eps["R2"].reference)
    for episode in eps.values():
        episode.refresh_from_db()
    return Area(force_f, force_g, council_a, council_b, tamsin, rowan, kit, eps)
