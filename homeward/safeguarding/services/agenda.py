"""A meeting's agenda, built from the records, never typed: for the period since the
council's last held meeting of the kind (``DEFAULT_LOOK_BACK_MONTHS`` before, for the
first), the council's children

- over the repeat-missing threshold (the notifications' own count, ``clocks.repeat_counts``,
  with the council's ``rules.thresholds``), or with a high-risk episode;
- without a plan (or with a "write a plan" task open), or with a plan due for review (an
  open review task: the plan's review date come, or a trigger);
- with an overdue safe and well check or return interview (the work list's queries,
  ``aftercare.compliance``);

and the new and breached harbouring notices, the rising hotspots and the persons of
concern linked to two or more of them (``agenda_sources``).

The agenda is stored on the meeting as ids only (children, episodes, notices, places,
persons): each reader sees what their organisation may (``agenda_shown``). It can be
rebuilt until the meeting is held; then it stays as the meeting saw it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from homeward.aftercare import compliance
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode, RiskGrade
from homeward.notifications import clocks, rules
from homeward.organisations.models import Organisation
from homeward.safeguarding.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlanReview,
    ReviewStatus,
    RiskPlan,
)
from homeward.safeguarding.services import agenda_sources

DEFAULT_LOOK_BACK_MONTHS = 3
MOST_PER_SECTION = 100

# The agenda's sections, in order: key, title.
SECTIONS: list[tuple[str, str]] = [
    ("repeat", "Children over the repeat-missing threshold"),
    ("high_risk", "Children with a high-risk episode"),
    ("no_plan", "Children without a plan"),
    ("plan_review", "Plans due for review"),
    ("overdue_check", "Overdue safe and well checks"),
    ("overdue_interview", "Overdue return interviews"),
    ("notice_issued", "New harbouring notices"),
    ("notice_breached", "Breached harbouring notices"),
    ("hotspot", "Rising hotspots"),
    ("person", "Persons linked to two or more children"),
]
SECTION_TITLES = dict(SECTIONS)

Item = dict[str, Any]


# --- the period ------------------------------------------------------------------------------


def period_for(council: Organisation, kind: str, now: datetime) -> tuple[datetime, datetime]:
    """Since the council's last held meeting of the kind (when it was held), or
    ``DEFAULT_LOOK_BACK_MONTHS`` before ``now`` for the first; until ``now``."""
    last = (
        Meeting.objects.filter(council=council, kind=kind, status=MeetingStatus.HELD)
        .exclude(held_at__isnull=True)
        .order_by("-held_at")
        .values_list("held_at", flat=True)
        .first()
    )
    if last is not None and last < now:
        return last, now
    return compliance.three_months_before(now), now


def two_working_days_ahead(now: datetime) -> datetime:
    """10:00 UK time, two working days (Monday to Friday) after ``now``."""
    day = now.astimezone(clock.UK).date()
    left = 2
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime(day.year, day.month, day.day, 10, tzinfo=clock.UK)


# --- the sections a council owns -----------------------------------------------------------


def _item(section: str, key: object, child: int | None, **more: Any) -> Item:
    return {"key": f"{section}:{key}", "section": section, "child": child, **more}


def _repeat_and_high_risk(council: Organisation, start: datetime, end: datetime) -> list[Item]:
    in_period = Episode.objects.filter(
        child__responsible_council=council, last_seen_at__gte=start, last_seen_at__lt=end
    )
    limits = rules.thresholds(council)
    children = dict(in_period.values_list("child__person_id", "child_id").order_by("child_id"))
    counts = clocks.repeat_counts(list(children), end - timedelta(days=limits.repeat_days), end)
    items = [
        _item("repeat", child, child, count=counts[person], days=limits.repeat_days)
        for person, child in sorted(children.items(), key=lambda pc: pc[1])
        if counts.get(person, 0) >= limits.repeat_count
    ]
    high = in_period.filter(risk_grade=RiskGrade.HIGH).order_by("last_seen_at", "pk")
    items += [
        _item("high_risk", ref, child, episode=ref)
        for ref, child in high.values_list("reference", "child_id")
    ]
    return items


def _plans(council: Organisation, start: datetime, end: datetime) -> list[Item]:
    missing = set(
        Episode.objects.filter(
            child__responsible_council=council, last_seen_at__gte=start, last_seen_at__lt=end
        ).values_list("child_id", "child__person_id")
    )
    with_plan = set(
        RiskPlan.objects.filter(child__person_id__in={p for _, p in missing}).values_list(
            "child__person_id", flat=True
        )
    )
    open_reviews = PlanReview.objects.filter(
        child__responsible_council=council, status=ReviewStatus.OPEN
    ).order_by("due_date", "pk")
    write = set(open_reviews.filter(plan__isnull=True).values_list("child_id", flat=True))
    no_plan = sorted({c for c, p in missing if p not in with_plan} | write)
    items = [_item("no_plan", child, child) for child in no_plan]
    items += [
        _item("plan_review", pk, child, due=due.isoformat())
        for pk, child, due in open_reviews.filter(plan__isnull=False).values_list(
            "pk", "child_id", "due_date"
        )
    ]
    return items


def _overdue(council: Organisation, end: datetime) -> list[Item]:
    checks = compliance.overdue_checks(council, end)
    items = [
        _item("overdue_check", e.reference, e.child_id, episode=e.reference)
        for e in checks[:MOST_PER_SECTION]
    ]
    interviews = compliance.overdue_interviews(council, end)
    items += [
        _item("overdue_interview", i.pk, i.child_id, due=i.due_at.isoformat())
        for i in interviews[:MOST_PER_SECTION]
    ]
    return items


# --- building ------------------------------------------------------------------------------


def build(meeting: Meeting) -> list[Item]:
    """The agenda's items for the meeting's period, section by section (``SECTIONS``
    order); a strategy meeting's only those about its child (on any of their records)."""
    council, start, end = meeting.council, meeting.period_start, meeting.period_end
    items = _repeat_and_high_risk(council, start, end)
    items += _plans(council, start, end)
    items += _overdue(council, end)
    items += agenda_sources.items(council, start, end)
    if meeting.kind == MeetingKind.STRATEGY and meeting.child is not None:
        records = set(
            Child.objects.filter(person_id=meeting.child.person_id).values_list("pk", flat=True)
        )
        items = [i for i in items if records & set(item_children(i))]
    order = {key: n for n, (key, _) in enumerate(SECTIONS)}
    counted: dict[str, int] = {}
    kept = []
    for item in sorted(items, key=lambda i: order[i["section"]]):
        counted[item["section"]] = counted.get(item["section"], 0) + 1
        if counted[item["section"]] <= MOST_PER_SECTION:
            kept.append(item)
    return kept


def store(meeting: Meeting) -> None:
    """Build the agenda and keep it on the meeting (the caller's transaction)."""
    meeting.agenda = build(meeting)
    meeting.agenda_built_at = clock.now()
    meeting.save(update_fields=["agenda", "agenda_built_at", "period_end"])


# --- reading ids back --------------------------------------------------------------------------


def item_children(item: Item) -> list[int]:
    """Every child an item names (one, or a notice's or person's several)."""
    found = [item["child"]] if item.get("child") else []
    return found + [c for c in item.get("children", []) if c not in found]


def child_ids(meeting: Meeting) -> set[int]:
    found = {c for item in meeting.agenda for c in item_children(item)}
    found |= set(meeting.decisions.exclude(child=None).values_list("child_id", flat=True))
    found |= set(meeting.actions.exclude(child=None).values_list("child_id", flat=True))
    if meeting.child_id:
        found.add(meeting.child_id)
    return found


def visible_ids(actor: Actor, ids: Iterable[int]) -> set[int]:
    """Which of these children the actor's organisation may see (one query)."""
    wanted = set(ids)
    if not wanted:
        return set()
    return set(
        visibility.visible_children(actor).filter(pk__in=wanted).values_list("pk", flat=True)
    )
