"""The peer graph's drawing: the same group always draws the same, every node and line
has its title, the drawing is labelled as an image, and every text in it is escaped."""

from __future__ import annotations

import re
from datetime import date

from homeward.safeguarding.services.peers import (
    PeerChild,
    PeerGroupView,
    PeerLinkNode,
    PeerPair,
)
from homeward.safeguarding.views import peer_svg


def group() -> PeerGroupView:
    a = PeerChild(1, 11, "Amy <b>Tester</b>", is_subject=True)
    b = PeerChild(2, 12, "Ben O'Neill")
    c = PeerChild(3, 13, "Cal Tester")
    return PeerGroupView(
        identified=True,
        children_count=3,
        times_together=2,
        places_count=1,
        persons_count=1,
        children=[a, b, c],
        pairs=[
            PeerPair(a, b, 2, date(2026, 1, 10), date(2026, 2, 20), ["Flats"], []),
            PeerPair(b, c, 0, None, None, [], ["Mr Grey"]),
        ],
        links=[
            PeerLinkNode(5, "place", "Flats", [1, 2]),
            PeerLinkNode(6, "person", "Mr Grey", [2, 3]),
        ],
    )


def test_the_drawing_is_the_same_every_time_and_labelled() -> None:
    first = peer_svg.draw(group(), peer_svg.describe(group()))
    assert first == peer_svg.draw(group(), peer_svg.describe(group()))
    assert first.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="app-peers__graph"')
    assert 'role="img"' in first
    # A title for each of 3 children, 2 link nodes and the 1 line of children together.
    assert len(re.findall(r"<title>", first)) == 6
    assert (
        "<title>Amy &lt;b&gt;Tester&lt;/b&gt; and Ben O&#x27;Neill: missing together twice" in first
    )
    assert "<b>" not in first
    assert first.count("<rect") == 1  # the place
    assert first.count("<polygon") == 1  # the person of concern
    assert 'stroke-width="4"' in first  # the child asked about is ringed
