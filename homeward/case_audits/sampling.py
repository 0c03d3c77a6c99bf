"""Drawing a case audit's sample: reproducible from its seed.

The population is the council's episodes that started in the period (the episode facts
the figures count, ``homeward.insights``), or the children with at least one of them. It
is ordered by id, so the same records always make the same list; it is split into strata
when asked (looked after or not, placed out of area or not, repeat or not), each stratum
gets its share of the sample in proportion to its size (largest remainders, ties to the
stratum named first), and ``random.Random(seed)`` draws from each stratum in turn. Same
seed and same records, same sample; docs/case-audit.md."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from homeward.case_audits.models import Stratum, Unit
from homeward.episodes.models import Episode
from homeward.insights.counting import is_looked_after
from homeward.insights.models import EpisodeFact

MAX_SIZE = 200


@dataclass(frozen=True)
class Candidate:
    """One case that may be drawn: an episode (with its child) or a child."""

    key: int  # the episode's id for a sample of episodes, the child's for children
    child_id: int
    episode_id: int | None
    looked_after: bool
    out_of_area: bool
    repeat: bool

    def stratum(self, strata: list[str]) -> str:
        values = {
            Stratum.LOOKED_AFTER: self.looked_after,
            Stratum.OUT_OF_AREA: self.out_of_area,
            Stratum.REPEAT: self.repeat,
        }
        return "|".join(f"{s}={'yes' if values[Stratum(s)] else 'no'}" for s in strata)


def population(council_id: int, unit: str, start: date, end: date) -> list[Candidate]:
    """The cases of the council in the period, ordered by id."""
    facts = list(
        EpisodeFact.objects.filter(
            council_id=council_id, start_date__gte=start, start_date__lte=end
        )
        .order_by("start_at", "episode_id")
        .values_list("episode_id", "legal_status", "out_of_area", "rolling_repeat")
    )
    from_episode = _children_of([f[0] for f in facts])
    episodes = [
        Candidate(pk, from_episode[pk], pk, is_looked_after(status), out, repeat)
        for pk, status, out, repeat in facts
        if pk in from_episode
    ]
    if unit == Unit.EPISODES:
        return sorted(episodes, key=lambda c: c.key)
    return _children(episodes)


def _children_of(episode_ids: list[int]) -> dict[int, int]:
    return dict(Episode.objects.filter(pk__in=episode_ids).values_list("pk", "child_id"))


def _children(episodes: list[Candidate]) -> list[Candidate]:
    """One candidate per child: as their first episode in the period says, and a repeat
    runner if any episode met the repeat rule or they had 3 or more in the period."""
    by_child: dict[int, list[Candidate]] = defaultdict(list)
    for episode in episodes:  # in order of start
        by_child[episode.child_id].append(episode)
    children = []
    for child_id, theirs in by_child.items():
        first = theirs[0]
        repeat = len(theirs) >= 3 or any(e.repeat for e in theirs)
        children.append(
            Candidate(child_id, child_id, None, first.looked_after, first.out_of_area, repeat)
        )
    return sorted(children, key=lambda c: c.key)


def allocate(sizes: dict[str, int], size: int) -> dict[str, int]:
    """Proportional allocation of ``size`` over strata of ``sizes``: each its floor of
    size x share, the rest one each to the largest remainders (ties: key order)."""
    total = sum(sizes.values())
    size = min(size, total)
    if total == 0:
        return dict.fromkeys(sizes, 0)
    keys = sorted(sizes)
    exact = {key: size * sizes[key] / total for key in keys}
    shares = {key: int(exact[key]) for key in keys}
    rest = size - sum(shares.values())
    for key in sorted(keys, key=lambda k: (-(exact[k] - shares[k]), k))[:rest]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class Drawn:
    candidate: Candidate
    stratum: str


def draw(candidates: list[Candidate], size: int, strata: list[str], seed: int) -> list[Drawn]:
    """The sample: ``size`` cases (or all, if fewer), allocated across ``strata``."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.key):
        groups[candidate.stratum(strata)].append(candidate)
    shares = allocate({key: len(members) for key, members in groups.items()}, size)
    rng = random.Random(seed)
    drawn: list[Drawn] = []
    for key in sorted(groups):
        drawn += [Drawn(c, key) for c in rng.sample(groups[key], shares[key])]
    return drawn


def new_seed() -> int:
    """A fresh seed for an audit that was not given one (kept with the audit)."""
    return random.SystemRandom().randrange(1, 2**31)
