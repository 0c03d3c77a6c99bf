"""What the signed-in actor may do and where their work is: the one place that gathers it,
for the menu on every page, the links on the home page and the API's ``GET /api/v1/me``.

Each answer comes from the predicate of the app that owns the rule (children.access,
insights.access, ...); nothing here looks at a role. Templates test only the flags
(``{% if may.add_child %}``). Presentation: it imports the apps of every layer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.urls import reverse

from homeward.aftercare import access as aftercare_access
from homeward.aftercare import compliance
from homeward.case_audits import access as case_audit_access
from homeward.children import access as child_access
from homeward.children import emergency
from homeward.children import steps as child_steps
from homeward.core.actor import Actor
from homeward.episodes import access as episode_access
from homeward.episodes import steps as episode_steps
from homeward.insights import access as insights_access
from homeward.linkage import access as linkage_access
from homeward.notifications import access as notification_access
from homeward.organisations import access as organisation_access
from homeward.organisations.models import OrganisationKind
from homeward.safeguarding import access as safeguarding_access
from homeward.safeguarding.services import meetings as safeguarding_meetings
from homeward.safeguarding.services import notices as safeguarding_notices
from homeward.safeguarding.services import peers as safeguarding_peers
from homeward.safeguarding.services import persons as safeguarding_persons
from homeward.safeguarding.services import profiles as safeguarding_profiles
from homeward.themes import access as themes_access


@dataclass(frozen=True)
class May:
    """Each thing the actor may do or see, as a flag a page or an API client can test."""

    see_episodes: bool = False
    find_children: bool = False
    add_child: bool = False
    report_missing: bool = False
    ask_emergency_access: bool = False
    review_emergency_access: bool = False
    review_possible_duplicates: bool = False
    see_interviews: bool = False
    see_work_list: bool = False
    see_plan_reviews: bool = False
    set_notification_rules: bool = False
    see_figures: bool = False
    see_dashboards: bool = False
    see_board_reports: bool = False
    see_national_figures: bool = False
    administer: bool = False
    see_only_figures: bool = False
    keep_profiles: bool = False
    see_home_protocol: bool = False
    see_protocol_compliance: bool = False
    hold_meetings: bool = False
    see_meeting_actions: bool = False
    keep_persons: bool = False
    see_notices: bool = False
    see_hotspots: bool = False
    see_places: bool = False
    see_peer_groups: bool = False
    see_themes: bool = False
    audit_cases: bool = False

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


NOTHING = May()


def may(actor: Actor) -> May:
    """Everything the actor may do, from their membership alone (no query)."""
    if actor.membership is None:
        return NOTHING
    return May(
        see_episodes=episode_access.may_see_episodes(actor),
        find_children=child_access.may_find(actor),
        add_child=child_steps.add(actor).available,
        report_missing=episode_steps.report(actor).available,
        ask_emergency_access=child_access.may_ask_emergency_access(actor),
        review_emergency_access=emergency.may_review(actor),
        review_possible_duplicates=linkage_access.may_review_matches(actor),
        see_interviews=aftercare_access.may_see_interviews(actor),
        see_work_list=compliance.may_see_work_list(actor),
        see_plan_reviews=safeguarding_access.may_see_plan_reviews(actor),
        set_notification_rules=notification_access.may_set_rules(actor),
        see_figures=insights_access.may_see_figures(actor),
        see_dashboards=insights_access.may_see_dashboards(actor),
        see_board_reports=insights_access.may_see_board_reports(actor),
        see_national_figures=insights_access.may_see_national(actor),
        administer=organisation_access.may_administer(actor),
        see_only_figures=organisation_access.sees_only_figures(actor),
        keep_profiles=safeguarding_profiles.may_keep_profiles(actor),
        see_home_protocol=safeguarding_access.may_follow_protocol(actor)
        or safeguarding_access.may_keep_protocol(actor),
        see_protocol_compliance=safeguarding_access.may_see_protocol_compliance(actor),
        hold_meetings=safeguarding_meetings.may_hold(actor),
        see_meeting_actions=safeguarding_meetings.may_read_meetings(actor),
        keep_persons=safeguarding_persons.may_keep_persons(actor),
        see_notices=safeguarding_notices.may_see_notice_list(actor),
        see_hotspots=safeguarding_access.may_see_hotspots(actor),
        see_places=safeguarding_access.may_see_places(actor),
        see_peer_groups=safeguarding_peers.may_see_peers(actor),
        see_themes=themes_access.may_see_themes(actor),
        audit_cases=case_audit_access.may_audit(actor),
    )


@dataclass(frozen=True)
class OrganisationSummary:
    name: str
    code: str
    kind: str


@dataclass(frozen=True)
class Me:
    """Who the actor is, what they may do and where their work is: ``GET /api/v1/me``."""

    username: str
    name: str
    organisation: OrganisationSummary | None
    role: str | None
    role_label: str | None
    may: May
    work: list[WorkLink]


def me(actor: Actor) -> Me:
    allowed = may(actor)
    org = actor.organisation
    membership = actor.membership
    return Me(
        username=actor.user.get_username() if actor.user is not None else "",
        name=actor.label,
        organisation=OrganisationSummary(org.name, org.code, org.kind) if org else None,
        role=membership.role if membership is not None else None,
        role_label=membership.get_role_display() if membership is not None else None,
        may=allowed,
        work=work_links(actor, allowed),
    )


@dataclass(frozen=True)
class WorkLink:
    title: str
    url: str
    description: str


def work_links(actor: Actor, allowed: May | None = None) -> list[WorkLink]:
    """Where this user's work is: every page their role uses, for their home page."""
    org = actor.organisation
    if org is None:
        return []
    allowed = allowed or may(actor)
    links: list[WorkLink] = []
    if allowed.find_children:
        links.append(
            WorkLink(
                "Find a child",
                reverse("children:find"),
                "Search the children your organisation works with"
                + (
                    ", to open their record or report them missing"
                    if allowed.report_missing
                    else ""
                ),
            )
        )
    if allowed.add_child:
        links.append(
            WorkLink(
                "Add a child",
                reverse("children:add"),
                "A child who is not in Homeward yet: add them, and report them missing "
                "in the same journey",
            )
        )
    links += _aftercare_links(actor, allowed)
    if allowed.keep_profiles:
        links.append(
            WorkLink(
                "Missing profiles to review",
                reverse("safeguarding:profiles-attention"),
                "The missing profiles your organisation keeps that are past their review "
                "date or have no photograph",
            )
        )
    links += _persons_links(allowed)
    if allowed.review_emergency_access:
        links.append(
            WorkLink(
                "Emergency access",
                reverse("children:emergency-reviews"),
                "Review who opened your council's children's records in an emergency",
            )
        )
    if allowed.review_possible_duplicates:
        links.append(
            WorkLink(
                "Possible duplicate records",
                reverse("linkage:queue"),
                "Records that may be the same child as one of your council's: compare them "
                "and decide",
            )
        )
    links += _meeting_links(allowed)
    if allowed.audit_cases:
        links.append(WorkLink("Case audits", reverse("case_audits:list"), _AUDIT_TEXT))
    links += _figures_links(actor, allowed)
    links += _theme_links(allowed)
    if allowed.administer:
        links.append(
            WorkLink(
                "Users",
                reverse("organisations:users"),
                f"Add people to {org.name}, change their roles, reset their sign-in",
            )
        )
    return links


