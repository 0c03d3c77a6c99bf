"""Every read of identifying data writes an audit event naming the reader and the child.

Each read path (web page, API operation, command) is driven for real, and the test looks
for a new AuditEvent with the child's id and the reader. The path lists are checked against
the service's own URL patterns, OpenAPI document and commands, so a page, endpoint or
command added later fails here until someone says whether it reads children (and then
drives it) or why it does not."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.db.models import Max
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.audit import services as audit_services
from homeward.audit.models import AuditEvent
from homeward.case_audits.services import audits as case_audits
from homeward.children import emergency
from homeward.children.models import Child, EmergencyAccess
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes import services as episodes
from homeward.organisations.models import Organisation, OrganisationKind, Role, User
from homeward.safeguarding.models import PlaceLink
from homeward.safeguarding.services import appeals, protocols, runs
from homeward.themes.models import Theme, ThemeItem
from tests import factories
from tests.actors import user_of
from tests.aftercare.own_account_helpers import give_own_account
from tests.factories import report
from tests.safeguarding import factories_places as places_factory

pytestmark = pytest.mark.django_db

REASON = "Found in our area overnight, need the child's medical needs now"


@dataclass
class World:
    child: Child
    council: Organisation
    worker: User
    coordinator: User
    officer: User
    rhi: User
    outsider: User
    open_ref: str
    returned_ref: str
    interview_id: int
    tmp: Path
    home_staff: User

    def web(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def api(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {factories.api_token(user)}"}


@pytest.fixture
def world(db: None, tmp_path: Path) -> World:
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    home = factories.CareProviderFactory(area_council=council)
    rhi_org = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews Ltd", code="RHI-1"
    )
    child = factories.ChildFactory(
        responsible_council=council,
        first_name="Marigold",
        last_name="Thistlewood",
        nhs_number="9434765919",
    )
    factories.looked_after(child)
    factories.place(child, provider=home, host=council)
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    returned = report(worker, child, hours_ago=72)
    returned = episodes.record_return(
        worker,
        returned.reference,
        returned.version,
        episodes.Return(
            returned_at=returned.last_seen_at + timedelta(hours=5), return_method="returned_self"
        ),
    )
    interview = returned.return_interviews.get()
    aftercare.assign_provider(coordinator, interview.pk, rhi_org.pk)
    current = report(worker, child, hours_ago=3)
    home_staff = _home_protocol_started(home, current.reference)
    return World(
        child=child,
        council=council,
        worker=user_of(worker),
        coordinator=user_of(coordinator),
        officer=factories.member(Role.POLICE_OFFICER, police),
        rhi=factories.member(Role.RHI_WORKER, rhi_org),
        outsider=factories.member(Role.POLICE_OFFICER, factories.PoliceForceFactory()),
        open_ref=current.reference,
        returned_ref=returned.reference,
        interview_id=interview.pk,
        tmp=tmp_path,
        home_staff=home_staff,
    )


def _home_protocol_started(home: Organisation, reference: str) -> User:
    """The child's home writes its missing protocol and starts it for the open episode."""
    manager = factories.actor(Role.CARE_MANAGER, home)
    protocols.save_home_protocol(manager, protocols.default_steps(), sign_off_hours=24)
    staff = factories.actor(Role.CARE_STAFF, home)
    runs.start_run(staff, reference)
    return user_of(staff)


# A driver reads the child through one path and returns (HTTP status or None for a
# command, the reader or None for the command line).
Driver = Callable[[World], tuple[int | None, User | None]]


def page(url: str, who: str = "worker") -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        user = getattr(w, who)
        return w.web(user).get(url.format(w=w)).status_code, user

    return drive


def api_get(url: str, who: str = "worker") -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        user = getattr(w, who)
        return Client().get(url.format(w=w), headers=w.api(user)).status_code, user

    return drive


def search_page(w: World) -> tuple[int | None, User | None]:
    return w.web(w.worker).post("/children/", {"q": "Thistlewood"}).status_code, w.worker


def search_api(w: World) -> tuple[int | None, User | None]:
    response = Client().post(
        "/api/v1/children/search",
        json.dumps({"q": "Thistlewood"}),
        content_type="application/json",
        headers=w.api(w.worker),
    )
    return response.status_code, w.worker


def own_account_withdraw_page(w: World) -> tuple[int | None, User | None]:
    # Test set-up: the withdrawal form is drawn only for an account the child shared.
    give_own_account(w.interview_id, Actor.for_user(w.rhi))
    return page("/aftercare/interviews/{w.interview_id}/own-account/withdraw", "rhi")(w)


