"""The agenda's sections that come from places and persons, asked of their own services:
new and breached harbouring notices (``notices.issued_between``,
``notices.breached_between``), rising hotspots (``hotspots.rising``), and persons of
concern linked to two or more of the council's children (``persons.linked_to_several``).
Each item keeps ids only."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q

from homeward.organisations.models import Organisation
from homeward.safeguarding.models import PersonLink
from homeward.safeguarding.services import hotspots, notices, persons

Item = dict[str, Any]


def _notices_issued(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    """Notices issued in the period (its last day included) naming the council's children."""
    found = notices.issued_between(council, since=since, until=until + timedelta(days=1))
    return [
        {
            "key": f"notice_issued:{n.notice_id}",
            "section": "notice_issued",
            "child": None,
            "children": sorted(n.child_ids),
            "notice": n.notice_id,
            "person": n.person_id,
        }
        for n in found
    ]


def _notices_breached(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    """Notices breached in the period by one of the council's children: one item a
    notice, with how many breaches and which of the council's children."""
    by_notice: dict[int, dict[str, Any]] = {}
    for b in notices.breached_between(council, since=since, until=until):
        entry = by_notice.setdefault(
            b.notice_id, {"children": [], "count": 0, "person": b.person_id}
        )
        entry["count"] += 1
        if b.child_id not in entry["children"]:
            entry["children"].append(b.child_id)
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


def _persons(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    """Persons of concern linked to two or more of the council's children
    (``persons.linked_to_several``), with the children whose links are live and not
    police-only: ids, so each reader sees the names their organisation may."""
    found = persons.linked_to_several(council, since=since, until=until, minimum=2)
    links = PersonLink.objects.filter(
        person_id__in=[p.person_id for p in found],
        recorded_at__lt=until,
        police_only=False,
        child__responsible_council=council,
    ).filter(Q(removed_at__isnull=True) | Q(removed_at__gt=until))
    children: dict[int, set[int]] = defaultdict(set)
    for person, child in links.values_list("person_id", "child_id"):
        children[person].add(child)
    return [
        {
            "key": f"person:{p.person_id}",
            "section": "person",
            "child": None,
            "children": sorted(children[p.person_id]),
            "person": p.person_id,
            "count": p.children,
            "new": p.new_links,
        }
        for p in found
    ]


def items(council: Organisation, since: datetime, until: datetime) -> list[Item]:
    return (
        _notices_issued(council, since, until)
        + _notices_breached(council, since, until)
        + _hotspots(council, since, until)
        + _persons(council, since, until)
    )
