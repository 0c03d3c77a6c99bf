"""The demo's themes: the theme grouping run over every council's interviews (through the
real run), a few themes named by the demo coordinator and one corrected item, and two
"You said, we did" links to what the demo panel decided and did (through the real
services, so they are audited as any coordinator's would be)."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.organisations.models import User
from homeward.safeguarding.models import MeetingAction, MeetingDecision
from homeward.seed.plan import Area
from homeward.themes.models import LinkKind, Theme
from homeward.themes.services import edits, links, runs

# A word a theme's key terms would hold, and the name the coordinator gives it.
NAMES = (
    ("older", "Older people giving lifts, money and things"),
    ("talk", "Someone to talk to who listens"),
    ("mum", "Missing family"),
    ("school", "Trouble at school"),
)


def _coordinator() -> Actor | None:
    user = User.objects.filter(username="council.coordinator").first()
    return Actor.for_user(user) if user is not None else None


def _name(actor: Actor) -> dict[str, Theme]:
    council = actor.organisation
    named: dict[str, Theme] = {}
    for word, name in NAMES:
        theme = next(
            (
                t
                for t in Theme.objects.filter(council=council, merged_into=None, name="")
                if any(word in term for term in t.terms[:3])
            ),
            None,
        )
        if theme is not None:
            named[word] = edits.name_theme(actor, theme.pk, name)
    return named


def write_themes(area: Area) -> None:
    runs.run_all()
    actor = _coordinator()
    if actor is None or actor.organisation is None:
        return
    named = _name(actor)
    day = area.clock.today
    decision = MeetingDecision.objects.filter(meeting__council=actor.organisation).first()
    if "older" in named and decision is not None:
        links.link(
            actor,
            links.LinkInput(
                f"theme-{named['older'].pk}",
                LinkKind.DECISION,
                decision.pk,
                "Children who told us older people give them lifts, money and things were "
                "referred to the exploitation meeting, and their plans reviewed.",
                day,
            ),
        )
    action = MeetingAction.objects.filter(
        meeting__council=actor.organisation, text__icontains="youth worker"
    ).first()
    if "talk" in named and action is not None:
        links.link(
            actor,
            links.LinkInput(
                f"theme-{named['talk'].pk}",
                LinkKind.ACTION,
                action.pk,
                "A youth worker now visits children who asked for someone to talk to.",
                day,
            ),
        )