def emergency_page(w: World) -> tuple[int | None, User | None]:
    response = w.web(w.outsider).post(
        "/children/emergency-access", {"identifier": "9434765919", "reason": REASON}
    )
    return (200 if response.status_code == 302 else response.status_code), w.outsider


def emergency_api(w: World) -> tuple[int | None, User | None]:
    response = Client().post(
        "/api/v1/children/emergency-access",
        json.dumps({"identifier": "9434765919", "reason": REASON}),
        content_type="application/json",
        headers=w.api(w.outsider),
    )
    return (200 if response.status_code == 201 else response.status_code), w.outsider


def _outsider_opens(w: World) -> EmergencyAccess:
    from homeward.core.actor import Actor

    return emergency.open_emergency_access(Actor.for_user(w.outsider), "9434765919", REASON)


def review_list_page(w: World) -> tuple[int | None, User | None]:
    _outsider_opens(w)
    return page("/children/emergency-access/reviews", "coordinator")(w)


def review_list_api(w: World) -> tuple[int | None, User | None]:
    _outsider_opens(w)
    return api_get("/api/v1/children/emergency-access", "coordinator")(w)


def review_page(w: World) -> tuple[int | None, User | None]:
    access = _outsider_opens(w)
    response = w.web(w.coordinator).post(
        f"/children/emergency-access/{access.pk}/review",
        {f"access-{access.pk}-note": "Justified: found at night"},
    )
    return (200 if response.status_code == 302 else response.status_code), w.coordinator


def accepted_interview_form(w: World) -> tuple[int | None, User | None]:
    # Test set-up: the record form is drawn only for an accepted interview.
    ReturnInterview.objects.filter(pk=w.interview_id).update(
        status=InterviewStatus.ACCEPTED, offered_at=clock.now()
    )
    return page("/aftercare/interviews/{w.interview_id}/interview", "coordinator")(w)


def inbox_page(w: World) -> tuple[int | None, User | None]:
    from tests.notifications.conftest import drain

    drain(fire_due_clocks=False)  # the worker tells the coordinator of the reports
    return page("/notifications/", "coordinator")(w)


def _collection_year() -> int:
    today = clock.now().date()
    return today.year + 1 if today.month >= 4 else today.year


def export_903(w: World) -> tuple[int | None, User | None]:
    call_command(
        "export_903",
        "--council",
        w.council.code,
        "--year",
        str(_collection_year()),
        "--out",
        str(w.tmp / "903"),
        stdout=open(w.tmp / "out.txt", "w"),  # noqa: SIM115
    )
    return None, None


def audit_export(w: World) -> tuple[int | None, User | None]:
    call_command(
        "audit",
        "export",
        "--child",
        str(w.child.pk),
        "--out",
        str(w.tmp / "trail.csv"),
        stdout=open(w.tmp / "out.txt", "w"),  # noqa: SIM115
    )
    return None, None


def _pair(w: World) -> int:
    """A pair in the coordinator's review queue: the child and a record a force made."""
    from homeward.linkage import services as linkage

    other = factories.ChildFactory(responsible_council=factories.CouncilFactory())
    candidate = linkage.queue_match(
        w.child.pk, other.pk, probability=0.9, match_weight=6.0, evidence=[], source="run"
    )
    assert candidate is not None
    return candidate.pk


def pair_page(w: World) -> tuple[int | None, User | None]:
    return page(f"/possible-duplicates/{_pair(w)}/", "coordinator")(w)


def pair_api(w: World) -> tuple[int | None, User | None]:
    return api_get(f"/api/v1/possible-duplicates/{_pair(w)}", "coordinator")(w)


def _planned(w: World) -> int:
    """The child's plan, written by their social worker (test set-up), and a review of it."""
    from homeward.core.actor import Actor
    from homeward.safeguarding.models import ReviewTrigger
    from homeward.safeguarding.services import plans, reviews

    plans.save_plan(
        Actor.for_user(w.worker),
        w.child.pk,
        plans.PlanInput(
            risks="Exploitation",
            if_missing=["Ring her aunt"],
            review_date=clock.now().date() + timedelta(days=30),
            owner_id=w.worker.pk,
        ),
        None,
    )
    reviews.open_review(w.child, ReviewTrigger.HIGH_RISK, "high_risk:read-paths")
    from homeward.safeguarding.models import PlanReview

    return PlanReview.objects.get().pk


