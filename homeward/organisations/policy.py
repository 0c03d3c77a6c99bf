"""The access policy's rules: what each role may do, what of a child's record each kind
of organisation sees, and how long a relationship lasts.

A user sees a child only through a relationship between their organisation and that
child; their role decides what they may do with it. The queries that apply these rules
to the records live beside the records, in the apps above this one:
``homeward.children.visibility`` (``visible_children``, ``can``, ``get_child``) and
``homeward.episodes.visibility`` (``visible_episodes``, ``episode_outlines``,
``get_episode``), with the relationships of higher apps registered on them
(docs/architecture.md, "Reads"). The web UI and the API both reach them through the
service functions, so there is a single answer everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied
from homeward.organisations.models import OrganisationKind, Role


class Action(StrEnum):
    SEE_IDENTITY = "see_identity"
    SEE_EPISODES = "see_episodes"
    CREATE_CHILD = "create_child"
    UPDATE_CHILD = "update_child"
    REPORT = "report"
    UPDATE_EPISODE = "update_episode"
    REGRADE = "regrade"
    RECORD_RETURN = "record_return"
    CLOSE = "close"
    RECORD_CHECK = "record_check"
    RECORD_INTERVIEW = "record_interview"
    MANAGE_INTERVIEWS = "manage_interviews"
    EXPORT = "export"
    ADMINISTER = "administer"
    SEE_AGGREGATES = "see_aggregates"
    # Decide whether two records are one child, link them, unlink them (homeward.linkage).
    LINK_RECORDS = "link_records"
    # Before the next time (homeward.safeguarding): keep a child's missing profile, keep
    # their risk management plan, print the police briefing sheet, agree a public appeal,
    # follow a home's missing protocol, write it, and sign off each time it was followed.
    KEEP_PROFILE = "keep_profile"
    KEEP_PLAN = "keep_plan"
    SEE_BRIEFING = "see_briefing"
    AGREE_APPEAL = "agree_appeal"
    FOLLOW_PROTOCOL = "follow_protocol"
    KEEP_PROTOCOL = "keep_protocol"
    SIGN_OFF_PROTOCOL = "sign_off_protocol"
    # Around the child (homeward.safeguarding): record a place in a child's story, see
    # the hotspots of the organisation's area, keep persons of concern, issue and keep
    # harbouring notices (Child Abduction Warning Notices), record a breach of one, see
    # who goes missing with whom, and hold the council's multi-agency meetings.
    RECORD_PLACE = "record_place"
    SEE_HOTSPOTS = "see_hotspots"
    KEEP_PERSONS = "keep_persons"
    ISSUE_NOTICE = "issue_notice"
    RECORD_BREACH = "record_breach"
    SEE_PEERS = "see_peers"
    HOLD_MEETING = "hold_meeting"
    # The child's own account (homeward.aftercare): give the child a private link for
    # their own account of one return interview (or revoke it), and record that the child
    # withdrew their consent to their words being used.
    OFFER_OWN_ACCOUNT = "offer_own_account"
    WITHDRAW_CONSENT = "withdraw_consent"
    # Themes in what children say (homeward.themes): see the council's themes and the
    # words behind them, and name, merge and correct them and link them to what answered.
    SEE_THEMES = "see_themes"
    KEEP_THEMES = "keep_themes"
    # Audit a sample of a council's cases against the written standard (homeward.case_audits):
    # draw the sample, judge each case, read the report, close the audit.
    AUDIT_CASES = "audit_cases"


_PRACTITIONER_READ = {Action.SEE_IDENTITY, Action.SEE_EPISODES}
_REPORTING = _PRACTITIONER_READ | {
    Action.REPORT,
    Action.UPDATE_EPISODE,
    Action.RECORD_RETURN,
    Action.RECORD_PLACE,
}
_POLICE = _REPORTING | {
    Action.REGRADE,
    Action.CREATE_CHILD,
    Action.SEE_BRIEFING,
    Action.SEE_HOTSPOTS,
    Action.RECORD_BREACH,
    Action.SEE_PEERS,
}
_POLICE_LEAD = _POLICE | {
    Action.CLOSE,
    Action.RECORD_CHECK,
    Action.KEEP_PERSONS,
    Action.ISSUE_NOTICE,
}
_COUNCIL = _REPORTING | {
    Action.SEE_HOTSPOTS,
    Action.SEE_PEERS,
    Action.CLOSE,
    Action.CREATE_CHILD,
    Action.UPDATE_CHILD,
    Action.KEEP_PROFILE,
    Action.KEEP_PLAN,
}
_COUNCIL_LEAD = _COUNCIL | {
    Action.RECORD_INTERVIEW,
    Action.MANAGE_INTERVIEWS,
    Action.EXPORT,
    Action.SEE_AGGREGATES,
    Action.LINK_RECORDS,
    Action.AGREE_APPEAL,
    Action.KEEP_PERSONS,
    Action.HOLD_MEETING,
    Action.OFFER_OWN_ACCOUNT,
    Action.WITHDRAW_CONSENT,
    Action.AUDIT_CASES,
}
_HOME = _REPORTING | {Action.KEEP_PROFILE, Action.FOLLOW_PROTOCOL}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.POLICE_CALL_HANDLER: frozenset(_POLICE),
    Role.POLICE_OFFICER: frozenset(_POLICE_LEAD),
    Role.POLICE_MISSING_COORDINATOR: frozenset(_POLICE_LEAD | {Action.SEE_AGGREGATES}),
    Role.SOCIAL_WORKER: frozenset(_COUNCIL),
    Role.COUNCIL_MISSING_COORDINATOR: frozenset(_COUNCIL_LEAD),
    Role.COUNCIL_MANAGER: frozenset(_COUNCIL_LEAD),
    Role.CARE_STAFF: frozenset(_HOME),
    Role.CARE_MANAGER: frozenset(
        _HOME | {Action.CLOSE, Action.KEEP_PROTOCOL, Action.SIGN_OFF_PROTOCOL}
    ),
    Role.RHI_WORKER: frozenset(
        _PRACTITIONER_READ
        | {
            Action.RECORD_INTERVIEW,
            Action.RECORD_PLACE,
            Action.OFFER_OWN_ACCOUNT,
            Action.WITHDRAW_CONSENT,
        }
    ),
    Role.BOARD_MEMBER: frozenset({Action.SEE_AGGREGATES}),
    Role.NATIONAL_ANALYST: frozenset({Action.SEE_AGGREGATES}),
    Role.ORG_ADMIN: frozenset({Action.ADMINISTER}),
    # Nothing but case audits: the sampled children are seen only through an audit's grant.
    Role.INSPECTOR: frozenset({Action.AUDIT_CASES}),
}

# Themes: the council's missing coordinator keeps them; its managers read them.
ROLE_ACTIONS[Role.COUNCIL_MISSING_COORDINATOR] |= {Action.SEE_THEMES, Action.KEEP_THEMES}
ROLE_ACTIONS[Role.COUNCIL_MANAGER] |= {Action.SEE_THEMES}

# Roles that never reach a child's identity, by any route.
AGGREGATE_ONLY_ROLES = frozenset({Role.BOARD_MEMBER, Role.NATIONAL_ANALYST})


def role_allows(actor: Actor, action: Action) -> bool:
    return actor.role is not None and action in ROLE_ACTIONS.get(actor.role, frozenset())


# The organisation that adds a child keeps a relationship with them this long: enough to
# report them missing (after which the report is the relationship), not a standing access.
ADDED_CHILD_ACCESS = timedelta(hours=24)

# A return-interview provider keeps access this long after its interview closes.
INTERVIEW_ACCESS_AFTER_CLOSE = timedelta(days=30)

# Kinds of organisation that know a visible child's other episodes only in outline (when,
# not where, who or why): a home and an interviewer need the history, not the addresses.
OUTLINE_KINDS = frozenset({OrganisationKind.CARE_PROVIDER, OrganisationKind.RHI_PROVIDER})


@dataclass(frozen=True)
class ChildView:
    """Which parts of a child's record an actor sees, beyond the identity every
    relationship sees (names, other names, date of birth, sex, ethnicity, responsible
    council). docs/access.md gives the reasons, field by field."""

    # NHS number and unique pupil number.
    health_and_school_numbers: bool
    # Every agency's reference for the child; otherwise only the actor's organisation's.
    all_references: bool
    # Past placements, past allocated workers and past legal statuses; otherwise only the
    # current ones.
    history: bool


FULL_VIEW = ChildView(health_and_school_numbers=True, all_references=True, history=True)
_VIEWS: dict[str, ChildView] = {
    OrganisationKind.COUNCIL: FULL_VIEW,
    OrganisationKind.POLICE: FULL_VIEW,
    # The home looks after the child's health and schooling now; not their past.
    OrganisationKind.CARE_PROVIDER: ChildView(
        health_and_school_numbers=True, all_references=False, history=False
    ),
    # An interviewer needs to know who the child is and where to find them, no more.
    OrganisationKind.RHI_PROVIDER: ChildView(
        health_and_school_numbers=False, all_references=False, history=False
    ),
}
NO_VIEW = ChildView(health_and_school_numbers=False, all_references=False, history=False)


def child_view(actor: Actor) -> ChildView:
    """What of a visible child's record this actor sees (the same for every child they
    see: it follows the kind of organisation, whichever relationship lets them in)."""
    org = actor.organisation
    if org is None or not role_allows(actor, Action.SEE_IDENTITY):
        return NO_VIEW
    return _VIEWS.get(org.kind, NO_VIEW)


@dataclass(frozen=True)
class Step:
    """Whether an actor can take one step now and, when their role allows it but the
    record's state does not yet, why not, in words to show them. Pages offer a step only
    when it is ``available``; the service refuses it with the same words."""

    allowed: bool  # the role allows it
    reason: str = ""  # why not now, when the role allows it; blank when it can be done

    @property
    def available(self) -> bool:
        return self.allowed and not self.reason

    @property
    def waiting(self) -> bool:
        """Allowed, but not yet: show the reason instead of the button."""
        return self.allowed and bool(self.reason)

    def __bool__(self) -> bool:
        return self.available


def step(actor: Actor, action: Action, *reasons_not_yet: str) -> Step:
    """The step for ``action``: refused by role, waiting for the first reason given, or
    available. Pass the reasons the record's state gives, most fundamental first."""
    if not role_allows(actor, action):
        return Step(allowed=False)
    for reason in reasons_not_yet:
        if reason:
            return Step(allowed=True, reason=reason)
    return Step(allowed=True)


def require_role(actor: Actor, action: Action) -> None:
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")
