"""The peer graph drawn on the server, as SVG: no script, no outside service.

A fixed layout, so the same group always draws the same: the children on a circle in the
order of their person key (from the top, clockwise), places and persons of concern on an
inner circle in the order place then person, each by key. A line between two children who
went missing together is thicker the more often they did, and carries the count
(two fifths of the way along); a dashed
line joins a place (square) or a person of concern (diamond) to each child linked to it.
Every node and line has a ``<title>``; the drawing as a whole is ``role="img"`` with an
``aria-label``, and the page gives the same facts as a table."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from homeward.core.templatetags.govuk import uk_date
from homeward.safeguarding.services.peers import PeerChild, PeerGroupView, PeerLinkNode

WIDTH, HEIGHT = 720, 520
CX, CY = WIDTH / 2, HEIGHT / 2
OUTER, INNER = 190.0, 80.0
CHILD_R, LINK_R = 16, 12
INK, CHILD_FILL, PLACE_FILL, PERSON_FILL, LINE = (
    "#0b0c0c",
    "#1d70b8",
    "#00703c",
    "#d4351c",
    "#505a5f",
)


def _spot(index: int, count: int, radius: float, turn: float = 0.0) -> tuple[float, float]:
    """Place ``index`` of ``count`` on a circle, from the top (turned by ``turn`` radians)."""
    if count == 1 and not turn:
        return CX, CY
    angle = -math.pi / 2 + turn + 2 * math.pi * index / count
    return round(CX + radius * math.cos(angle), 1), round(CY + radius * math.sin(angle), 1)


def _names(keys: list[int], kids: dict[int, PeerChild]) -> str:
    names = [kids[k].name for k in keys if k in kids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _pair_lines(group: PeerGroupView, spots: dict[int, tuple[float, float]]) -> list[str]:
    out = []
    for pair in group.pairs:
        if pair.together == 0:
            continue
        (x1, y1), (x2, y2) = spots[pair.a.key], spots[pair.b.key]
        width = 1 + 2 * min(pair.together, 5)
        title = (
            f"{pair.a.name} and {pair.b.name}: missing together {_times(pair.together)}, "
            f"first {uk_date(pair.first)}, last {uk_date(pair.last)}"
        )
        # The count 40% of the way from the first child: two lines crossing at the centre
        # (children opposite each other) keep their counts apart.
        mx, my = round(x1 + 0.4 * (x2 - x1), 1), round(y1 + 0.4 * (y2 - y1), 1)
        out.append(
            f'<g class="app-peers__pair"><title>{escape(title)}</title>'
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{LINE}" '
            f'stroke-width="{width}" stroke-linecap="round"/>'
            f'<circle cx="{mx}" cy="{my}" r="11" fill="#ffffff" stroke="{LINE}"/>'
            f'<text x="{mx}" y="{my + 4}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{pair.together}</text></g>'
        )
    return out


def _link_node(node: PeerLinkNode, x: float, y: float, kids: dict[int, PeerChild]) -> str:
    what = "Place" if node.kind == "place" else "Person of concern"
    title = f"{what}: {node.name}, linked to {_names(node.children, kids)}"
    if node.kind == "place":
        shape = (
            f'<rect x="{x - LINK_R}" y="{y - LINK_R}" width="{2 * LINK_R}" '
            f'height="{2 * LINK_R}" fill="{PLACE_FILL}"/>'
        )
    else:
        r = LINK_R + 3
        points = f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
        shape = f'<polygon points="{points}" fill="{PERSON_FILL}"/>'
    label = escape(node.name[:28])
    return (
        f'<g class="app-peers__{node.kind}"><title>{escape(title)}</title>{shape}'
        f'<text x="{x}" y="{y + LINK_R + 16}" text-anchor="middle" font-size="13" '
        f'fill="{INK}">{label}</text></g>'
    )


def _link_lines(
    node: PeerLinkNode, x: float, y: float, spots: dict[int, tuple[float, float]]
) -> list[str]:
    return [
        f'<line x1="{x}" y1="{y}" x2="{spots[k][0]}" y2="{spots[k][1]}" stroke="{LINE}" '
        'stroke-width="1.5" stroke-dasharray="5 4"/>'
        for k in node.children
        if k in spots
    ]


def _child_node(child: PeerChild, x: float, y: float, together: int) -> str:
    title = f"{child.name}: missing with others of the group {_times(together)}"
    if together == 0:
        title = f"{child.name}: linked to the group by a place or a person"
    below = y >= CY
    ty = y + CHILD_R + 18 if below else y - CHILD_R - 8
    ring = f' stroke="{INK}" stroke-width="4"' if child.is_subject else ""
    return (
        f'<g class="app-peers__child"><title>{escape(title)}</title>'
        f'<circle cx="{x}" cy="{y}" r="{CHILD_R}" fill="{CHILD_FILL}"{ring}/>'
        f'<text x="{x}" y="{ty}" text-anchor="middle" font-size="15" font-weight="bold" '
        f'fill="{INK}">{escape(child.name)}</text></g>'
    )


def draw(group: PeerGroupView, label: str) -> SafeString:
    """The group as an SVG drawing (only for a group the viewer may see in full)."""
    kids = {c.key: c for c in group.children}
    spots = {c.key: _spot(i, len(group.children), OUTER) for i, c in enumerate(group.children)}
    # The inner ring turned by half a step, so that its nodes sit off the lines between
    # children opposite each other.
    turn = math.pi / max(len(group.links), 1) / 2 + math.pi / max(len(group.children), 1) / 2
    link_spots = [_spot(i, len(group.links), INNER, turn) for i in range(len(group.links))]
    counts: dict[int, int] = dict.fromkeys(kids, 0)
    for pair in group.pairs:
        counts[pair.a.key] += pair.together
        counts[pair.b.key] += pair.together
    parts: list[str] = []
    for node, (x, y) in zip(group.links, link_spots, strict=True):
        parts += _link_lines(node, x, y, spots)
    parts += _pair_lines(group, spots)
    parts += [_link_node(n, x, y, kids) for n, (x, y) in zip(group.links, link_spots, strict=True)]
    parts += [_child_node(c, *spots[c.key], counts[c.key]) for c in group.children]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-peers__graph" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'font-family="Arial, sans-serif">' + "".join(parts) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped


def describe(group: PeerGroupView) -> str:
    """The drawing's label: what it shows, in a sentence."""
    kids = {c.key: c for c in group.children}
    names = _names([c.key for c in group.children], kids)
    return (
        f"Who goes missing with whom: {names}. {len(group.pairs)} pairs, "
        f"{group.places_count} shared places and {group.persons_count} persons of concern "
        "linking them. The tables below give the same."
    )