def plan_page(url: str, who: str = "worker", api: bool = False) -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        review = _planned(w)
        return (api_get if api else page)(url.replace("{review}", str(review)), who)(w)

    return drive


def _appeal(w: World) -> None:
    """An appeal the child's council agreed for the open episode."""
    from homeward.core.actor import Actor

    appeals.agree_appeal(Actor.for_user(w.coordinator), w.open_ref, fields=["first_name", "age"])


def appeal_page(url: str, who: str) -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        _appeal(w)
        return page(url, who)(w)

    return drive


def _with_a_peer(w: World) -> None:
    """Another child of the council went missing with the child (test set-up)."""
    from homeward.episodes.models import Episode
    from tests.safeguarding import factories_peers

    peer = factories.ChildFactory(responsible_council=w.council)
    factories_peers.together(
        Episode.objects.get(reference=w.returned_ref), factories_peers.episode(peer, "2026-06-01")
    )


def peer_groups(url: str, api: bool = False) -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        _with_a_peer(w)
        return (api_get if api else page)(url, "coordinator")(w)

    return drive


def _profile(w: World, photo: bool = False) -> int:
    """The child's missing profile (and a photograph, whose id is returned)."""
    from homeward.core.actor import Actor
    from tests.safeguarding.factories_profile import add_photo, save

    worker = Actor.for_user(w.worker)
    save(worker, w.child)
    return add_photo(worker, w.child).pk if photo else 0


def profile_page(w: World) -> tuple[int | None, User | None]:
    _profile(w)
    return page("/children/{w.child.pk}/profile")(w)


def photo_page(w: World) -> tuple[int | None, User | None]:
    with override_settings(HOMEWARD_FILES_DIR=w.tmp / "files"):
        photo_id = _profile(w, photo=True)
        return page(f"/children/{{w.child.pk}}/profile/photo/{photo_id}")(w)


def attention_page(w: World) -> tuple[int | None, User | None]:
    from tests.safeguarding.factories_profile import make_profile

    make_profile(w.child, owner=w.council)  # no photograph: it needs attention
    return page("/profiles/attention")(w)


def profile_api(w: World) -> tuple[int | None, User | None]:
    _profile(w)
    return api_get("/api/v1/children/{w.child.pk}/profile")(w)


def photo_api(w: World) -> tuple[int | None, User | None]:
    with override_settings(HOMEWARD_FILES_DIR=w.tmp / "files"):
        photo_id = _profile(w, photo=True)
        return api_get(f"/api/v1/children/{{w.child.pk}}/profile/photos/{photo_id}")(w)


def appeal_api(url: str, who: str) -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        _appeal(w)
        return api_get(url, who)(w)

    return drive


def _meeting(w: World) -> tuple[int, int]:
    """A panel of the child's council (the child on its agenda), with an action about the
    child owned by their social worker."""
    from homeward.core.actor import Actor
    from homeward.safeguarding.services import meeting_actions, meetings

    coordinator = Actor.for_user(w.coordinator)
    meeting = meetings.open_meeting(
        coordinator,
        meetings.MeetingInput(kind="panel", scheduled_for=clock.now() - timedelta(hours=1)),
    )
    item = next(i["key"] for i in meeting.agenda if i.get("child") == w.child.pk)
    action = meeting_actions.record_action(
        coordinator,
        meeting.pk,
        meeting_actions.ActionInput("Visit", w.worker.pk, clock.now().date(), agenda_item=item),
    )
    return meeting.pk, action.pk


def meeting_read(url: str, who: str = "coordinator", api: bool = False) -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        meeting, action = _meeting(w)
        found = url.replace("{meeting}", str(meeting)).replace("{action}", str(action))
        return (api_get if api else page)(found, who)(w)

    return drive


def theme_read(url: str, api: bool = False) -> Driver:
    """A theme of the council holding an item of the child's interview's words."""

    def drive(w: World) -> tuple[int | None, User | None]:
        now = clock.now()
        theme = Theme.objects.create(council=w.council, created_at=now, updated_at=now)
        ThemeItem.objects.create(
            council=w.council,
            interview_id=w.interview_id,
            source="child_account",
            theme=theme,
            text_hash="",
            assigned_at=now,
        )
        found = url.replace("{theme}", str(theme.pk))
        return (api_get if api else page)(found, "coordinator")(w)

    return drive


