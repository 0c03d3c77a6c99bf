"""Synthetic data at any size: ``homeward generate --episodes N --seed S [--councils K]``.

For load tests and benchmarks, not for the demo (``homeward demo`` makes a small area with
logins and rich text; this makes volume). Everything is invented: names come from the
demo's syllable generator, councils have LA numbers no real council has (101-199 and
939-999),
homes have URNs starting SC9, postcodes use the letter Q.

The shape follows DOMAIN.md: most episodes last under two days; repeat missing is
concentrated in a few children (about 6.8 episodes for each child who goes missing, with a
long tail); M is the usual classification and A is used only for looked-after children;
nearly every return gets a safe and well check and a return interview, about 63% of
interviews done are done within 72 hours. The output is the same for the same seed, size
and day.

It keeps the services' invariants (what ``tests/interchange/test_synthetic.py`` checks): a
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
import json
import math
import random
import time as time_module
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from homeward.aftercare.models import (
    CheckStatus,
    InterviewStatus,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.aftercare.services import INTERVIEW_DUE
from homeward.audit import services as audit
from homeward.children.codes import Ethnicity, LegalStatusKind, Sex
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Placement
from homeward.core import clock
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.demo import add_years, first_name, make_nhs_number, make_upn, surname
from homeward.episodes.models import (
    ClassificationChange,
    Episode,
    EpisodeStatus,
    RiskAssessment,
    TimelineEntry,
    TimelineKind,
)
from homeward.insights import facts
from homeward.organisations.models import Organisation, OrganisationKind

EPISODES_PER_MISSING_CHILD = 6.8
MAX_COUNCILS = 160  # as many fictional three-digit LA numbers as there are
GAP = 60  # minutes between one return and the next time the child is last seen
BATCH = 20_000
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 letters: 8 of them = 2**40
LAC = LegalStatusKind.LOOKED_AFTER

_ETHNICITIES = {
    Ethnicity.WBRI: 62, Ethnicity.WOTH: 5, Ethnicity.MWBC: 5, Ethnicity.BAFR: 4,
    Ethnicity.MOTH: 3, Ethnicity.APKN: 3, Ethnicity.AIND: 2, Ethnicity.BCRB: 2,
    Ethnicity.MWBA: 2, Ethnicity.MWAS: 2, Ethnicity.AOTH: 2, Ethnicity.OOTH: 2,
    Ethnicity.WIRI: 1, Ethnicity.WROM: 1, Ethnicity.ABAN: 1, Ethnicity.NOBT: 1,
    Ethnicity.BOTH: 1.5, Ethnicity.CHNE: 0.5, Ethnicity.REFU: 0.5, Ethnicity.WIRT: 0.5,
}  # fmt: skip
_GRADES = {"very_low": 0.06, "low": 0.44, "medium": 0.40, "high": 0.10}
_METHODS = {
    "returned_self": 0.45,
    "found_by_police": 0.2,
    "found_by_carer": 0.2,
    "brought_back": 0.12,
    "other": 0.03,
}
_PLACES = ("the bus station", "the retail park", "a friend's address", "the town centre")


def _pick(rng: random.Random, options: dict[str, float]) -> Callable[[], str]:
    """A fast weighted chooser (``random.choices`` rebuilds its table on every call)."""
    keys = list(options)
    cumulative: list[float] = []
    total = 0.0
    for key in keys:
        total += options[key]
        cumulative.append(total)
    return lambda: keys[bisect.bisect_right(cumulative, rng.random() * total)]


def duration_minutes(rng: random.Random) -> int:
    """About 90% of episodes end within two days; a tail to two weeks."""
    roll = rng.random()
    if roll < 0.35:
        return rng.randint(30, 360)
    if roll < 0.65:
        return rng.randint(360, 960)
    if roll < 0.91:
        return rng.randint(960, 47 * 60)
    if roll < 0.985:
        return rng.randint(48 * 60, 5 * 1440)
    return rng.randint(5 * 1440, 14 * 1440)


def reference(index: int, salt: int) -> str:
    """Unique for every index below 2**40: an odd multiplier is a bijection modulo 2**40."""
    value = (index * 0x9E3779B97F + salt) % (1 << 40)
    letters = []
    for _ in range(8):
        value, digit = divmod(value, 32)
        letters.append(REFERENCE_ALPHABET[digit])
    return "HW-" + "".join(letters)


# --- writing -----------------------------------------------------------------------------


class Sink:
    """Buffers rows per model and writes them in batches, with the keys given here."""

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {}
        self.columns: dict[type[models.Model], list[tuple[str, str, Any]]] = {}
        self.defaults: dict[type[models.Model], dict[str, Any]] = {}
        self.counts: dict[str, int] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.postgres = connection.vendor == "postgresql"
        self.now = clock.now()

    def new_id(self, model: type[models.Model]) -> int:
        if model not in self.next_ids:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_ids[model] = last + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def _columns(self, model: type[models.Model]) -> list[tuple[str, str, Any]]:
        if model not in self.columns:
            spec = []
            for f in model._meta.concrete_fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default: Any = self.now
                elif f.has_default():
                    default = f.get_default()
                elif not f.null and isinstance(f, models.CharField | models.TextField):
                    default = ""  # what a form leaves in a blank text field
                else:
                    default = None
                if isinstance(f, models.JSONField):
                    default = json.dumps(default)
                spec.append((f.attname, f.column, default))
            self.columns[model] = spec
            self.defaults[model] = {name: default for name, _, default in spec}
        return self.columns[model]

    def add(self, model: type[models.Model], **values: Any) -> None:
        if model not in self.defaults:
            self._columns(model)
        merged = self.defaults[model] | values  # keeps the columns' order: fast, in C
        if len(merged) != len(self.columns[model]):
            unknown = set(values) - set(self.defaults[model])
            raise TypeError(f"{model._meta.label} has no column {', '.join(sorted(unknown))}")
        row = tuple(merged.values())
        bucket = self.rows.setdefault(model, [])
        bucket.append(row)
        if len(bucket) >= self.batch:
            self.flush(model)

    def flush(self, model: type[models.Model] | None = None) -> None:
        for each in [model] if model else list(self.rows):
            rows = self.rows.get(each) or []
            if not rows:
                continue
            self._write(each, rows)
            label = each._meta.label
            self.counts[label] = self.counts.get(label, 0) + len(rows)
            self.rows[each] = []

    def _write(self, model: type[models.Model], rows: list[tuple[Any, ...]]) -> None:
        spec = self._columns(model)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for _, column, _ in spec)
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            # SQLite keeps times as naive UTC text and dates as ISO text, as Django does.
            when = [
                i
                for i, f in enumerate(model._meta.concrete_fields)
                if isinstance(f, models.DateField)  # DateTimeField is one too
            ]
            converted = []
            for row in rows:
                values = list(row)
                for i in when:
                    value = values[i]
                    if isinstance(value, datetime):
                        values[i] = str(value.astimezone(UTC).replace(tzinfo=None))
                    elif value is not None:
                        values[i] = str(value)
                converted.append(values)
            marks = ", ".join(["%s"] * len(spec))
            # Table and column names come from the models, never from input.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, converted)

    def finish(self) -> None:
        self.flush()
        if self.postgres:
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


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
        chooser = _pick(self.rng, {str(i): s for i, s in enumerate(sizes)})
        self.pick_ethnicity = _pick(self.rng, {str(k): v for k, v in _ETHNICITIES.items()})
        self.pick_grade = _pick(self.rng, _GRADES)
        self.pick_method = _pick(self.rng, _METHODS)
        for wanted in counts + [0] * never:
            self.child(self.councils[int(chooser())], wanted)
        self.sink.finish()

    def child(self, council: CouncilPlan, wanted: int) -> None:
        rng, sink = self.rng, self.sink
        sex = Sex.FEMALE if rng.random() < 0.52 else Sex.MALE
        age = rng.choices(range(11, 18), weights=[2, 4, 7, 10, 12, 11, 9])[0]
        latest = add_years(self.today, -age)
        dob = latest - timedelta(days=rng.randint(1, 364))
        child_id = sink.new_id(Child)
        # Missing from the tenth birthday (or the window's start) to an hour ago.
        first = max(0, self.minute_of(add_years(dob, 10)))
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
            sink.add(
                Placement,
                id=pk,
                child_id=child_id,
                placement_type=kind,
                provider_id=provider,
                host_council_id=host,
                postcode_district=f"Q{chr(65 + council.index % 26)}{rng.randint(1, 9)}",
                start_date=care_from,
            )
            placement = (pk, host, self.minute_of(care_from + timedelta(days=1)))
        elif rng.random() < 0.5:
            status = rng.choice((LegalStatusKind.CHILD_IN_NEED, LegalStatusKind.CHILD_PROTECTION))
            since = self.local_day(0) - timedelta(days=rng.randint(0, 900))
            sink.add(LegalStatus, id=sink.new_id(LegalStatus), child_id=child_id, status=status,
                     start_date=since)  # fmt: skip
        name_pool = 0 if rng.random() < 0.8 else 1
        sink.add(
            Child,
            id=child_id,
            first_name=first_name(rng, sex),
            last_name=surname(rng, name_pool),
            date_of_birth=dob,
            sex=sex,
            ethnicity=self.pick_ethnicity(),
            upn=make_upn(rng, council.code) if rng.random() < 0.5 else "",
            nhs_number=make_nhs_number(rng) if rng.random() < 0.4 else "",
            responsible_council_id=council.org,
            current_placement_id=placement[0] if placement else None,
            created_at=self.at(0),
        )
        sink.add(
            ChildIdentifier,
            id=sink.new_id(ChildIdentifier),
            child_id=child_id,
            organisation_id=council.org,
            value=f"G{child_id:09d}",
        )
        if wanted:
            self.missing_children.append(child_id)
            self.episodes(child_id, council, wanted, first, placement)

    def minute_of(self, day: date) -> int:
        return (day - self.local_day(0)).days * 1440

    def episodes(
        self,
        child_id: int,
        council: CouncilPlan,
        wanted: int,
        first: int,
        placement: tuple[int, int, int] | None,
    ) -> None:
        rng = self.rng
        span = self.horizon - first
        durations = [duration_minutes(rng) for _ in range(wanted)]
        room = span - GAP * wanted
        if sum(durations) > room * 0.8:  # a very busy child: shorter episodes
            factor = room * 0.8 / sum(durations)
            durations = [max(15, int(d * factor)) for d in durations]
        free = span - sum(durations) - GAP * wanted
        gaps = [rng.expovariate(1.0) for _ in range(wanted + 1)]
        scale = free / sum(gaps)
        open_last = rng.random() < 0.02  # a few children are missing now
        cursor = first
        interview: dict[str, Any] | None = None
        for i, length in enumerate(durations):
            start = cursor + int(gaps[i] * scale)
            end: int | None = start + length
            if i == wanted - 1 and open_last:
                start = max(start, self.horizon - rng.randint(60, 3 * 1440))
                end = None
            cursor = (end if end is not None else start) + GAP
            interview = self.episode(child_id, council, start, end, placement, interview)

    def episode(
        self,
        child_id: int,
        council: CouncilPlan,
        start: int,
        end: int | None,
        placement: tuple[int, int, int] | None,
        interview: dict[str, Any] | None,
    ) -> dict[str, Any] | None:
        rng, sink, at = self.rng, self.sink, self.at
        pk = sink.new_id(Episode)
        self.episode_index += 1
        in_care = placement is not None and start >= placement[2]
        away = in_care and rng.random() < 0.3
        becomes_missing = away and end is not None and end - start > 240 and rng.random() < 0.1
        force = council.force
        if in_care and placement is not None:
            force = self.by_org[placement[1]].force
        reported = start + rng.randint(20, 240)
        if end is not None:
            reported = min(reported, end)
        reported = min(reported, self.horizon)
        grade = self.pick_grade()
        status = EpisodeStatus.MISSING if end is None else EpisodeStatus.RETURNED
        closed: int | None = None
        check: tuple[bool, int, int] | None = None
        if end is not None:
            if rng.random() < 0.9:
                conducted = end + rng.randint(30, 20 * 60)
                check = (True, conducted, conducted + rng.randint(10, 240))
            else:
                recorded = end + rng.randint(60, 48 * 60)
                check = (False, recorded, recorded)
            if check[2] > self.horizon:
                check = None
            if interview is None or (
                interview["closed"] is not None and interview["closed"] <= end
            ):
                interview = self.new_interview(child_id, council, end)
            interview["episodes"].append(pk)
            done = interview["closed"]
            if check is not None and done is not None:
                closing = max(check[2], done) + rng.randint(10, 600)
                if closing <= self.horizon:
                    closed, status = closing, EpisodeStatus.CLOSED
        classification = "A" if away else "M"
        sink.add(
            Episode,
            id=pk,
            reference=reference(self.episode_index, self.salt),
            child_id=child_id,
            status=status,
            classification="M" if becomes_missing else classification,
            reported_at=at(reported),
            reporting_organisation_id=force if rng.random() < 0.7 else council.org,
            reporter_type=("home_staff" if in_care else "parent"),
            last_seen_at=at(start),
            last_seen_location=f"Near {rng.choice(_PLACES)}",
            missing_from="placement" if in_care else "home",
            police_force_id=force,
            placement_id=placement[0] if in_care and placement else None,
            risk_grade=grade,
            returned_at=at(end) if end is not None else None,
            return_method=self.pick_method() if end is not None else "",
            closed_at=at(closed) if closed is not None else None,
            version=1 + (end is not None) + (closed is not None) + becomes_missing,
            created_at=at(reported),
            updated_at=at(closed or end or reported),
        )
        sink.add(ClassificationChange, id=sink.new_id(ClassificationChange), episode_id=pk,
                 classification=classification, changed_at=at(reported),
                 reason="Initial report")  # fmt: skip
        sink.add(RiskAssessment, id=sink.new_id(RiskAssessment), episode_id=pk, grade=grade,
                 rationale="Initial grading", decided_at=at(reported))  # fmt: skip
        timeline = [(TimelineKind.REPORT, reported, "Reported missing.")]
        if becomes_missing and end is not None:
            changed = rng.randint(reported, end)
            sink.add(ClassificationChange, id=sink.new_id(ClassificationChange), episode_id=pk,
                     classification="M", changed_at=at(changed),
                     reason="Whereabouts no longer known")  # fmt: skip
            timeline.append((TimelineKind.CLASSIFICATION, changed, "Classification changed."))
        if end is not None:
            timeline.append((TimelineKind.RETURN, end, "Returned."))
        if closed is not None:
            timeline.append((TimelineKind.CLOSE, closed, "Episode closed."))
        for kind, minute, summary in timeline:
            sink.add(TimelineEntry, id=sink.new_id(TimelineEntry), episode_id=pk, kind=kind,
                     occurred_at=at(minute), summary=summary, recorded_at=at(minute))  # fmt: skip
        if check is not None:
            done_ok, when, recorded = check
            sink.add(
                SafeAndWellCheck,
                id=sink.new_id(SafeAndWellCheck),
                episode_id=pk,
                status=CheckStatus.DONE if done_ok else CheckStatus.NOT_DONE,
                conducted_at=at(when) if done_ok else None,
                not_done_reason="" if done_ok else "The child declined to speak to officers.",
                organisation_id=force,
                recorded_at=at(recorded),
            )
        if interview is not None and end is not None and len(interview["episodes"]) == 1:
            self.write_interview(interview)
        elif interview is not None and end is not None:
            through = ReturnInterview.episodes.through
            sink.add(through, id=sink.new_id(through), returninterview_id=interview["id"],
                     episode_id=pk)  # fmt: skip
        return interview

    def new_interview(self, child_id: int, council: CouncilPlan, returned: int) -> dict[str, Any]:
        """What the interview services would record: offered, then accepted and done (about
        63% of those in 72 hours), declined, or not offered; nothing yet if recent."""
        rng = self.rng
        plan: dict[str, Any] = {
            "id": self.sink.new_id(ReturnInterview),
            "child": child_id,
            "council": council.org,
            "returned": returned,
            "status": InterviewStatus.PENDING,
            "outcome": "",
            "offered": None,
            "done": None,
            "closed": None,
            "episodes": [],
        }
        horizon = self.horizon
        if rng.random() < 0.05:
            decided = returned + rng.randint(24 * 60, 96 * 60)
            if decided <= horizon:
                plan.update(status=InterviewStatus.NOT_OFFERED, outcome="not_offered",
                            closed=decided)  # fmt: skip
            return plan
        offered = returned + rng.randint(2 * 60, 48 * 60)
        if offered > horizon:
            return plan
        plan.update(status=InterviewStatus.OFFERED, offered=offered)
        decided = offered + rng.randint(0, 12 * 60)
        if decided > horizon:
            return plan
        if rng.random() < 0.15:
            plan.update(status=InterviewStatus.DECLINED, outcome="declined", closed=decided)
            return plan
        in_time = rng.random() < 0.63
        target = returned + (
            rng.randint(6 * 60, 71 * 60) if in_time else rng.randint(73 * 60, 8 * 1440)
        )
        # Offered within 48 h and decided within 12 h more, so "in time" stays in time.
        done = max(target, decided + rng.randint(30, 120))
        plan.update(status=InterviewStatus.ACCEPTED, outcome="accepted")
        if done <= horizon:
            plan.update(status=InterviewStatus.DONE, done=done, closed=done)
        return plan

    def write_interview(self, plan: dict[str, Any]) -> None:
        at, sink = self.at, self.sink
        due = at(plan["returned"]) + INTERVIEW_DUE
        sink.add(
            ReturnInterview,
            id=plan["id"],
            child_id=plan["child"],
            council_id=plan["council"],
            provider_id=plan["council"],
            status=plan["status"],
            due_at=due,
            offered_at=at(plan["offered"]) if plan["offered"] is not None else None,
            offer_method="phone" if plan["offered"] is not None else "",
            outcome=plan["outcome"],
            done_at=at(plan["done"]) if plan["done"] is not None else None,
            interviewer_kind="independent" if plan["done"] is not None else "",
            closed_at=at(plan["closed"]) if plan["closed"] is not None else None,
            created_at=at(plan["returned"]),
            updated_at=at(plan["closed"] or plan["offered"] or plan["returned"]),
        )
        through = ReturnInterview.episodes.through
        sink.add(through, id=sink.new_id(through), returninterview_id=plan["id"],
                 episode_id=plan["episodes"][0])  # fmt: skip


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
