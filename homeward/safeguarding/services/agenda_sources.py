"""The agenda's sections that come from places and persons: new and breached harbouring
notices, rising hotspots (``hotspots.rising``), and persons of concern linked to two or
more of the council's children. Each item keeps ids only.

Notices and persons are read here from their records directly until the persons
service's own functions (``notices.issued_between``, ``notices.breached_between``,
``persons.linked_to_several``) are merged; the answers are the same questions asked of
the same records."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from homeward.core import clock
from homeward.organisations.models import Organisation
from homeward.safeguarding.models import HarbouringNotice, NoticeBreach, PersonLink
from homeward.safeguarding.services import hotspots

Item = dict[str, Any]


def _uk_day(moment: datetime) -> Any:
    return moment.astimezone(clock.UK).date()


def _notices_issued(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    """Notices issued in the period about one or more of the council's children."""
    found = (
        HarbouringNotice.objects.filter(
            children__responsible_council=council,
            issued_on__gte=_uk_day(since),
            issued_on__lte=_uk_day(until),
        )
        .distinct()
        .order_by("issued_on", "pk")
        .prefetch_related("children")
    )
    return [
        {
            "key": f"notice_issued:{n.pk}",
            "section": "notice_issued",
            "child": None,
            "children": sorted(c.pk for c in n.children.all() if c.responsible_council_id
                               == council.pk),
            "notice": n.pk,
            "person": n.person_id,
        }
        for n in found
    ]


def _notices_breached(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    """Notices breached in the period by one of the council's children: one item a
    notice, with how many breaches and which of the council's children."""
    breaches = NoticeBreach.objects.filter(
        child__responsible_council=council, occurred_at__gte=since, occurred_at__lt=until
    ).order_by("occurred_at", "pk")
    by_notice: dict[int, dict[str, Any]] = {}
    for notice, child, person in breaches.values_list("notice_id", "child_id", "notice__person_id"):
        entry = by_notice.setdefault(notice, {"children": [], "count": 0, "person": person})
        entry["count"] += 1
        if child not in entry["children"]:
            entry["children"].append(child)
    return [
        {
            "key": f"notice_breached:{notice}",
            "section": "notice_breached",
            "child": None,
            "children": sorted(entry["children"]),
            "notice": notice,
            "person": entry["person"],
            "count": entry["count"],
        }
        for notice, entry in by_notice.items()
    ]


def _hotspots(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    return [
        {
            "key": f"hotspot:{h.key}",
            "section": "hotspot",
            "child": None,
            "hotspot": h.key,
            "place": h.place_id,
            "area": h.postcode_area,
            "count": h.children,
            "episodes": h.episodes,
            "before": h.previous_children,
        }
        for h in hotspots.rising(council, since=since, until=until)
    ]


def _persons(council: Organisation, since: datetime, until: datetime, minimum: int = 2) -> list[Item]:
    """Persons of concern linked (links not removed, recorded before ``until``) to
    ``minimum`` or more of the council's children, at least one link in the period."""
    links = PersonLink.objects.filter(
        child__responsible_council=council, removed_at__isnull=True, recorded_at__lt=until
    ).values_list("person_id", "child_id", "recorded_at")
    children: dict[int, set[int]] = defaultdict(set)
    recent: set[int] = set()
    for person, child, recorded in links:
        children[person].add(child)
        if recorded >= since:
            recent.add(person)
    return [
        {
            "key": f"person:{person}",
            "section": "person",
            "child": None,
            "children": sorted(children[person]),
            "person": person,
            "count": len(children[person]),
        }
        for person in sorted(children)
        if len(children[person]) >= minimum and person in recent
    ]


def items(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    return (
        _notices_issued(council, since, until)
        + _notices_breached(council, since, until)
        + _hotspots(council, since, until)
        + _persons(council, since, until)
    )