def _place_link(w: World) -> PlaceLink:
    """A place in the world's council with a link to the child (places tests' set-up)."""
    place = places_factory.a_place("Bus station", w.council, "AB1 3GH")
    return places_factory.link(place, w.child, "found", places_factory.days_ago(2))


def place_page(url: str, who: str = "worker", api: bool = False) -> Driver:
    def drive(w: World) -> tuple[int | None, User | None]:
        found = _place_link(w)
        user = getattr(w, who)
        target = url.format(w=w, place=found.place_id, link=found.pk)
        if api:
            return Client().get(target, headers=w.api(user)).status_code, user
        return w.web(user).get(target).status_code, user

    return drive


def _person_and_notice(w: World) -> tuple[int, int]:
    """A person of concern linked to the child by the police, and a notice naming the child."""
    from homeward.core.actor import Actor
    from tests.safeguarding.factories_persons import issue, record

    officer = Actor.for_user(w.officer)
    person = record(officer, w.child)
    return person.pk, issue(officer, person, w.child).pk


def person_path(url: str, who: str = "officer", api: bool = False) -> Driver:
    """A page (or API read) of persons of concern or notices: {person} and {notice}."""

    def drive(w: World) -> tuple[int | None, User | None]:
        person, notice = _person_and_notice(w)
        user = getattr(w, who)
        address = url.format(w=w, person=person, notice=notice)
        if api:
            return Client().get(address, headers=w.api(user)).status_code, user
        return w.web(user).get(address).status_code, user

    return drive


def case_audit(url: str, api: bool = False) -> Driver:
    """The council's coordinator samples the child's cases for an audit and reads one."""

    def drive(w: World) -> tuple[int | None, User | None]:
        today = clock.now().astimezone(clock.UK).date()
        audit = case_audits.open_audit(
            Actor.for_user(w.coordinator),
            case_audits.AuditInput(
                council_id=w.council.pk,
                title="Read paths",
                unit="children",
                period_start=today - timedelta(days=10),
                period_end=today,
                size=5,
            ),
        )
        case = audit.cases.get(child=w.child)
        address = url.format(audit=audit.pk, case=case.pk)
        if api:
            return Client().get(address, headers=w.api(w.coordinator)).status_code, w.coordinator
        return w.web(w.coordinator).get(address).status_code, w.coordinator

    return drive


# --- every read path ---------------------------------------------------------------------