_AUDIT_TEXT = "Audit a random sample of cases against the standard, as the inspectors do"


def _aftercare_links(actor: Actor, allowed: May) -> list[WorkLink]:
    org = actor.organisation
    assert org is not None
    links: list[WorkLink] = []
    if allowed.see_interviews:
        links.append(
            WorkLink(
                "Return interviews",
                reverse("aftercare:interviews"),
                "The return home interviews assigned to "
                + ("you" if org.kind == OrganisationKind.RHI_PROVIDER else "your council")
                + ", with their 72-hour clocks",
            )
        )
    if allowed.see_work_list:
        links.append(
            WorkLink(
                "Checks and interviews",
                reverse("aftercare:work_list"),
                "Overdue safe and well checks and return interviews, and the figures",
            )
        )
    if allowed.see_plan_reviews:
        links.append(
            WorkLink(
                "Plans to review",
                reverse("safeguarding:plan_reviews"),
                "Children's risk management plans to review, or to write",
            )
        )
    links += _protocol_links(actor, allowed)
    if allowed.see_peer_groups:
        links.append(
            WorkLink(
                "Children who go missing together",
                reverse("safeguarding:peer_groups"),
                "Groups of your children who go missing together, and the places and "
                "persons of concern that link them",
            )
        )
    links += _place_links(allowed)
    return links


