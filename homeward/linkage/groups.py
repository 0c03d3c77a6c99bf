"""Which records are one person: the groups live links join, and each record's person
(the lowest own person of its group)."""

from __future__ import annotations

from collections.abc import Iterable

from homeward.children.models import Child
from homeward.linkage.models import RecordLink


def components(records: list[Child], links: Iterable[RecordLink]) -> list[list[Child]]:
    """The records joined by the links, as groups (union-find)."""
    parent = {r.pk: r.pk for r in records}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.left_id in parent and link.right_id in parent:
            parent[root(link.left_id)] = root(link.right_id)
    groups: dict[int, list[Child]] = {}
    for record in records:
        groups.setdefault(root(record.pk), []).append(record)
    return list(groups.values())


def resolve(records: list[Child], links: Iterable[RecordLink]) -> list[int]:
    """Point every record at its group's person (the lowest own person in the group).
    Returns the ids of the records whose person changed."""
    changed = []
    for component in components(records, links):
        person = min(r.own_person_id for r in component)
        for record in component:
            if record.person_id != person:
                record.person_id = person
                changed.append(record.pk)
    if changed:
        Child.objects.bulk_update([r for r in records if r.pk in set(changed)], ["person"])
    return changed