WEB_READS: dict[str, Driver] = {
    "case_audits:sample": case_audit("/case-audits/{audit}/"),
    "case_audits:case": case_audit("/case-audits/{audit}/cases/{case}"),
    "home": page("/"),
    "children:find": search_page,
    "children:detail": page("/children/{w.child.pk}/"),
    "children:report-missing": page("/children/{w.child.pk}/report-missing"),
    "children:emergency-access": emergency_page,
    "children:emergency-reviews": review_list_page,
    "children:review-emergency-access": review_page,
    "children:audit-trail": page("/children/{w.child.pk}/audit-trail", "coordinator"),
    "children:audit-trail-csv": page("/children/{w.child.pk}/audit-trail.csv", "coordinator"),
    "episodes:detail": page("/episodes/{w.open_ref}/"),
    "episodes:update": page("/episodes/{w.open_ref}/details"),
    "episodes:regrade": page("/episodes/{w.open_ref}/risk", "officer"),
    "episodes:classification": page("/episodes/{w.open_ref}/classification"),
    "episodes:timeline": page("/episodes/{w.open_ref}/timeline"),
    "episodes:return": page("/episodes/{w.open_ref}/return"),
    "episodes:close": page("/episodes/{w.returned_ref}/close"),
    "episodes:link": page("/episodes/{w.open_ref}/link"),
    "aftercare:work_list": page("/aftercare/", "coordinator"),
    "aftercare:interviews": page("/aftercare/interviews/", "coordinator"),
    "aftercare:interview": page("/aftercare/interviews/{w.interview_id}/", "rhi"),
    "aftercare:assign": page("/aftercare/interviews/{w.interview_id}/provider", "coordinator"),
    "aftercare:offer": page("/aftercare/interviews/{w.interview_id}/offer", "coordinator"),
    "aftercare:outcome": page("/aftercare/interviews/{w.interview_id}/outcome", "coordinator"),
    "aftercare:record": accepted_interview_form,
    "aftercare:own_account_link": page(
        "/aftercare/interviews/{w.interview_id}/own-account/link", "rhi"
    ),
    "aftercare:own_account_withdraw": own_account_withdraw_page,
    "aftercare:check": page("/aftercare/episodes/{w.returned_ref}/check"),
    "aftercare:record_check": page("/aftercare/episodes/{w.returned_ref}/check/record", "officer"),
    "notifications:who-knew": page("/notifications/episodes/{w.open_ref}/"),
    "notifications:inbox": inbox_page,
    "linkage:review": pair_page,
    "linkage:unlink": page("/possible-duplicates/records/{w.child.pk}/unlink", "coordinator"),
    "safeguarding:plan": plan_page("/children/{w.child.pk}/plan", "officer"),
    "safeguarding:plan_edit": plan_page("/children/{w.child.pk}/plan/edit"),
    "safeguarding:plan_versions": plan_page("/children/{w.child.pk}/plan/versions", "officer"),
    "safeguarding:plan_version": plan_page("/children/{w.child.pk}/plan/versions/1", "officer"),
    "safeguarding:plan_reviews": plan_page("/plans/reviews", "coordinator"),
    "safeguarding:plan_review": plan_page("/plans/reviews/{review}", "coordinator"),
    "safeguarding:profile": profile_page,
    "safeguarding:edit-profile": page("/children/{w.child.pk}/profile/edit"),
    "safeguarding:add-photo": page("/children/{w.child.pk}/profile/photos"),
    "safeguarding:profile-photo": photo_page,
    "safeguarding:profiles-attention": attention_page,
    "safeguarding:briefing": page("/episodes/{w.open_ref}/briefing", "officer"),
    "safeguarding:briefing-pdf": page("/episodes/{w.open_ref}/briefing.pdf", "officer"),
    "safeguarding:appeal": appeal_page("/episodes/{w.open_ref}/appeal", "officer"),
    "safeguarding:appeal-pdf": appeal_page("/episodes/{w.open_ref}/appeal.pdf", "coordinator"),
    "safeguarding:agree-appeal": page("/episodes/{w.open_ref}/appeal/agree", "coordinator"),
    "safeguarding:withdraw-appeal": appeal_page(
        "/episodes/{w.open_ref}/appeal/withdraw", "coordinator"
    ),
    "safeguarding:protocol-run": page("/episodes/{w.open_ref}/protocol", "home_staff"),
    "safeguarding:meeting": meeting_read("/meetings/{meeting}/"),
    "safeguarding:meeting-pack": meeting_read("/meetings/{meeting}/pack.pdf", "worker"),
    "safeguarding:meeting-actions": meeting_read("/meetings/actions", "worker"),
    "safeguarding:place": place_page("/places/{place}"),
    "safeguarding:place_link_remove": place_page("/place-links/{link}/remove"),
    "safeguarding:place_new": page("/places/new?episode={w.open_ref}", "officer"),
    "safeguarding:person": person_path("/persons/{person}", "coordinator"),
    "safeguarding:edit-person": person_path("/persons/{person}/edit"),
    "safeguarding:link-person": person_path("/persons/{person}/links/new"),
    "safeguarding:record-person": page("/persons/new?child={w.child.pk}", "coordinator"),
    "safeguarding:link-person-to-child": page("/children/{w.child.pk}/persons/link", "coordinator"),
    "safeguarding:issue-notice": person_path("/persons/{person}/notices/new"),
    "safeguarding:notice": person_path("/notices/{notice}", "coordinator"),
    "safeguarding:review-notice": person_path("/notices/{notice}/review"),
    "safeguarding:withdraw-notice": person_path("/notices/{notice}/withdraw"),
    "safeguarding:record-breach": person_path("/notices/{notice}/breach"),
    "safeguarding:peers": page("/children/{w.child.pk}/peers"),
    "safeguarding:peer_groups": peer_groups("/peers/groups"),
    "themes:theme": theme_read("/themes/{theme}/"),
}

