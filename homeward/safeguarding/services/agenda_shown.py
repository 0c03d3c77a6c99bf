"""The agenda as one reader sees it. The agenda keeps ids; here each id becomes what the
reader's organisation may know: a child it may see by name (with a link to their record),
any other as "A child (not visible to your organisation)" with no name, id or episode; a
person of concern by name only to a reader who sees one of the children they are linked
to on the item, or who works at the force that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.safeguarding.models import HarbouringNotice, Meeting, PersonOfConcern, Place
from homeward.safeguarding.services.agenda import SECTIONS, Item, item_children, visible_ids

HIDDEN_CHILD = "A child (not visible to your organisation)"
HIDDEN_PERSON = "A person of concern (not visible to your organisation)"


@dataclass
class ShownChild:
    label: str
    child_id: int | None = None  # None when hidden


@dataclass
class ShownItem:
    key: str
    label: str  # what the item is about, as this reader may see it
    detail: str  # why it is on the agenda (no identity)
    children: list[ShownChild] = field(default_factory=list)
    episode: str = ""  # blank unless the reader sees the child


@dataclass
class ShownSection:
    key: str
    title: str
    items: list[ShownItem]


@dataclass
class Names:
    """What the reader may see of the agenda's records, fetched once."""

    visible: set[int]
    children: dict[int, Child]
    persons: dict[int, PersonOfConcern]
    notices: dict[int, HarbouringNotice]
    places: dict[int, Place]
    force_id: int | None

    def child(self, pk: int | None) -> ShownChild:
        if pk is not None and pk in self.visible and pk in self.children:
            return ShownChild(self.children[pk].full_name, pk)
        return ShownChild(HIDDEN_CHILD)

    def person(self, pk: int | None, children: list[int]) -> str:
        person = self.persons.get(pk or 0)
        if person is None:
            return HIDDEN_PERSON
        if self.visible & set(children) or person.holding_force_id == self.force_id:
            return person.name
        return HIDDEN_PERSON


def names_for(actor: Actor, meeting: Meeting, extra_children: set[int] | None = None) -> Names:
    agenda = meeting.agenda
    ids = {c for item in agenda for c in item_children(item)} | (extra_children or set())
    seen = visible_ids(actor, ids)
    org = actor.organisation

    def wanted(name: str) -> set[int]:
        return {item[name] for item in agenda if item.get(name)}

    return Names(
        visible=seen,
        children=Child.objects.in_bulk(seen),
        persons=PersonOfConcern.objects.in_bulk(wanted("person")),
        notices=HarbouringNotice.objects.in_bulk(wanted("notice")),
        places=Place.objects.in_bulk(wanted("place")),
        force_id=org.pk if org is not None and org.kind == "police" else None,
    )


def _day(text: str) -> str:
    try:
        value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        return text
    return f"{value.day} {value:%B %Y}"


def _detail(item: Item) -> str:
    section = item["section"]
    count = item.get("count", 0)
    if section == "repeat":
        return f"{count} episodes in {item.get('days')} days"
    if section in {"plan_review", "overdue_interview"}:
        return f"Due {_day(item.get('due', ''))}"
    if section == "notice_breached":
        return f"{count} breach{'es' if count != 1 else ''} in the period"
    if section == "hotspot":
        return (
            f"{count} children and {item.get('episodes', 0)} episodes in the period "
            f"({item.get('before', 0)} children in the period before)"
        )
    if section == "person":
        new = item.get("new", 0)
        return f"Linked to {count} of the council's children ({new} new links in the period)"
    return ""


def _label(item: Item, names: Names, shown: list[ShownChild]) -> str:
    section = item["section"]
    if section in {"notice_issued", "notice_breached"}:
        notice = names.notices.get(item.get("notice") or 0)
        ref = notice.reference if notice else "a notice"
        who = names.person(item.get("person"), item.get("children", []))
        return f"Notice {ref}, to {who}"
    if section == "person":
        return names.person(item.get("person"), item.get("children", []))
    if section == "hotspot":
        place = names.places.get(item.get("place") or 0)
        return place.name if place else f"Postcode area {item.get('area') or 'not known'}"
    return shown[0].label if shown else HIDDEN_CHILD


def show_item(item: Item, names: Names) -> ShownItem:
    shown = [names.child(c) for c in item_children(item)]
    episode = item.get("episode", "")
    if episode and not (shown and shown[0].child_id):
        episode = ""
    children = shown if item["section"] in {"notice_issued", "notice_breached", "person"} else []
    if item.get("child") and item["section"] not in {"notice_issued", "notice_breached"}:
        children = shown[:1]
    return ShownItem(item["key"], _label(item, names, shown), _detail(item), children, episode)


def shown(actor: Actor, meeting: Meeting, names: Names | None = None) -> list[ShownSection]:
    """Every section of the agenda, in order, with its items as this reader sees them
    (a section with nothing in it is kept: "nothing to discuss" is worth knowing)."""
    names = names or names_for(actor, meeting)
    by_section: dict[str, list[ShownItem]] = {key: [] for key, _ in SECTIONS}
    for item in meeting.agenda:
        if item.get("section") in by_section:
            by_section[item["section"]].append(show_item(item, names))
    return [ShownSection(key, title, by_section[key]) for key, title in SECTIONS]


def item_labels(actor: Actor, meeting: Meeting) -> list[tuple[str, str]]:
    """(key, label) for each agenda item: the choices of "about which item"."""
    names = names_for(actor, meeting)
    title = dict(SECTIONS)
    return [
        (item["key"], f"{title[item['section']]}: {show_item(item, names).label}")
        for item in meeting.agenda
        if item.get("section") in title
    ]
