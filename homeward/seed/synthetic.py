"""Synthetic data at any size: ``homeward generate --episodes N --seed S [--councils K]``.

For load tests and benchmarks, not for the demo (``homeward demo`` makes a small area with
logins and rich text; this makes volume). Both draw from the same parts: names from
``names``, identifiers from ``codes``, and every share, mix and duration from
``distributions``. Everything is invented: councils have LA numbers no real council has
(101-199 and 939-999), homes have URNs starting SC9, postcodes use the letter Q.

The shape follows the published figures: most episodes last under two days; repeat
missing is concentrated in a few children (about 6.8 episodes for each child who goes
missing, with a long tail); M is the usual classification and A is used only for
looked-after children; nearly every return gets a safe and well check and a return
interview, about 63% of interviews done are done within 72 hours. The output is the same
for the same seed, size and day.

It keeps the services' invariants (what ``tests/seed/test_synthetic.py`` checks): a
child is under 18 and was born before every episode; a child's episodes never overlap and
at most one is open; a return is never before last seen; nothing is in the future; A only
on a day the child is looked after; each episode has its initial ClassificationChange and
RiskAssessment and the timeline entries of its report, return and close; an episode is
closed only once its check and interview are recorded; a return made while the child's
interview is still open is added to that interview.

Speed: rows are built as tuples with their primary keys assigned here, and written in
batches: with COPY on PostgreSQL, with executemany elsewhere. One transaction; one audit
event. Domain events are not written (history must not notify anyone).

The statistics are made in the same transaction, once the rows are in: the facts of every
child written (``insights.facts.refresh_children``, in batches) and the running totals, so
the dashboards count the generated records as soon as they are committed, as they would
count the same records saved one by one.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time as time_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from homeward.audit import services as audit
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Person, Placement
from homeward.core import clock
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.insights import facts
from homeward.linkage import keys
from homeward.linkage.models import SearchKey
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.seed import distributions as dist
from homeward.seed import synthetic_episodes
from homeward.seed.codes import make_nhs_number, make_upn
from homeward.seed.names import first_name, surname, surname_pool
from homeward.seed.sink import Sink
from homeward.seed.timebase import add_years

EPISODES_PER_MISSING_CHILD = 6.8
MAX_COUNCILS = 160  # as many fictional three-digit LA numbers as there are
LAC = LegalStatusKind.LOOKED_AFTER

# --- the plan ----------------------------------------------------------------------------


@dataclass
class CouncilPlan:
    index: int
    org: int
    force: int
    code: str
    homes: list[int] = field(default_factory=list)


@dataclass
class GenerateResult:
    seed: int
    episodes: int
    councils: int
    children: int
    seconds: float
    counts: dict[str, int]
    statistics_seconds: float = 0.0


class Synthesizer:
    def __init__(self, seed: int, episodes: int, councils: int, years: int, now: datetime) -> None:
        self.seed = seed
        self.total = episodes
        self.district = ""  # the current placement's, of the child being written
        self.k = councils
        self.rng = random.Random(f"homeward-generate:{seed}")
        self.now = now
        # Whole minutes from the window's start, in UTC: every comparison is exact.
        self.end_minute = years * 365 * 1440
        self.origin = (
            (now - timedelta(minutes=self.end_minute))
            .replace(second=0, microsecond=0)
            .astimezone(UTC)
        )
        self.horizon = self.end_minute - 60  # an hour before now: never the future
        self.sink = Sink()
        self.councils: list[CouncilPlan] = []
        self.salt = self.rng.randrange(1 << 40)
        self.episode_index = 0
        self.today = timezone.localtime(now).date()
        self.missing_children: list[int] = []  # children given episodes

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)

    def local_day(self, minute: int) -> date:
        return timezone.localtime(self.at(minute)).date()

    # -- organisations ----------------------------------------------------------------

    def organisations(self) -> None:
        rng, sink = self.rng, self.sink
        forces: list[int] = []
        for i in range((self.k + 3) // 4):  # a force covers about four councils
            pk = sink.new_id(Organisation)
            sink.add(
                Organisation,
                id=pk,
                kind=OrganisationKind.POLICE,
                name=f"{surname(rng)}shire Police",
                code=f"G{i + 1:02d}",
            )
            forces.append(pk)
        sink.flush(Organisation)
        for i in range(self.k):
            pk = sink.new_id(Organisation)
            # 101-199, then 939-999: numbers no real council has (real ones are 201-938).
            code = str(101 + i) if i < 99 else str(939 + i - 99)
            plan = CouncilPlan(index=i, org=pk, force=forces[i // 4], code=code)
            sink.add(
                Organisation,
                id=pk,
                kind=OrganisationKind.COUNCIL,
                name=f"{surname(rng)} Council",
                code=code,
                police_force_id=plan.force,
            )
            self.councils.append(plan)
        sink.flush(Organisation)
        self.by_org = {plan.org: plan for plan in self.councils}
        for plan in self.councils:
            for h in range(3):
                pk = sink.new_id(Organisation)
                sink.add(
                    Organisation,
                    id=pk,
                    kind=OrganisationKind.CARE_PROVIDER,
                    name=f"{surname(rng)} House",
                    code=f"SC9{plan.index:04d}{h}",
                    area_council_id=plan.org,
                )
                plan.homes.append(pk)
        sink.flush(Organisation)

    # -- children and their episodes ----------------------------------------------------

    def episode_counts(self) -> list[int]:
        """Episodes per child who goes missing: mean 6.8, most have one or two, a few
        have dozens (repeat missing is concentrated in few children)."""
        rng = self.rng
        n = max(1, round(self.total / EPISODES_PER_MISSING_CHILD))
        # Lomax (Pareto less one): about a third of children go missing once, a few dozens
        # of times.
        weights = [rng.paretovariate(1.25) - 1 for _ in range(n)]
        scale = (self.total - n) / (sum(weights) or 1)
        cap = max(1, self.horizon // (3 * 1440))  # room to spare in the window
        counts = [min(cap, 1 + round(w * scale)) for w in weights]
        cumulative = list(itertools.accumulate(weights))
        short = self.total - sum(counts)
        while short > 0:  # the remainder goes where the weight is, to those with room
            j = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
            if counts[min(j, n - 1)] < cap:
                counts[min(j, n - 1)] += 1
                short -= 1
        while short < 0:
            j = rng.randrange(n)
            if counts[j] > 1:
                counts[j] -= 1
                short += 1
        return counts

    def run(self) -> None:
        self.organisations()
        counts = self.episode_counts() if self.total else []
        never = len(counts) // 4  # children known to the service who never go missing
        sizes = [self.rng.lognormvariate(0, 0.6) for _ in self.councils]
        pick_council = dist.chooser(self.rng, {str(i): s for i, s in enumerate(sizes)})
        self.pick_ethnicity = dist.chooser(self.rng, dist.ETHNICITY_MIX)
        self.pick_grade = dist.chooser(self.rng, dist.GRADES)
        self.pick_method = dist.chooser(self.rng, dist.RETURN_METHODS)
        for wanted in counts + [0] * never:
            self.child(self.councils[int(pick_council())], wanted)
        self.sink.finish()

    def child(self, council: CouncilPlan, wanted: int) -> None:
        rng, sink = self.rng, self.sink
        sex = dist.sex(rng)
        dob = dist.date_of_birth(rng, self.today, youngest=11)
        child_id = sink.new_id(Child)
        # Missing from the tenth birthday (or the window's start) to an hour ago.
        first = max(0, self.minute_of(add_years(dob, 10)))
        self.district = ""
        placement = self.care(child_id, council, dob, first, wanted)
        ethnicity = self.pick_ethnicity()
        name_pool = surname_pool(rng, ethnicity)
        person_id = sink.new_id(Person)
        sink.add(Person, id=person_id, created_at=self.at(0))
        given, last = first_name(rng, sex), surname(rng, name_pool)
        upn = make_upn(rng, council.code) if rng.random() < dist.UPN_SHARE else ""
        nhs = make_nhs_number(rng) if rng.random() < dist.NHS_NUMBER_SHARE else ""
        sink.add(
            Child,
            id=child_id,
            person_id=person_id,
            own_person_id=person_id,
            first_name=given,
            last_name=last,
            date_of_birth=dob,
            sex=sex,
            ethnicity=ethnicity,
            upn=upn,
            nhs_number=nhs,
            responsible_council_id=council.org,
            current_placement_id=placement[0] if placement else None,
            created_at=self.at(0),
        )
        reference = f"G{child_id:09d}"
        sink.add(
            ChildIdentifier,
            id=sink.new_id(ChildIdentifier),
            child_id=child_id,
            organisation_id=council.org,
            value=reference,
        )
        found = keys.facts(given, last, (), dob, sex=sex, nhs_number=nhs, upn=upn,
                           references=[reference], postcode=self.district)  # fmt: skip
        for key in sorted(keys.record_keys(found)):
            sink.add(SearchKey, id=sink.new_id(SearchKey), child_id=child_id, key=key)
        if wanted:
            self.missing_children.append(child_id)
            synthetic_episodes.episodes(self, child_id, council, wanted, first, placement)

    def care(
        self, child_id: int, council: CouncilPlan, dob: date, first: int, wanted: int
    ) -> tuple[int, int, int] | None:
        """The child's legal status and, if looked after, placement: (id, host council
        org, first minute in it)."""
        rng, sink = self.rng, self.sink
        looked_after = rng.random() < (0.6 if wanted >= 3 else 0.35)
        care_from: date | None = None
        placement: tuple[int, int, int] | None = None  # (id, host council org, start minute)
        if looked_after:
            if rng.random() < 0.8:
                care_from = self.local_day(0) - timedelta(days=rng.randint(30, 1500))
            else:
                care_from = self.local_day(rng.randint(first, max(first, self.horizon - 1440)))
            care_from = max(care_from, dob + timedelta(days=400))
            sink.add(LegalStatus, id=sink.new_id(LegalStatus), child_id=child_id, status=LAC,
                     start_date=care_from)  # fmt: skip
            in_home = rng.random() < 0.45
            if in_home:
                home_council = council if rng.random() < 0.7 else rng.choice(self.councils)
                provider: int | None = rng.choice(home_council.homes)
                host = home_council.org
                kind = "K2"
            else:
                provider, host, kind = None, council.org, rng.choice(("U4", "U6", "U6", "H5"))
            pk = sink.new_id(Placement)
            self.district = f"Q{chr(65 + council.index % 26)}{rng.randint(1, 9)}"
            sink.add(
                Placement,
                id=pk,
                child_id=child_id,
                placement_type=kind,
                provider_id=provider,
                host_council_id=host,
                postcode_district=self.district,
                start_date=care_from,
            )
            placement = (pk, host, self.minute_of(care_from + timedelta(days=1)))
        elif rng.random() < 0.5:
            status = rng.choice((LegalStatusKind.CHILD_IN_NEED, LegalStatusKind.CHILD_PROTECTION))
            since = self.local_day(0) - timedelta(days=rng.randint(0, 900))
            sink.add(LegalStatus, id=sink.new_id(LegalStatus), child_id=child_id, status=status,
                     start_date=since)  # fmt: skip
        return placement

    def minute_of(self, day: date) -> int:
        return (day - self.local_day(0)).days * 1440


def default_councils(episodes: int) -> int:
    """About 3,000 episodes a council, from 1 to the 153 councils of England."""
    return max(1, min(153, round(episodes / 3000)))


def default_years(episodes: int) -> int:
    """A national year is a few hundred thousand episodes: spread larger loads over years."""
    return max(1, min(10, math.ceil(episodes / 300_000)))


def generate(
    *,
    episodes: int,
    seed: int,
    councils: int | None = None,
    years: int | None = None,
    now: datetime | None = None,
) -> GenerateResult:
    if episodes < 0:
        raise ValueError("--episodes must be 0 or more")
    k = councils if councils is not None else default_councils(episodes)
    if not 1 <= k <= MAX_COUNCILS:
        raise ValueError(f"--councils must be between 1 and {MAX_COUNCILS}")
    span = years if years is not None else default_years(episodes)
    if not 1 <= span <= 10:
        raise ValueError("--years must be between 1 and 10")
    if Organisation.objects.exists():
        raise ValueError("The database already has organisations: generate into an empty database")
    started = time_module.monotonic()
    maker = Synthesizer(seed, episodes, k, span, now or clock.now())
    with transaction.atomic():
        maker.run()
        statistics_started = time_module.monotonic()
        facts.analyse_records()
        facts.refresh_children(maker.missing_children, lock=False)
        statistics_seconds = time_module.monotonic() - statistics_started
        audit.record(
            Actor(user=None, membership=None, channel=CHANNEL_CLI),
            "generate",
            "synthetic",
            details={"seed": seed, "episodes": episodes, "councils": k, "years": span},
        )
    counts = maker.sink.counts
    return GenerateResult(
        seed=seed,
        episodes=counts.get("episodes.Episode", 0),
        councils=k,
        children=counts.get("children.Child", 0),
        seconds=time_module.monotonic() - started,
        counts=counts,
        statistics_seconds=statistics_seconds,
    )