# Pages that show no child's identity, and why.
NO_CHILD_DATA: dict[str, str] = {
    "healthz": "service health only",
    "children:add": "an empty form; adding a child is an audited write",
    "children:confirm-council": "POST: an audited write after read_child's audited read",
    "notifications:open": "POST: marks read and redirects to the record (which audits)",
    "notifications:read": "POST: marks a notification read",
    "notifications:rules": "the council's notification thresholds",
    "insights:index": "aggregate figures only",
    "insights:dashboard": "aggregate figures only, small numbers suppressed",
    "insights:national-csv": "aggregate figures only, small numbers suppressed",
    "insights:board": "the list of board reports",
    "insights:board-report": "aggregate figures only, no identities",
    "insights:board-report-pdf": "aggregate figures only, no identities",
    "insights:stored-report": "aggregate figures only, no identities",
    "linkage:queue": "pairs of records by council, strength and source: no names",
    "children:report-match": "a match's report form: only the council holding the record",
    "safeguarding:protocol-home": "the home's written steps: no child",
    "safeguarding:protocol-compliance": "aggregate figures only, no identities",
    "safeguarding:protocol-start": "POST: an audited write, then the run page (audited)",
    "safeguarding:protocol-step": "POST: an audited write; errors redraw the audited run page",
    "safeguarding:protocol-sign-off": "POST: an audited write; errors redraw the run page",
    "safeguarding:protocol-notices": "POST: an audited write; errors redraw the run page",
    "safeguarding:meetings": "the meetings' kinds, dates and councils: no child",
    "safeguarding:meeting-open": "the form and last meeting's members: no child",
    "safeguarding:meeting-action-done": "the action's words and due date: no child named",
    "safeguarding:meeting-attendance": "POST: an audited write; errors redraw the meeting",
    "safeguarding:meeting-add-member": "POST: an audited write; errors redraw the meeting",
    "safeguarding:meeting-minutes": "POST: an audited write; errors redraw the meeting",
    "safeguarding:meeting-decision": "POST: an audited write; errors redraw the meeting",
    "safeguarding:meeting-action": "POST: an audited write; errors redraw the meeting",
    "safeguarding:meeting-hold": "POST: an audited write, then the meeting page",
    "safeguarding:meeting-cancel": "POST: an audited write; errors redraw the meeting",
    "safeguarding:meeting-rebuild": "POST: an audited write, then the meeting page",
    "safeguarding:places": "places by name and postcode: not personal data, no child",
    "safeguarding:hotspots": "counts of children by place and area only, no identities",
    "safeguarding:persons": "persons' names only, no child; each person listed is audited",
    "safeguarding:notices": "notices' references and persons, no child; each listed is audited",
    "safeguarding:remove-person-link": "POST: an audited write, then the person's page",
    "aftercare:own_account_revoke": "POST: an audited write, then the interview's page",
    "own_account:open": "the child's link: the child's own form, with no record on it",
    "own_account:form": "the child's own form: no name, no record, only their own answers",
    "themes:index": "the council's themes: names, key words and counts, no child",
    "themes:over-time": "aggregate figures only, small numbers suppressed outside a council",
    "themes:run": "POST: queues the grouping, then the themes list",
    "themes:link": "the form: themes' names and the council's meeting decisions and actions",
    "themes:name": "POST: an audited write; errors redraw the audited theme page",
    "themes:merge": "POST: an audited write; errors redraw the audited theme page",
    "themes:correct": "POST: an audited write; errors redraw the audited theme page",
    "case_audits:list": "audits' titles, councils and counts: no child",
    "case_audits:new": "the form to draw a sample; drawing is an audited write",
    "case_audits:close": "POST: an audited write, then the report",
    "case_audits:report": "cases by number and episode reference only; the read is audited",
    "case_audits:report-csv": "counts by question only",
}
NO_CHILD_DATA_NAMESPACES = {
    "organisations": "accounts, sign-in, users and tokens: no child data",
    "api": "the API's own operations are listed below, from its OpenAPI document",
}