def _place_links(allowed: May) -> list[WorkLink]:
    links: list[WorkLink] = []
    if allowed.see_hotspots:
        links.append(
            WorkLink(
                "Hotspots",
                reverse("safeguarding:hotspots"),
                "Places and areas where several children were found or stayed while missing, "
                "as a table and a map",
            )
        )
    if allowed.see_places:
        links.append(
            WorkLink(
                "Places",
                reverse("safeguarding:places"),
                "Places in children's episodes: find one, record one, see its links",
            )
        )
    return links


def _meeting_links(allowed: May) -> list[WorkLink]:
    links: list[WorkLink] = []
    if allowed.hold_meetings:
        links.append(
            WorkLink(
                "Meetings",
                reverse("safeguarding:meetings"),
                "Missing children panels, exploitation and strategy meetings: open the next, "
                "with its agenda built from the records",
            )
        )
    if allowed.see_meeting_actions:
        links.append(
            WorkLink(
                "Your actions from meetings",
                reverse("safeguarding:meeting-actions"),
                "The actions meetings gave you, until you mark them done",
            )
        )
    return links


def _protocol_links(actor: Actor, allowed: May) -> list[WorkLink]:
    links: list[WorkLink] = []
    if allowed.see_home_protocol:
        links.append(
            WorkLink(
                "Our missing protocol",
                reverse("safeguarding:protocol-home"),
                "The steps staff take when a child is missing from the home"
                + (", and how soon a manager signs off" if allowed.see_protocol_compliance else ""),
            )
        )
    if allowed.see_protocol_compliance:
        org = actor.organisation
        home = org is not None and org.kind == OrganisationKind.CARE_PROVIDER
        links.append(
            WorkLink(
                "Protocol compliance",
                reverse("safeguarding:protocol-compliance"),
                "How the home's protocol was followed: steps, time to tell the police, sign-offs"
                if home
                else "How homes followed their missing protocols for your council's children "
                "and the homes in your area",
            )
        )
    return links


def _figures_links(actor: Actor, allowed: May) -> list[WorkLink]:
    org = actor.organisation
    assert org is not None
    links: list[WorkLink] = []
    if allowed.see_dashboards:
        national = org.kind == OrganisationKind.NATIONAL
        links.append(
            WorkLink(
                "National figures" if national else "Figures",
                reverse("insights:dashboard"),
                "Episodes, children and return interviews across England, small numbers suppressed"
                if national
                else "Episodes, children and return interviews in your area, by period",
            )
        )
        if national:
            links.append(
                WorkLink(
                    "Download the national figures",
                    reverse("insights:national-csv"),
                    "The same figures as a spreadsheet (CSV), for this financial year",
                )
            )
    if allowed.see_board_reports:
        links.append(
            WorkLink(
                "Board reports",
                reverse("insights:board"),
                f"{org.name}'s quarterly reports for the corporate parenting board",
            )
        )
    return links


def _persons_links(allowed: May) -> list[WorkLink]:
    links: list[WorkLink] = []
    if allowed.keep_persons:
        links.append(
            WorkLink(
                "Persons of concern",
                reverse("safeguarding:persons"),
                "The adults linked to the children you may see, with the source of each "
                "link and how it is graded",
            )
        )
    if allowed.see_notices:
        links.append(
            WorkLink(
                "Harbouring notices",
                reverse("safeguarding:notices"),
                "Child Abduction Warning Notices: live, due their review, breached",
            )
        )
    return links


def _theme_links(allowed: May) -> list[WorkLink]:
    links: list[WorkLink] = []
    if allowed.see_themes:
        links.append(
            WorkLink(
                "Themes in what children say",
                reverse("themes:index"),
                "Children's words from return interviews grouped into themes: name and "
                "correct them, and link them to what was done",
            )
        )
    if allowed.see_dashboards:
        links.append(
            WorkLink(
                "Themes over time",
                reverse("themes:over-time"),
                "Push and pull factors, risks and what children said would help, quarter "
                "by quarter, by age, sex, placement and area",
            )
        )
    return links