API_READS: dict[tuple[str, str], Driver] = {
    ("get", "/api/v1/case-audits/{audit_id}"): case_audit("/api/v1/case-audits/{audit}", True),
    ("get", "/api/v1/case-audits/{audit_id}/cases/{audit_case_id}"): case_audit(
        "/api/v1/case-audits/{audit}/cases/{case}", True
    ),
    ("post", "/api/v1/children/search"): search_api,
    ("get", "/api/v1/children/{child_id}"): api_get("/api/v1/children/{w.child.pk}"),
    ("post", "/api/v1/children/emergency-access"): emergency_api,
    ("get", "/api/v1/children/emergency-access"): review_list_api,
    ("get", "/api/v1/children/{child_id}/audit-trail"): api_get(
        "/api/v1/children/{w.child.pk}/audit-trail", "coordinator"
    ),
    ("get", "/api/v1/episodes"): api_get("/api/v1/episodes"),
    ("get", "/api/v1/episodes/{reference}"): api_get("/api/v1/episodes/{w.open_ref}"),
    ("get", "/api/v1/return-interviews"): api_get("/api/v1/return-interviews", "rhi"),
    ("get", "/api/v1/possible-duplicates/{candidate_id}"): pair_api,
    ("get", "/api/v1/children/{child_id}/profile"): profile_api,
    ("get", "/api/v1/children/{child_id}/profile/photos/{photo_id}"): photo_api,
    ("get", "/api/v1/return-interviews/{interview_id}"): api_get(
        "/api/v1/return-interviews/{w.interview_id}", "rhi"
    ),
    ("get", "/api/v1/return-interviews/{interview_id}/own-account"): api_get(
        "/api/v1/return-interviews/{w.interview_id}/own-account", "rhi"
    ),
    ("get", "/api/v1/children/{child_id}/plan"): plan_page(
        "/api/v1/children/{w.child.pk}/plan", "officer", api=True
    ),
    ("get", "/api/v1/children/{child_id}/plan/versions"): plan_page(
        "/api/v1/children/{w.child.pk}/plan/versions", "officer", api=True
    ),
    ("get", "/api/v1/plan-reviews"): plan_page("/api/v1/plan-reviews", "coordinator", api=True),
    ("get", "/api/v1/plan-reviews/{review_id}"): plan_page(
        "/api/v1/plan-reviews/{review}", "coordinator", api=True
    ),
    ("get", "/api/v1/children/{child_id}/plan/versions/{number}"): plan_page(
        "/api/v1/children/{w.child.pk}/plan/versions/1", "officer", api=True
    ),
    ("get", "/api/v1/episodes/{reference}/briefing"): api_get(
        "/api/v1/episodes/{w.open_ref}/briefing", "officer"
    ),
    ("get", "/api/v1/episodes/{reference}/briefing.pdf"): api_get(
        "/api/v1/episodes/{w.open_ref}/briefing.pdf", "officer"
    ),
    ("get", "/api/v1/episodes/{reference}/appeal"): appeal_api(
        "/api/v1/episodes/{w.open_ref}/appeal", "officer"
    ),
    ("get", "/api/v1/episodes/{reference}/protocol"): api_get(
        "/api/v1/episodes/{w.open_ref}/protocol", "home_staff"
    ),
    ("get", "/api/v1/meetings/{meeting_id}"): meeting_read("/api/v1/meetings/{meeting}", api=True),
    ("get", "/api/v1/meetings/{meeting_id}/pack.pdf"): meeting_read(
        "/api/v1/meetings/{meeting}/pack.pdf", api=True
    ),
    ("get", "/api/v1/meeting-actions"): meeting_read("/api/v1/meeting-actions", "worker", True),
    ("get", "/api/v1/places/{place_id}"): place_page("/api/v1/places/{place}", api=True),
    ("get", "/api/v1/persons/{person_id}"): person_path("/api/v1/persons/{person}", api=True),
    ("get", "/api/v1/notices/{notice_id}"): person_path("/api/v1/notices/{notice}", api=True),
    ("get", "/api/v1/children/{child_id}/peers"): api_get("/api/v1/children/{w.child.pk}/peers"),
    ("get", "/api/v1/peer-groups"): peer_groups("/api/v1/peer-groups", api=True),
    ("get", "/api/v1/themes/{theme_id}"): theme_read("/api/v1/themes/{theme}", api=True),
}
# API reads that show no child's identity, and why.
NO_CHILD_DATA_API: dict[tuple[str, str], str] = {
    ("get", "/api/v1/me"): "the token's own user, organisation, role and what it may do",
    ("get", "/api/v1/case-audits"): "audits' titles, councils and counts: no child",
    ("get", "/api/v1/case-audits/{audit_id}/report"): "cases by number only; the read is audited",
    ("get", "/api/v1/possible-duplicates"): "pairs by council, strength and evidence: no names",
    ("get", "/api/v1/protocols/home"): "the home's written steps: no child",
    ("get", "/api/v1/protocols/compliance"): "aggregate figures only, no identities",
    ("get", "/api/v1/meetings"): "the meetings' kinds, dates and counts: no child",
    ("get", "/api/v1/places"): "places by name and postcode: not personal data, no child",
    ("get", "/api/v1/hotspots"): "counts of children by place and area only, no identities",
    ("get", "/api/v1/persons"): "persons' names only, no child; each person listed is audited",
    ("get", "/api/v1/notices"): "references and person ids, no child; each listed is audited",
    ("get", "/api/v1/themes"): "the council's themes: names, key words and counts, no child",
    ("get", "/api/v1/theme-links"): "themes linked to what answered them: the board's summary",
    ("get", "/api/v1/theme-trends"): "aggregate figures only, suppressed outside a council",
}
# An API write answers with the record it changed; the write's own audit event names the
# child (the API tests, tests/*/test_api*.py, and the services' tests check those).

COMMAND_READS: dict[str, Driver] = {"audit": audit_export, "export_903": export_903}
NO_CHILD_DATA_COMMANDS = {
    "import_903": "a write: one audited import event",
    "generate": "writes synthetic data",
    "demo": "loads demonstration data",
    "create_token": "accounts only",
    "revoke_token": "accounts only",
    "worker": "delivers notifications (no output about children)",
    "serve": "runs the web server and the worker (no output about children)",
    "board_reports": "aggregate reports only",
    "rebuild_facts": "rebuilds aggregate facts, shows no identity",
    "rebuild_search_keys": "rebuilds search keys, shows no identity",
    "link": "links records (counts only); its CSV mode reads and writes the caller's own file",
    "themes": "groups the councils' free text into themes; prints counts only",
}

ALL_READS: dict[str, Driver] = {
    **{f"page {name}": driver for name, driver in WEB_READS.items()},
    **{f"api {m.upper()} {p}": driver for (m, p), driver in API_READS.items()},
    **{f"command {name}": driver for name, driver in COMMAND_READS.items()},
}


def audited_read(world: World, driver: Driver) -> tuple[int | None, User | None, bool]:
    before = AuditEvent.objects.aggregate(top=Max("sequence"))["top"] or 0
    status, reader = driver(world)
    new = AuditEvent.objects.filter(sequence__gt=before, child_id=world.child.pk)
    if reader is None:
        new = new.filter(user__isnull=True, channel="cli")
    else:
        new = new.filter(user=reader)
    return status, reader, new.exists()


@pytest.mark.parametrize("path", list(ALL_READS))
def test_each_read_path_audits_the_reader_and_the_child(world: World, path: str) -> None:
    status, reader, audited = audited_read(world, ALL_READS[path])
    assert status in (None, 200), f"{path}: got {status}: the path did not show the child"
    who = reader.get_username() if reader else "the command line"
    assert audited, f"{path}: no audit event naming {who} and the child"


def test_the_check_catches_a_path_that_forgets(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read path whose audit call is taken away is caught."""
    assert audited_read(world, WEB_READS["children:detail"])[2]
    monkeypatch.setattr(audit_services, "record", lambda *args, **kwargs: None)
    status, _, audited = audited_read(world, WEB_READS["children:detail"])
    assert status == 200
    assert not audited


# --- nothing is left out -----------------------------------------------------------------


def _named_patterns(patterns: Sequence[URLPattern | URLResolver], namespace: str = "") -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            names += _named_patterns(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_page_is_driven_or_explained() -> None:
    names = set(_named_patterns(get_resolver().url_patterns))
    unclassified = {
        name
        for name in names
        if name not in WEB_READS
        and name not in NO_CHILD_DATA
        and name.split(":")[0] not in NO_CHILD_DATA_NAMESPACES
    }
    assert not unclassified, (
        "New pages: drive them in WEB_READS if they show a child, or say why not in "
        f"NO_CHILD_DATA: {sorted(unclassified)}"
    )
    stale = (set(WEB_READS) | set(NO_CHILD_DATA)) - names
    assert not stale, f"Listed pages that no longer exist: {sorted(stale)}"


def test_every_api_read_is_driven(db: None) -> None:
    document = Client().get("/api/openapi.json").json()
    operations = {
        (method, path) for path, methods in document["paths"].items() for method in methods
    }
    reads = {op for op in operations if op[0] == "get"}
    missing = reads - set(API_READS) - set(NO_CHILD_DATA_API)
    assert not missing, (
        "API reads not driven in API_READS (or, if they show no child, explained in "
        f"NO_CHILD_DATA_API): {sorted(missing)}"
    )
    stale = (set(API_READS) | set(NO_CHILD_DATA_API)) - operations
    assert not stale, f"Listed API operations that no longer exist: {sorted(stale)}"


def test_every_command_is_driven_or_explained() -> None:
    ours = {name for name, app in get_commands().items() if app.startswith("homeward")}
    unclassified = ours - set(COMMAND_READS) - set(NO_CHILD_DATA_COMMANDS)
    assert not unclassified, f"New commands to classify: {sorted(unclassified)}"
