"""Every form in the service, filled in from the page and read back through the services.

For each form a page draws, the test signs in as a user whose role uses it, with the
records it needs, GETs the page, and reads the form from the HTML (not from the form
class): every text box, textarea, select, group of radios or checkboxes and date input.
It answers every question with a valid value from what the page offers (several boxes
for a checkbox group; real dates and times; text up to its ``maxlength``, with curly
quotes and accents), POSTs it with the page's CSRF token, and reads the record back
through the service layer, asserting that every answer survived. A radio that reveals
questions is tried with each of its answers; questions in the groups not chosen must not
be saved. The same pages are then sent one character too many in each text box, and must
answer in the design system's words.

Which forms exist is not listed by hand: ``test_every_form_has_a_round_trip`` signs in as
every role over an area with records in every state, follows every link from the home
page, and collects each POST form on every page it reaches (by the URL it posts to). A
form no scenario covers fails it, and so does a page of the URL configuration that no
link reaches (unless ``NOT_LINKED`` says how users get there). A new form therefore
falls under the round trip as soon as any page draws it: what it needs is a scenario in
``SCENARIOS`` saying who uses it, what records it works on and how to read its answers
back."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django_otp import DEVICE_ID_SESSION_KEY

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import OwnAccount, OwnAccountLink, Sharing
from homeward.aftercare.services import own_accounts
from homeward.case_audits.services import audits as case_audits
from homeward.children import emergency
from homeward.children import services as children
from homeward.children.models import Child, EmergencyAccess
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.clock import UK
from homeward.episodes import services as episodes
from homeward.episodes.models import Classification, Episode, TimelineKind
from homeward.events.models import DomainEvent
from homeward.insights import board
from homeward.linkage import services as linkage
from homeward.linkage.models import MatchCandidate, RecordLink
from homeward.notifications import services as notifications
from homeward.notifications.models import Notification
from homeward.notifications.rules import thresholds
from homeward.organisations import mfa
from homeward.organisations import services as organisations
from homeward.organisations.models import (
    ApiToken,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from homeward.safeguarding.models.places import Place, PlaceLink
from homeward.safeguarding.models.profiles import PublicAppeal
from homeward.safeguarding.models.protocols import HomeProtocol, ProtocolRun
from homeward.safeguarding.services import appeals, profiles, protocols
from homeward.safeguarding.services import runs as protocol_runs
from homeward.safeguarding.services.runs import StepResult
from homeward.seed.codes import make_nhs_number, make_upn
from homeward.themes.models import Theme, ThemeItem, ThemeLink
from tests import factories
from tests.aftercare.own_account_helpers import give_own_account
from tests.core.htmlforms import (
    Answer,
    Filler,
    HtmlForm,
    Question,
    error_summary,
    post_forms,
    read_forms,
    wall_clock,
)
from tests.organisations.totp import code_for, give_app
from tests.safeguarding.factories_profile import add_photo as add_profile_photo
from tests.safeguarding.factories_profile import save as save_profile

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-meadow-copper-harbour-7"


# --- an area with something for every form to work on -------------------------------------


@dataclass
class Scene:
    police: Organisation
    council: Organisation
    home: Organisation
    provider: Organisation
    national: Organisation
    other_police: Organisation

    def user(self, role: str, organisation: Organisation | None = None) -> User:
        return factories.member(role, organisation or self.home_of(role))

    def actor(self, role: str, organisation: Organisation | None = None) -> Actor:
        return Actor.for_user(self.user(role, organisation))

    def home_of(self, role: str) -> Organisation:
        if role.startswith("police"):
            return self.police
        if role.startswith("care"):
            return self.home
        if role == Role.RHI_WORKER:
            return self.provider
        if role in {Role.NATIONAL_ANALYST, Role.INSPECTOR}:
            return self.national
        return self.council

    def child(self) -> Child:
        """A looked-after child of the council, placed in the council's area."""
        child = factories.ChildFactory(responsible_council=self.council, nhs_number=_nhs_number())
        factories.looked_after(child)
        factories.place(child, provider=self.home, host=self.council)
        return child

    def open_episode(self, child: Child | None = None) -> Episode:
        return factories.report(self.actor(Role.SOCIAL_WORKER), child or self.child(), hours_ago=6)

    def returned_episode(self) -> Episode:
        episode = factories.report(self.actor(Role.SOCIAL_WORKER), self.child(), hours_ago=8)
        return episodes.record_return(
            self.actor(Role.POLICE_OFFICER),
            episode.reference,
            episode.version,
            episodes.Return(
                returned_at=clock.now() - timedelta(hours=4), return_method="returned_self"
            ),
        )

    def interview(self, *, offered: bool = False, accepted: bool = False) -> Any:
        episode = self.returned_episode()
        interview = episode.return_interviews.get()
        coordinator = self.actor(Role.COUNCIL_MISSING_COORDINATOR)
        if offered or accepted:
            interview = aftercare.record_offer(
                coordinator,
                interview.pk,
                interview.version,
                offered_at=clock.now() - timedelta(hours=3, minutes=30),
                offered_by="Priya Shah, return interview worker",
                offer_method="phone",
            )
        if accepted:
            interview = aftercare.record_outcome(
                coordinator, interview.pk, interview.version, outcome="accepted"
            )
        return interview

    def emergency_access(self) -> EmergencyAccess:
        child = self.child()
        stranger = self.actor(Role.POLICE_OFFICER, self.other_police)
        return emergency.open_emergency_access(
            stranger,
            child.nhs_number,
            "Found at a railway station at night, needs the missing profile urgently",
        )

    def notification(self, user: User, episode: Episode | None = None) -> Notification:
        episode = episode or self.open_episode()
        event = DomainEvent.objects.filter(aggregate_id=episode.reference).first()
        assert event is not None
        membership = user.active_membership()
        assert membership is not None
        return Notification.objects.create(
            event=event,
            recipient=user,
            organisation=membership.organisation,
            reason="responsible council",
            title=f"Child reported missing: episode {episode.reference}",
            link=f"/episodes/{episode.reference}/",
            child_id=episode.child_id,
            episode_reference=episode.reference,
            created_at=clock.now(),
        )


def _nhs_number() -> str:
    """An NHS number no other child has (from the test range)."""
    n = Child.objects.count()
    while True:
        number = make_nhs_number(random.Random(f"child {n}"))
        if not Child.objects.filter(nhs_number=number).exists():
            return number
        n += 1


@pytest.fixture
def scene(db: None, settings: Any, tmp_path: Any) -> Scene:
    settings.HOMEWARD_FILES_DIR = tmp_path / "files"  # missing profiles' photographs
    police = factories.PoliceForceFactory(name="Wealdmoor Police")
    council = factories.CouncilFactory(name="Wealdmoor Council", police_force=police, code="861")
    return Scene(
        police=police,
        council=council,
        home=factories.CareProviderFactory(area_council=council),
        provider=Organisation.objects.create(
            kind=OrganisationKind.RHI_PROVIDER, name="Harbour Return Interviews", code="RHI9"
        ),
        national=Organisation.objects.create(
            kind=OrganisationKind.NATIONAL, name="National Analysis Unit", code="NAT9"
        ),
        other_police=factories.PoliceForceFactory(name="Fenland Police"),
    )


# --- one visit to a form ------------------------------------------------------------------


@dataclass
class Visit:
    """A user at a page with the form on it, and what the set-up made for them."""

    client: Client
    page: str
    user: User | None = None
    things: dict[str, Any] = field(default_factory=dict)
    # Which of several forms with the same key (one per record on a list page).
    pick: Callable[[HtmlForm], bool] = lambda form: True
    response: Any = None  # the answer to the POST

    @property
    def actor(self) -> Actor:
        assert self.user is not None
        return Actor.for_user(User.objects.get(pk=self.user.pk))

    @property
    def me(self) -> User:
        """The user signed in for the visit."""
        assert self.user is not None
        return self.user

    @property
    def organisation(self) -> Organisation:
        """The signed-in user's organisation, as they act for it."""
        organisation = self.actor.organisation
        assert organisation is not None
        return organisation

    def __getattr__(self, name: str) -> Any:
        things = self.__dict__.get("things", {})
        if name in things:
            return things[name]
        raise AttributeError(name)


def signed_in(scene: Scene, role: str, page: str, **things: Any) -> Visit:
    organisation = things.pop("organisation", None)
    user = scene.user(role, organisation)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return Visit(client=client, page=page, user=user, things=things)


def redirected_to(visit: Visit) -> str:
    assert visit.response.status_code == 302, visit.response.status_code
    return str(visit.response["Location"])


def episode_from(visit: Visit) -> Episode:
    reference = visit.things.get("episode")
    if isinstance(reference, Episode):
        reference = reference.reference
    if reference is None:
        reference = redirected_to(visit).strip("/").split("/")[-1]
    return episodes.read_episode(visit.actor, reference)


@dataclass
class Scenario:
    key: str  # the form: "namespace:url-name" it posts to, [action=...] if it says
    setup: Callable[[Scene, dict[str, str]], Visit]
    read_back: Callable[[Visit], dict[str, Any]]
    overrides: Callable[[Visit], dict[str, Any]] = lambda visit: {}
    # Answers the service is right not to keep, and why.
    not_kept: dict[str, str] = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.key}{' (' + self.label + ')' if self.label else ''}"


# --- organisations ----------------------------------------------------------------------------


def _sign_in_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    user = scene.user(Role.SOCIAL_WORKER)
    return Visit(client=Client(enforce_csrf_checks=True), page="/sign-in", things={"who": user})


def _signed_in_user(visit: Visit) -> User:
    return User.objects.get(pk=visit.client.session[SESSION_KEY])


def _code_owed_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    user = scene.user(Role.SOCIAL_WORKER)
    device = give_app(user)
    client = Client()
    response = client.post(
        "/sign-in", {"username": user.username, "password": factories.TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "/sign-in/code" in response["Location"]
    client.handler.enforce_csrf_checks = True
    return Visit(client=client, page="/sign-in/code", user=user, things={"device": device})


def _set_password_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    admin = scene.actor(Role.ORG_ADMIN)
    user, path = organisations.add_user(
        admin,
        organisations.NewUser(
            first_name="Dara",
            last_name="Okafor",
            email="dara.okafor@example.test",
            username=f"dara.okafor{User.objects.count()}",
            role=Role.SOCIAL_WORKER,
        ),
    )
    return Visit(client=Client(enforce_csrf_checks=True), page=path, things={"who": user})


def _password_checks(user: User) -> dict[str, Any]:
    def works(sent: str) -> bool:
        return User.objects.get(pk=user.pk).check_password(sent)

    return {"new_password1": works, "new_password2": works}


def _member_page(scene: Scene, choices: dict[str, str], **things: Any) -> Visit:
    member = scene.user(Role.SOCIAL_WORKER)
    visit = signed_in(scene, Role.ORG_ADMIN, f"/organisation/users/{member.pk}/", **things)
    visit.things["member"] = member
    return visit


def _token_of(user: User) -> ApiToken:
    factories.api_token(user)
    return ApiToken.objects.filter(user=user).latest("pk")


def _my_tokens(scene: Scene, choices: dict[str, str]) -> Visit:
    visit = signed_in(scene, Role.SOCIAL_WORKER, "/account/tokens")
    token = _token_of(visit.me)
    visit.things["token"] = token
    visit.pick = lambda form: form.action.endswith(f"/tokens/{token.pk}/revoke")
    return visit


def _member_tokens(scene: Scene, choices: dict[str, str]) -> Visit:
    visit = _member_page(scene, choices)
    token = _token_of(visit.member)
    visit.things["token"] = token
    visit.pick = lambda form: form.action.endswith(f"/tokens/{token.pk}/revoke")
    return visit


def _added_user(visit: Visit) -> dict[str, Any]:
    member = (
        organisations.list_members(visit.actor)
        .select_related("user")
        .get(user__username=visit.username)
    )
    user = member.user
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "username": user.username,
        "role": member.role,
    }


def did(happened: bool, what: str) -> dict[str, Any]:
    """The read-back of a form with nothing to type: a button that does one thing."""
    assert happened, f"the button did not work: {what}"
    return {}


def _revoked(visit: Visit, tokens: Any) -> dict[str, Any]:
    return did(tokens.get(pk=visit.token.pk).revoked_at is not None, "token revoked")


def _with_app(scene: Scene, choices: dict[str, str]) -> Visit:
    visit = _member_page(scene, choices)
    give_app(visit.member)
    return visit


ORGANISATIONS = [
    Scenario(
        "organisations:sign-in",
        _sign_in_setup,
        lambda v: {
            "username": _signed_in_user(v).username,
            "password": lambda sent: _signed_in_user(v).check_password(sent),
        },
        overrides=lambda v: {"username": v.who.username, "password": factories.TEST_PASSWORD},
    ),
    Scenario(
        "organisations:mfa-verify",
        _code_owed_setup,
        lambda v: {"code": lambda sent: v.client.session.get(DEVICE_ID_SESSION_KEY)},
        overrides=lambda v: {"code": code_for(v.device)},
    ),
    Scenario(
        "organisations:mfa-setup",
        lambda scene, choices: signed_in(scene, Role.SOCIAL_WORKER, "/account/two-factor/set-up"),
        lambda v: {"code": lambda sent: mfa.confirmed_device(v.user) is not None},
        overrides=lambda v: {"code": code_for(mfa.pending_device(v.user))},
    ),
    Scenario(
        "organisations:change-password",
        lambda scene, choices: signed_in(scene, Role.SOCIAL_WORKER, "/account/password"),
        lambda v: {
            **_password_checks(v.me),
            "old_password": lambda sent: not User.objects.get(pk=v.me.pk).check_password(sent),
        },
        overrides=lambda v: {
            "old_password": factories.TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    Scenario(
        "organisations:set-password",
        _set_password_setup,
        lambda v: _password_checks(v.who),
        overrides=lambda v: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    Scenario(
        "organisations:user-add",
        lambda scene, choices: signed_in(
            scene, Role.ORG_ADMIN, "/organisation/users/add", username="new.starter"
        ),
        _added_user,
        overrides=lambda v: {"username": v.username, "email": f"{v.username}@example.test"},
    ),
    Scenario(
        "organisations:user[action=role]",
        _member_page,
        lambda v: {"role": organisations.get_member(v.actor, v.member.pk).role},
    ),
    Scenario(
        "organisations:user[action=password-link]",
        _member_page,
        lambda v: did("/set-password/" in v.response.content.decode(), "a link is shown"),
    ),
    Scenario(
        "organisations:user[action=reset-mfa]",
        _with_app,
        lambda v: did(not organisations.has_mfa(v.member), "two-factor reset"),
    ),
    Scenario(
        "organisations:user[action=deactivate]",
        _member_page,
        lambda v: did(not User.objects.get(pk=v.member.pk).is_active, "account switched off"),
    ),
    Scenario(
        "organisations:revoke-token",
        _my_tokens,
        lambda v: _revoked(v, organisations.tokens_of(v.me)),
    ),
    Scenario(
        "organisations:user-revoke-token",
        _member_tokens,
        lambda v: _revoked(v, organisations.member_tokens(v.actor, v.member.pk)),
    ),
    Scenario(
        "organisations:sign-out",
        lambda scene, choices: signed_in(scene, Role.SOCIAL_WORKER, "/account/"),
        lambda v: did(SESSION_KEY not in v.client.session, "signed out"),
    ),
]

# --- children -------------------------------------------------------------------------------


def _child_back(child: Child, actor: Actor, added_by: Organisation) -> dict[str, Any]:
    child = children.read_child(actor, child.pk)
    identifiers = list(child.identifiers.filter(organisation=added_by))
    kept = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "aliases": "\r\n".join(a.name for a in child.aliases.order_by("pk")),
        "date_of_birth": child.date_of_birth,
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "upn": child.upn,
        "nhs_number": child.nhs_number,
        "agency_reference": identifiers[0].value if identifiers else "",
    }
    if actor.organisation != added_by:
        kept["responsible_council"] = str(child.responsible_council_id)
    return kept


def _child_codes(visit: Visit) -> dict[str, Any]:
    rng = random.Random(visit.page)
    return {
        "nhs_number": make_nhs_number(rng),
        "upn": make_upn(rng, "861"),
        "aliases": "Jay O\u2019Neill\r\nZo\u00eb Brook-Smith",
    }


def _added_by_police(visit: Visit) -> dict[str, Any]:
    child = Child.objects.get(nhs_number=visit.things["nhs"])
    council = child.responsible_council
    return _child_back(child, factories.actor(Role.SOCIAL_WORKER, council), visit.organisation)


def _police_codes(visit: Visit) -> dict[str, Any]:
    codes = _child_codes(visit)
    visit.things["nhs"] = codes["nhs_number"]
    # This scenario chooses a council; "Not known" has its own (the council confirms).
    council = Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("pk").first()
    assert council is not None
    codes["responsible_council"] = str(council.pk)
    return codes


def _found(visit: Visit) -> dict[str, Any]:
    page = visit.response.content.decode()
    [search] = [f for f in read_forms(page) if f.action.endswith("/children/")]
    found = children.search_children(visit.actor, search.question("q").value)
    assert visit.target in found, "the search did not find the child"
    assert visit.target.full_name in page, "the page does not list the child found"
    return {"q": search.question("q").value}


def _review_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    access = scene.emergency_access()
    visit = signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/children/emergency-access/reviews")
    visit.things["access"] = access
    visit.pick = lambda form: form.action.endswith(f"/emergency-access/{access.pk}/review")
    return visit


def _emergency_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    target = scene.child()
    return signed_in(
        scene,
        Role.POLICE_OFFICER,
        "/children/emergency-access",
        organisation=scene.other_police,
        target=target,
    )


def _emergency_back(visit: Visit) -> dict[str, Any]:
    access = emergency.active_access(visit.actor, visit.target)
    assert access is not None, "no emergency access was opened"
    return {"identifier": lambda sent: access.child_id == visit.target.pk, "reason": access.reason}


def _provisional_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    child = factories.ChildFactory(
        responsible_council=scene.council, responsible_council_provisional=True
    )
    return signed_in(
        scene, Role.COUNCIL_MISSING_COORDINATOR, f"/children/{child.pk}/", target=child
    )


def _provisional_back(visit: Visit) -> dict[str, Any]:
    def confirmed(sent: str) -> bool:
        # Read back as the council chosen, which now holds the record, and confirmed.
        council = Organisation.objects.get(pk=int(sent))
        holder = Actor.for_user(factories.member(Role.COUNCIL_MISSING_COORDINATOR, council))
        child = children.read_child(holder, visit.target.pk)
        return child.responsible_council_id == council.pk and not (
            child.responsible_council_provisional
        )

    return {"responsible_council": confirmed}


CHILDREN = [
    Scenario("children:confirm-council", _provisional_setup, _provisional_back),
    Scenario(
        "children:find",
        lambda scene, choices: signed_in(
            scene, Role.SOCIAL_WORKER, "/children/", target=scene.child()
        ),
        _found,
        overrides=lambda v: {"q": v.target.last_name},
    ),
    Scenario(
        "children:add",
        lambda scene, choices: signed_in(scene, Role.SOCIAL_WORKER, "/children/add"),
        lambda v: _child_back(
            Child.objects.get(pk=redirected_to(v).strip("/").split("/")[-1]),
            v.actor,
            v.organisation,
        ),
        overrides=_child_codes,
        label="by a council",
    ),
    Scenario(
        "children:add",
        lambda scene, choices: signed_in(scene, Role.POLICE_OFFICER, "/children/add"),
        _added_by_police,
        overrides=_police_codes,
        label="by the police, choosing the council",
    ),
    Scenario(
        "children:emergency-access",
        _emergency_setup,
        _emergency_back,
        overrides=lambda v: {"identifier": v.target.nhs_number},
    ),
    Scenario(
        "children:review-emergency-access",
        _review_setup,
        lambda v: {
            f"access-{v.access.pk}-note": emergency.get_for_review(v.actor, v.access.pk).review_note
        },
    ),
]


# --- episodes -------------------------------------------------------------------------------


def _report_back(visit: Visit) -> dict[str, Any]:
    episode = episode_from(visit)
    first = episode.risk_history.first()
    assert first is not None
    return {
        "classification": episode.classification,
        "last_seen_at": episode.last_seen_at,
        "last_seen_location": episode.last_seen_location,
        "missing_from": episode.missing_from,
        "circumstances": episode.circumstances,
        "clothing": episode.clothing,
        "last_seen_with": episode.last_seen_with,
        "reporter_type": episode.reporter_type,
        "reporter_name": episode.reporter_name,
        "reported_at": episode.reported_at,
        "police_reference": episode.police_reference,
        "risk_grade": episode.risk_grade,
        "risk_rationale": first.rationale,
        # A late report carries its return: the episode is over.
        "still_missing": "no" if episode.returned_at else "yes",
        "returned_at": episode.returned_at,
        "return_method": episode.return_method,
        "found_location": episode.found_location,
        "found_with": episode.found_with,
    }


def _details_back(visit: Visit) -> dict[str, Any]:
    episode = episode_from(visit)
    return {
        name: getattr(episode, name)
        for name in (
            "last_seen_at",
            "last_seen_location",
            "missing_from",
            "circumstances",
            "clothing",
            "police_reference",
            "reporter_name",
        )
    }


def _regrade_back(visit: Visit) -> dict[str, Any]:
    episode = episode_from(visit)
    last = episode.risk_history.last()
    assert last is not None
    return {
        "grade": episode.risk_grade,
        "rationale": last.rationale,
        "information_used": last.information_used,
        "information_source": last.information_source,
        "information_obtained_at": last.information_obtained_at,
    }


def _classification_back(visit: Visit) -> dict[str, Any]:
    episode = episode_from(visit)
    last = episode.classification_history.last()
    assert last is not None
    return {"classification": episode.classification, "reason": last.reason}


def _timeline_back(visit: Visit) -> dict[str, Any]:
    episode = episode_from(visit)
    entry = (
        episode.timeline.filter(
            kind__in=[
                TimelineKind.SIGHTING,
                TimelineKind.CALL,
                TimelineKind.ACTION,
                TimelineKind.NOTE,
            ]
        )
        .order_by("pk")
        .last()
    )
    assert entry is not None
    return {
        "kind": entry.kind,
        "occurred_at": entry.occurred_at,
        "summary": entry.summary,
        "location": entry.location,
    }


def _return_back(visit: Visit) -> dict[str, Any]:
    episode = episode_from(visit)
    return {
        name: getattr(episode, name)
        for name in (
            "returned_at",
            "return_method",
            "found_location",
            "found_with",
            "harm_indicators",
        )
    }


def _closable(scene: Scene, choices: dict[str, str]) -> Visit:
    episode = scene.returned_episode()
    factories.record_aftercare(episode)
    return signed_in(
        scene, Role.SOCIAL_WORKER, f"/episodes/{episode.reference}/close", episode=episode
    )


def _episode_page(
    role: str, page: str, episode: Callable[[Scene], Episode]
) -> Callable[..., Visit]:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        found = episode(scene)
        return signed_in(scene, role, f"/episodes/{found.reference}/{page}", episode=found)

    return setup


def _link_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    visit = _episode_page(Role.SOCIAL_WORKER, "link", Scene.open_episode)(scene, choices)
    visit.things["other"] = scene.open_episode()
    return visit


def _report_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    child = scene.child()
    return signed_in(scene, Role.SOCIAL_WORKER, f"/children/{child.pk}/report-missing")


EPISODES = [
    Scenario("children:report-missing", _report_setup, _report_back),
    Scenario(
        "episodes:update",
        _episode_page(Role.SOCIAL_WORKER, "details", Scene.open_episode),
        _details_back,
    ),
    Scenario(
        "episodes:regrade",
        _episode_page(Role.POLICE_OFFICER, "risk", Scene.open_episode),
        _regrade_back,
    ),
    Scenario(
        "episodes:classification",
        _episode_page(Role.SOCIAL_WORKER, "classification", Scene.open_episode),
        _classification_back,
        overrides=lambda v: {
            "classification": Classification.AWAY
            if v.episode.classification == Classification.MISSING
            else Classification.MISSING
        },
    ),
    Scenario(
        "episodes:timeline",
        _episode_page(Role.SOCIAL_WORKER, "timeline", Scene.open_episode),
        _timeline_back,
    ),
    Scenario(
        "episodes:return",
        _episode_page(Role.POLICE_OFFICER, "return", Scene.open_episode),
        _return_back,
    ),
    Scenario(
        "episodes:close",
        _closable,
        lambda v: did(episode_from(v).status == "closed", "episode closed"),
    ),
    Scenario(
        "episodes:link",
        _link_setup,
        lambda v: {
            "other_reference": lambda sent: (
                episode_from(v).went_missing_with.filter(reference=sent).exists()
            )
        },
        overrides=lambda v: {"other_reference": v.other.reference},
    ),
]


# --- aftercare -------------------------------------------------------------------------------


def _check_back(visit: Visit) -> dict[str, Any]:
    state = aftercare.episode_aftercare(episode_from(visit))
    check = state.check
    assert check is not None, "no check was recorded"
    if check.status == "not_done":
        return {"done": "no", "not_done_reason": check.not_done_reason}
    return {
        "done": "yes",
        "conducted_at": check.conducted_at,
        "officer_name": check.officer_name,
        "location": check.location,
        "child_account": check.child_account,
        "injuries_or_harm": check.injuries_or_harm,
        "disclosures": check.disclosures,
        "disclosure_details": check.disclosure_details,
        "concerns": check.concerns,
        "shared_with": check.shared_with,
    }


def _interview_page(page: str, **state: bool) -> Callable[..., Visit]:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        wanted = dict(state)
        if page == "outcome":
            wanted = {"offered": choices.get("outcome") != "not_offered"}
        interview = scene.interview(**wanted)
        return signed_in(
            scene,
            Role.COUNCIL_MISSING_COORDINATOR,
            f"/aftercare/interviews/{interview.pk}/{page}",
            interview=interview,
        )

    return setup


def _interview(visit: Visit) -> Any:
    return aftercare.read_interview(visit.actor, visit.interview.pk)


def _outcome_back(visit: Visit) -> dict[str, Any]:
    interview = _interview(visit)
    kept: dict[str, Any] = {"outcome": interview.outcome}
    if interview.outcome == "declined":
        kept["declined_reason"] = interview.outcome_reason
    elif interview.outcome == "not_offered":
        kept["not_offered_reason"] = interview.outcome_reason
    else:
        assert interview.outcome_reason == "", "a reason was kept for an accepted interview"
    return kept


def _record_back(visit: Visit) -> dict[str, Any]:
    interview = _interview(visit)
    return {
        "done_at": interview.done_at,
        "interviewer_name": interview.interviewer_name,
        "interviewer_kind": interview.interviewer_kind,
        "done_location": interview.done_location,
        "child_account": interview.child_account,
        "push_factors": interview.push_factors,
        "pull_factors": interview.pull_factors,
        "factors_detail": interview.factors_detail,
        "risks_found": interview.risks_found,
        "what_would_help": interview.what_would_help,
        "actions": interview.actions,
        "shared_with": interview.shared_with,
        "quote_consent": "yes" if interview.quote_consent else "no",
    }


AFTERCARE = [
    Scenario(
        "aftercare:record_check",
        lambda scene, choices: (
            lambda e: signed_in(
                scene,
                Role.POLICE_OFFICER,
                f"/aftercare/episodes/{e.reference}/check/record",
                episode=e,
            )
        )(scene.returned_episode()),
        _check_back,
    ),
    Scenario(
        "aftercare:assign",
        _interview_page("provider"),
        lambda v: {"provider": str(_interview(v).provider_id)},
    ),
    Scenario(
        "aftercare:offer",
        _interview_page("offer"),
        lambda v: (
            lambda i: {
                "offered_at": i.offered_at,
                "offered_by": i.offered_by,
                "offer_method": i.offer_method,
            }
        )(_interview(v)),
    ),
    Scenario("aftercare:outcome", _interview_page("outcome"), _outcome_back),
    Scenario("aftercare:record", _interview_page("interview", accepted=True), _record_back),
]


# --- the child's own account -----------------------------------------------------------------


def _own_account_page(page: str, *, link: bool = False, account: bool = False) -> Any:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        interview = scene.interview()
        worker = scene.actor(Role.COUNCIL_MISSING_COORDINATOR)
        if link:
            own_accounts.issue_link(worker, interview.pk)
        if account:
            give_own_account(interview.pk, worker)
        path = f"/aftercare/interviews/{interview.pk}/{page}"
        return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, path, interview=interview)

    return setup


def _link_back(visit: Visit) -> dict[str, Any]:
    link = OwnAccountLink.objects.filter(interview=visit.interview).latest("pk")
    assert visit.response.status_code == 200, "the link is shown in the answer, once"
    assert "/your-account/" in visit.response.content.decode()
    return {"days": (link.expires_at - link.created_at).days}


def _child_form_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    """The child, in a browser of their own, through the link the worker gave."""
    interview = scene.interview()
    issued = own_accounts.issue_link(scene.actor(Role.COUNCIL_MISSING_COORDINATOR), interview.pk)
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/your-account/{issued.token}").status_code == 302
    return Visit(client=client, page="/your-account/", things={"interview": interview})


def _child_form_back(visit: Visit) -> dict[str, Any]:
    account = OwnAccount.objects.get(interview=visit.interview)
    return {
        "what_happened": account.what_happened,
        "what_would_help": account.what_would_help,
        "sharing": account.sharing,
    }


OWN_ACCOUNT = [
    Scenario("aftercare:own_account_link", _own_account_page("own-account/link"), _link_back),
    Scenario(
        "aftercare:own_account_revoke",
        _own_account_page("", link=True),
        lambda v: did(
            OwnAccountLink.objects.get(interview=v.interview).revoked_at is not None,
            "the child's link revoked",
        ),
    ),
    Scenario(
        "aftercare:own_account_withdraw",
        _own_account_page("own-account/withdraw", account=True),
        lambda v: {"method": OwnAccount.objects.get(interview=v.interview).withdrawal_method},
    ),
    Scenario(
        "own_account:form",
        _child_form_setup,
        _child_form_back,
        # "Nobody" keeps no words: the choice that keeps them, so they can be read back.
        overrides=lambda v: {"sharing": Sharing.NAMED},
    ),
]


# --- notifications ---------------------------------------------------------------------------


def _inbox_setup(scene: Scene, choices: dict[str, str], what: str) -> Visit:
    visit = signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/notifications/")
    notification = scene.notification(visit.me)
    visit.things["notification"] = notification
    visit.pick = lambda form: form.action.endswith(f"/notifications/{notification.pk}/{what}")
    return visit


def _read(visit: Visit) -> dict[str, Any]:
    notification = notifications.inbox(visit.actor).get(pk=visit.notification.pk)
    return did(notification.read_at is not None, "notification marked read")


def _rules_back(visit: Visit) -> dict[str, Any]:
    limits = thresholds(visit.organisation)
    return {
        "repeat_count": limits.repeat_count,
        "repeat_days": limits.repeat_days,
        "high_risk_review_hours": ", ".join(map(str, limits.high_risk_review_hours)),
        "long_episode_hours": ", ".join(map(str, limits.long_episode_hours)),
    }


def _hours(rng: random.Random) -> str:
    return ", ".join(str(h) for h in sorted(rng.sample(range(1, 200), rng.randint(1, 4))))


NOTIFICATIONS = [
    Scenario(
        "notifications:rules",
        lambda scene, choices: signed_in(scene, Role.COUNCIL_MANAGER, "/notifications/rules"),
        _rules_back,
        overrides=lambda v: {
            "high_risk_review_hours": _hours(random.Random(v.page + "h")),
            "long_episode_hours": _hours(random.Random(v.page + "l")),
        },
    ),
    Scenario("notifications:open", lambda s, c: _inbox_setup(s, c, "open"), _read),
    Scenario("notifications:read", lambda s, c: _inbox_setup(s, c, "read"), _read),
]

# --- linkage -----------------------------------------------------------------------------------


def _pair(scene: Scene) -> MatchCandidate:
    """A pair waiting for review: the council's child and the record a force made."""
    record = factories.ChildFactory(
        responsible_council=factories.CouncilFactory(police_force=scene.police),
        added_by_organisation=scene.police,
    )
    candidate = linkage.queue_match(
        scene.child().pk,
        record.pk,
        probability=0.9,
        match_weight=6.0,
        evidence=[{"field": "dob", "label": "Date of birth", "level": "Exact", "weight": 5.0}],
        source=MatchCandidate.Source.RUN,
    )
    assert candidate is not None
    return candidate


def _decision_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    candidate = _pair(scene)
    return signed_in(
        scene,
        Role.COUNCIL_MISSING_COORDINATOR,
        f"/possible-duplicates/{candidate.pk}/",
        candidate=candidate,
    )


def _decision_back(visit: Visit) -> dict[str, Any]:
    candidate = MatchCandidate.objects.get(pk=visit.candidate.pk)
    return {
        "decision": candidate.status,
        "reason": candidate.reason,
        "version": lambda sent: candidate.version == int(sent) + 1,
    }


def _unlink_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    candidate = _pair(scene)
    linkage.decide_match(
        scene.actor(Role.COUNCIL_MISSING_COORDINATOR), candidate.pk, same=True, reason="Same"
    )
    return signed_in(
        scene,
        Role.COUNCIL_MISSING_COORDINATOR,
        f"/possible-duplicates/records/{candidate.left_id}/unlink",
        candidate=candidate,
    )


def _unlink_back(visit: Visit) -> dict[str, Any]:
    link = RecordLink.objects.get(candidate=visit.candidate)
    assert link.unlinked_at is not None, "the link did not end"
    return {"reason": link.unlink_reason}


LINKAGE = [
    Scenario("linkage:review", _decision_setup, _decision_back),
    Scenario("linkage:unlink", _unlink_setup, _unlink_back),
]

# --- safeguarding: the child's plan ---------------------------------------------------------


def _planned_child(scene: Scene, *, plan: bool) -> Child:
    """A child of the council, with (``plan``) version 1 of a plan written (test set-up)."""
    from homeward.safeguarding.services import plans

    child = scene.child()
    if plan:
        worker = scene.actor(Role.SOCIAL_WORKER)
        plans.save_plan(
            worker,
            child.pk,
            plans.PlanInput(
                risks="Exploitation at the station",
                if_missing=["Ring her aunt"],
                review_date=clock.now().date() + timedelta(days=20),
                owner_id=worker.user.pk if worker.user else None,
            ),
            None,
        )
    return child


def _plan_edit_setup(plan: bool) -> Callable[[Scene, dict[str, str]], Visit]:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        child = _planned_child(scene, plan=plan)
        return signed_in(scene, Role.SOCIAL_WORKER, f"/children/{child.pk}/plan/edit", child=child)

    return setup


def _steps_kept(steps: list[str]) -> Callable[[str], bool]:
    return lambda sent: steps == [line.strip() for line in sent.splitlines() if line.strip()]


def _plan_back(visit: Visit) -> dict[str, Any]:
    from homeward.safeguarding.services import plans

    version = plans.read_plan(visit.actor, visit.child.pk).version
    assert version is not None, "no plan was saved"
    kept: dict[str, Any] = {
        "risks": version.risks,
        "if_missing": _steps_kept(version.if_missing),
        "report_after_minutes": version.report_after_minutes,
        "review_date": version.review_date,
        "owner": version.owner_id,
    }
    if version.number > 1:
        kept["change_note"] = version.change_note
    for n, row in enumerate(version.agencies):
        kept.update({f"agencies-{n}-{k}": v for k, v in row.items()})
    for n, row in enumerate(version.actions):
        kept[f"actions-{n}-action"] = row["action"]
        kept[f"actions-{n}-owner"] = row["owner"]
        kept[f"actions-{n}-due"] = date.fromisoformat(row["due"])
        kept[f"actions-{n}-done"] = ["yes"] if row["done"] else []
    return kept


def _plan_answers(visit: Visit) -> dict[str, Any]:
    return {
        "report_after_minutes": "45",
        "if_missing": "Ring her aunt first on 07700 900123\r\nCheck Ashcombe station",
        "review_date": clock.now().date() + timedelta(days=40),
    }


def _plan_review_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    from homeward.safeguarding.models import PlanReview, ReviewTrigger
    from homeward.safeguarding.services import reviews

    child = _planned_child(scene, plan=True)
    key = f"high_risk:round-trip-{child.pk}"
    reviews.open_review(child, ReviewTrigger.HIGH_RISK, key)
    review = PlanReview.objects.get(source_key=key)
    return signed_in(
        scene, Role.COUNCIL_MISSING_COORDINATOR, f"/plans/reviews/{review.pk}", review=review
    )


SAFEGUARDING_PLANS = [
    Scenario("safeguarding:plan_edit", _plan_edit_setup(False), _plan_back, _plan_answers),
    Scenario(
        "safeguarding:plan_edit",
        _plan_edit_setup(True),
        _plan_back,
        _plan_answers,
        label="next version",
    ),
    Scenario(
        "safeguarding:plan_review",
        _plan_review_setup,
        lambda v: {"outcome": type(v.review).objects.get(pk=v.review.pk).outcome},
    ),
]

# --- safeguarding: the missing profile -------------------------------------------------------


def _profile_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    child = scene.child()
    return signed_in(scene, Role.CARE_MANAGER, f"/children/{child.pk}/profile/edit", child=child)


def _profile_back(visit: Visit) -> dict[str, Any]:
    read = profiles.read_profile(visit.actor, visit.child.pk)
    profile = read.profile
    assert profile is not None, "no profile was saved"
    kept: dict[str, Any] = {name: getattr(profile, name) for name in profiles.TEXT_FIELDS}
    kept["review_date"] = profile.review_date
    for key, rows in (("associates", profile.associates), ("places", profile.places)):
        for index, row in enumerate(rows):
            kept.update({f"{key}-{index}-{field}": value for field, value in row.items()})
    return kept


def _photo_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    child = scene.child()
    visit = signed_in(scene, Role.CARE_STAFF, f"/children/{child.pk}/profile/photos", child=child)
    save_profile(visit.actor, child)
    return visit


def _photo_back(visit: Visit) -> dict[str, Any]:
    photo = profiles.read_profile(visit.actor, visit.child.pk).photo
    assert photo is not None, "no photograph was kept"
    return {
        "photo": lambda sent: photo.current and photo.size_bytes > 0,
        "taken_on": photo.taken_on,
    }


SAFEGUARDING_PROFILES = [
    Scenario(
        "safeguarding:edit-profile",
        _profile_setup,
        _profile_back,
        overrides=lambda v: {"review_date": clock.now().date() + timedelta(days=60)},
    ),
    Scenario("safeguarding:add-photo", _photo_setup, _photo_back),
]


# --- the briefing sheet and the public appeal ---------------------------------------------


def _agree_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    episode = scene.open_episode()
    page = f"/episodes/{episode.reference}/appeal/agree"
    return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, page, episode=episode)


def _agree_back(visit: Visit) -> dict[str, Any]:
    appeal = PublicAppeal.objects.get(episode__reference=visit.episode.reference)
    return {"publish": appeal.fields, "wording": appeal.wording}


def _withdraw_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    visit = _agree_setup(scene, choices)
    appeals.agree_appeal(visit.actor, visit.episode.reference, fields=["first_name"])
    visit.page = f"/episodes/{visit.episode.reference}/appeal/withdraw"
    return visit


def _withdraw_back(visit: Visit) -> dict[str, Any]:
    appeal = PublicAppeal.objects.get(episode__reference=visit.episode.reference)
    assert appeal.withdrawn_at is not None, "the appeal was not withdrawn"
    return {"reason": appeal.withdrawn_reason}


BRIEFING = [
    Scenario("safeguarding:agree-appeal", _agree_setup, _agree_back),
    Scenario("safeguarding:withdraw-appeal", _withdraw_setup, _withdraw_back),
]


# --- the home's missing protocol ---------------------------------------------------------


def _home_protocol(scene: Scene) -> None:
    if not HomeProtocol.objects.filter(home=scene.home).exists():
        manager = scene.actor(Role.CARE_MANAGER)
        protocols.save_home_protocol(manager, protocols.default_steps(), sign_off_hours=24)


def _protocol_episode(scene: Scene, *, started: bool = True, recorded: bool = False) -> Episode:
    """An open episode of a child at the scene's home, its protocol started (or not)."""
    _home_protocol(scene)
    episode = scene.open_episode()
    if started:
        staff = scene.actor(Role.CARE_STAFF)
        run = protocol_runs.start_run(staff, episode.reference)
        for step in run.steps.all() if recorded else []:
            protocol_runs.record_step(
                staff, episode.reference, step.position, StepResult(False, None, "Came back")
            )
    return episode


def _protocol_page(role: str, **state: bool) -> Callable[..., Visit]:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        episode = _protocol_episode(scene, **state)
        visit = signed_in(scene, role, f"/episodes/{episode.reference}/protocol", episode=episode)
        visit.pick = lambda form: form.action.endswith(
            ("/steps/1", "/sign-off", "/notices", "/start")
        )
        return visit

    return setup


def _run(visit: Visit) -> ProtocolRun:
    return ProtocolRun.objects.get(episode__reference=visit.episode.reference)


def _protocol_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    _home_protocol(scene)
    return signed_in(scene, Role.CARE_MANAGER, "/protocols/home")


def _protocol_back(visit: Visit) -> dict[str, Any]:
    protocol = HomeProtocol.objects.get(home=visit.organisation)
    kept: dict[str, Any] = {"sign_off_hours": protocol.sign_off_hours}
    for index, step in enumerate(protocol.steps.all()):
        kept |= {
            f"steps-{index}-kind": step.kind,
            f"steps-{index}-text": step.text,
            f"steps-{index}-within_minutes": step.within_minutes,
        }
    return kept


def _step_back(visit: Visit) -> dict[str, Any]:
    step = _run(visit).steps.get(position=1)
    return {
        "step-1-outcome": "done" if step.done_at else "not_done",
        "step-1-done_at": step.done_at,
        "step-1-not_done_reason": step.not_done_reason,
        "step-1-note": step.note,
    }


def _notice_back(visit: Visit) -> dict[str, Any]:
    notice = _run(visit).notices.get()
    return {
        "notice-recipient": notice.recipient,
        "notice-notified_at": notice.notified_at,
        "notice-reference": notice.reference,
        "notice-reason": notice.reason,
    }


PROTOCOLS = [
    Scenario("safeguarding:protocol-home", _protocol_setup, _protocol_back),
    Scenario(
        "safeguarding:protocol-start",
        _protocol_page(Role.CARE_STAFF, started=False),
        lambda v: did(ProtocolRun.objects.filter(episode=v.episode).exists(), "run started"),
    ),
    Scenario(
        "safeguarding:protocol-step",
        _protocol_page(Role.CARE_STAFF),
        _step_back,
        overrides=lambda v: {"step-1-outcome": "done"},
        not_kept={"step-1-not_done_reason": "a step done keeps no reason for not doing it"},
        label="done",
    ),
    Scenario(
        "safeguarding:protocol-step",
        _protocol_page(Role.CARE_STAFF),
        _step_back,
        overrides=lambda v: {"step-1-outcome": "not_done"},
        not_kept={"step-1-done_at": "a step not done has no time it was done"},
        label="not done",
    ),
    Scenario(
        "safeguarding:protocol-sign-off",
        _protocol_page(Role.CARE_MANAGER, recorded=True),
        lambda v: {"signoff-note": _run(v).sign_off_note},
    ),
    Scenario("safeguarding:protocol-notices", _protocol_page(Role.CARE_STAFF), _notice_back),
]

# --- safeguarding: multi-agency meetings ------------------------------------------------------


def _a_meeting(scene: Scene) -> Any:
    """A panel of the council's, begun an hour ago, an open episode on its agenda, with a
    member from the force and an action owned by a social worker (test set-up)."""
    from homeward.safeguarding.services import meeting_actions, meetings

    scene.open_episode()
    coordinator = scene.actor(Role.COUNCIL_MISSING_COORDINATOR)
    meeting = meetings.open_meeting(
        coordinator,
        meetings.MeetingInput(
            kind="panel",
            scheduled_for=clock.now() - timedelta(hours=1),
            members=[meetings.MemberInput(scene.police.pk, "DS Pell", "Missing persons")],
        ),
    )
    worker = scene.user(Role.SOCIAL_WORKER)
    meeting_actions.record_action(
        coordinator,
        meeting.pk,
        meeting_actions.ActionInput("Ring the school", worker.pk, clock.now().date()),
    )
    return meeting, worker


def _meeting_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    meeting, _ = _a_meeting(scene)
    page = f"/meetings/{meeting.pk}/"
    return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, page, meeting=meeting)


def _meeting_now(visit: Visit) -> Any:
    from homeward.safeguarding.models import Meeting

    return Meeting.objects.get(pk=visit.meeting.pk)


def _attendance_back(visit: Visit) -> dict[str, Any]:
    marks = {}
    for m in _meeting_now(visit).members.all():
        marks[f"member-{m.pk}"] = (
            "attended" if m.attended else "apologies" if m.apologies else "absent"
        )
    return marks


def _member_back(visit: Visit) -> dict[str, Any]:
    added = _meeting_now(visit).members.order_by("-pk").first()
    assert added is not None
    return {
        "member-organisation": added.organisation_id,
        "member-name": added.name,
        "member-role": added.role,
    }


def _action_back(visit: Visit) -> dict[str, Any]:
    from homeward.safeguarding.services import meeting_actions

    meeting = _meeting_now(visit)
    action = meeting.actions.order_by("-pk").first()
    assert action is not None
    owner = next(
        m.pk
        for m in meeting_actions.owner_choices(meeting)
        if (m.user_id, m.organisation_id) == (action.owner_id, action.owner_organisation_id)
    )
    return {
        "action-text": action.text,
        "action-owner": owner,
        "action-due_on": action.due_on,
    }


def _meeting_decision_back(visit: Visit) -> dict[str, Any]:
    decision = _meeting_now(visit).decisions.order_by("-pk").first()
    assert decision is not None
    return {"decision-text": decision.text, "decision-agenda_item": decision.agenda_item}


def _held_back(visit: Visit) -> dict[str, Any]:
    assert _meeting_now(visit).status == "held"
    return {}


def _rebuilt_back(visit: Visit) -> dict[str, Any]:
    assert _meeting_now(visit).agenda_built_at is not None
    assert redirected_to(visit).endswith(f"/meetings/{visit.meeting.pk}/")
    return {}


def _open_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    child = scene.child()
    return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/meetings/open", child=child)


def _opened_back(visit: Visit) -> dict[str, Any]:
    from homeward.safeguarding.models import Meeting

    meeting = Meeting.objects.get(pk=int(redirected_to(visit).strip("/").split("/")[-1]))
    kept: dict[str, Any] = {
        "kind": meeting.kind,
        "scheduled_for": meeting.scheduled_for,
        "location": meeting.location,
        "chair": meeting.chair,
        "child_id": meeting.child_id,
        "reason": meeting.reason,
    }
    for n, m in enumerate(meeting.members.order_by("pk")):
        kept.update(
            {
                f"members-{n}-organisation": m.organisation_id,
                f"members-{n}-name": m.name,
                f"members-{n}-role": m.role,
            }
        )
    return kept


def _action_done_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    meeting, worker = _a_meeting(scene)
    action = meeting.actions.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    page = f"/meetings/actions/{action.pk}/done"
    return Visit(client=client, page=page, user=worker, things={"action": action})


def _due_in_a_fortnight(visit: Visit) -> dict[str, Any]:
    return {"action-due_on": clock.now().date() + timedelta(days=14)}


MEETINGS = [
    Scenario(
        "safeguarding:meeting-open",
        _open_setup,
        _opened_back,
        overrides=lambda v: {"kind": "strategy", "child_id": str(v.child.pk)},
    ),
    Scenario("safeguarding:meeting-attendance", _meeting_setup, _attendance_back),
    Scenario("safeguarding:meeting-add-member", _meeting_setup, _member_back),
    Scenario(
        "safeguarding:meeting-minutes",
        _meeting_setup,
        lambda v: {"minutes": _meeting_now(v).minutes},
    ),
    Scenario("safeguarding:meeting-decision", _meeting_setup, _meeting_decision_back),
    Scenario(
        "safeguarding:meeting-action",
        _meeting_setup,
        _action_back,
        overrides=_due_in_a_fortnight,
        not_kept={"action-agenda_item": "the item is kept as the child it is about"},
    ),
    Scenario("safeguarding:meeting-hold", _meeting_setup, _held_back),
    Scenario(
        "safeguarding:meeting-cancel",
        _meeting_setup,
        lambda v: {"cancel-reason": lambda sent: _meeting_now(v).reason.endswith(sent.strip())},
    ),
    Scenario("safeguarding:meeting-rebuild", _meeting_setup, _rebuilt_back),
    Scenario(
        "safeguarding:meeting-action-done",
        _action_done_setup,
        lambda v: {"done_note": type(v.action).objects.get(pk=v.action.pk).done_note},
    ),
]

# --- places (issue 15) ---------------------------------------------------------------------


def _place_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    episode = scene.open_episode()
    page = f"/places/new?episode={episode.reference}"
    return signed_in(scene, Role.POLICE_OFFICER, page, episode=episode, organisation=scene.police)


def _place_back(visit: Visit) -> dict[str, Any]:
    assert redirected_to(visit).endswith("#places"), "the place was not saved and linked"
    link = PlaceLink.objects.select_related("place").get(episode__reference=visit.episode.reference)
    place = link.place
    kept: dict[str, Any] = {
        name: getattr(place, name) for name in ("name", "kind", "address", "postcode", "notes")
    }
    kept |= {"latitude": place.latitude, "longitude": place.longitude, "role": link.role}
    kept["council"] = place.council_id
    return kept


def _places_search_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    place = Place.objects.create(
        name="Bandstand by the river", council=scene.council, created_at=clock.now()
    )
    return signed_in(scene, Role.SOCIAL_WORKER, "/places", target=place)


def _places_found(visit: Visit) -> dict[str, Any]:
    page = visit.response.content.decode()
    [search] = [f for f in read_forms(page) if urlsplit(f.action).path == "/places"]
    assert visit.target.name in page, "the search did not list the place"
    return {"q": search.question("q").value}


PLACES = [
    Scenario(
        "safeguarding:place_new",
        _place_setup,
        _place_back,
        overrides=lambda v: {
            "postcode": "AB1 2CD",
            "latitude": "52.0123",
            "longitude": "-1.2345",
            "council": str(v.organisation.council_areas.get().pk),
            "choice": "new",
        },
        not_kept={"choice": "the answer to 'did you mean' is not a field of the place"},
    ),
    Scenario(
        "safeguarding:places",
        _places_search_setup,
        _places_found,
        overrides=lambda v: {"q": "Bandstand"},
    ),
]


# --- safeguarding: persons of concern and harbouring notices ------------------------------


def _person_world(scene: Scene, role: str = Role.POLICE_OFFICER) -> dict[str, Any]:
    """A child of the council (missing once, so the force sees them), a place in the
    council's area, and a person the force recorded, linked to the child."""
    from tests.safeguarding.factories_persons import make_place, record

    child = scene.child()
    episode = scene.open_episode(child)
    place = make_place(scene.council)
    person = record(scene.actor(Role.POLICE_OFFICER), child)
    return {"child": child, "episode": episode, "place": place, "person": person}


def _person_page(role: str, page: str, notice: bool = False) -> Callable[..., Visit]:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        made = _person_world(scene)
        if notice:
            from tests.safeguarding.factories_persons import issue

            made["notice"] = issue(scene.actor(Role.POLICE_OFFICER), made["person"], made["child"])
        path = page.format(
            child=made["child"].pk,
            person=made["person"].pk,
            notice=getattr(made.get("notice"), "pk", 0),
        )
        return signed_in(scene, role, path, **made)

    return setup


def _person_fields(person: Any, police: bool) -> dict[str, Any]:
    kept = {
        "name": person.name,
        "other_names": "\n".join(person.other_names),
        "date_of_birth": person.date_of_birth,
        "approximate_age": person.approximate_age,
        "description": person.description,
    }
    if police:
        kept["police_notes"] = person.police_notes
    return kept


def _link_fields(link: Any, prefix: str = "", *, child: bool = True) -> dict[str, Any]:
    kept = {
        f"{prefix}episode": link.episode.reference if link.episode else "",
        f"{prefix}place": str(link.place_id or ""),
        f"{prefix}nature": link.nature,
        f"{prefix}source": link.source,
        f"{prefix}source_evaluation": link.source_evaluation,
        f"{prefix}information_assessment": link.information_assessment,
    }
    if child:
        kept[f"{prefix}child"] = str(link.child_id or "")
    return kept


def _recorded_back(visit: Visit) -> dict[str, Any]:
    from homeward.safeguarding.models import PersonOfConcern

    person = PersonOfConcern.objects.order_by("-pk").first()
    assert person is not None, "no person was recorded"
    assert person.pk != visit.person.pk, "no person was recorded"
    return {
        **_person_fields(person, False),
        **_link_fields(person.links.get(), "link-", child=False),
    }


def _edited_back(visit: Visit) -> dict[str, Any]:
    visit.person.refresh_from_db()
    return _person_fields(visit.person, True)


def _linked_back(visit: Visit, prefix: str = "", child: bool = True) -> dict[str, Any]:
    link = visit.person.links.order_by("-pk").first()
    kept = _link_fields(link, prefix, child=child)
    if child:
        kept["police_only"] = ["yes"] if link.police_only else []
    return kept


def _to_child_back(visit: Visit) -> dict[str, Any]:
    return {**_linked_back(visit, child=False), "person": str(visit.person.pk)}


def _removed_back(visit: Visit) -> dict[str, Any]:
    link = visit.person.links.get()
    assert link.removed_at is not None, "the link was not removed"
    return {}


def _notice_of(visit: Visit) -> Any:
    from homeward.safeguarding.models import HarbouringNotice

    return HarbouringNotice.objects.filter(person=visit.person).order_by("-pk").first()


def _issued_back(visit: Visit) -> dict[str, Any]:
    n = _notice_of(visit)
    assert n is not None, "no notice was recorded"
    return {
        "children": [c.pk for c in n.children.all()],
        "reference": n.reference,
        "issued_on": n.issued_on,
        "served_by": n.served_by,
        "review_on": n.review_on,
        "expires_on": n.expires_on,
        "notes": n.notes,
    }


def _reviewed_back(visit: Visit) -> dict[str, Any]:
    n = _notice_of(visit)
    return {
        "reviewed_on": n.last_reviewed_on,
        "next_review_on": n.review_on,
        "notes": n.review_notes,
    }


def _withdrawn_back(visit: Visit) -> dict[str, Any]:
    n = _notice_of(visit)
    return {"reason": n.withdrawn_reason, "withdrawn_on": n.withdrawn_on}


def _breach_back(visit: Visit) -> dict[str, Any]:
    b = _notice_of(visit).breaches.get()
    return {
        "child": str(b.child_id),
        "occurred_at": b.occurred_at,
        "place": str(b.place_id or ""),
        "location": b.location,
        "episode": b.episode.reference if b.episode else "",
        "details": b.details,
    }


def _today() -> date:
    return clock.now().astimezone(UK).date()


_PERSON_OVERRIDES = {"other_names": "Oz", "date_of_birth": date(1994, 5, 17)}
PERSONS = [
    Scenario(
        "safeguarding:record-person",
        _person_page(Role.COUNCIL_MISSING_COORDINATOR, "/persons/new?child={child}"),
        _recorded_back,
        overrides=lambda v: {**_PERSON_OVERRIDES, "link-episode": v.episode.reference},
    ),
    Scenario(
        "safeguarding:edit-person",
        _person_page(Role.POLICE_OFFICER, "/persons/{person}/edit"),
        _edited_back,
        overrides=lambda v: _PERSON_OVERRIDES,
    ),
    Scenario(
        "safeguarding:link-person",
        _person_page(Role.POLICE_OFFICER, "/persons/{person}/links/new"),
        _linked_back,
        overrides=lambda v: {"child": str(v.child.pk), "episode": v.episode.reference},
    ),
    Scenario(
        "safeguarding:link-person-to-child",
        _person_page(Role.COUNCIL_MISSING_COORDINATOR, "/children/{child}/persons/link"),
        _to_child_back,
        overrides=lambda v: {"person": str(v.person.pk), "episode": v.episode.reference},
    ),
    Scenario(
        "safeguarding:remove-person-link",
        _person_page(Role.POLICE_OFFICER, "/persons/{person}"),
        _removed_back,
    ),
    Scenario(
        "safeguarding:issue-notice",
        _person_page(Role.POLICE_OFFICER, "/persons/{person}/notices/new"),
        _issued_back,
        overrides=lambda v: {
            "reference": "CAWN-RT-0001",
            "issued_on": _today(),
            "review_on": _today() + timedelta(days=30),
            "expires_on": _today() + timedelta(days=300),
        },
    ),
    Scenario(
        "safeguarding:review-notice",
        _person_page(Role.POLICE_OFFICER, "/notices/{notice}/review", notice=True),
        _reviewed_back,
        overrides=lambda v: {
            "reviewed_on": _today(),
            "next_review_on": _today() + timedelta(days=60),
        },
    ),
    Scenario(
        "safeguarding:withdraw-notice",
        _person_page(Role.POLICE_OFFICER, "/notices/{notice}/withdraw", notice=True),
        _withdrawn_back,
        overrides=lambda v: {"withdrawn_on": _today()},
    ),
    Scenario(
        "safeguarding:record-breach",
        _person_page(Role.POLICE_OFFICER, "/notices/{notice}/breach", notice=True),
        _breach_back,
        overrides=lambda v: {"episode": v.episode.reference},
    ),
]

# --- themes (issue 16) ---------------------------------------------------------------------


def _a_theme_world(scene: Scene) -> tuple[Theme, Theme, ThemeItem]:
    """Two themes of the council's, the first holding an item of an interview's words,
    and a decision and an action of one of its meetings (test set-up)."""
    from homeward.safeguarding.services import meeting_actions

    now = clock.now()
    first = Theme.objects.create(council=scene.council, created_at=now, updated_at=now)
    second = Theme.objects.create(
        council=scene.council, name="Someone to talk to", created_at=now, updated_at=now
    )
    item = ThemeItem.objects.create(
        council=scene.council,
        interview=scene.interview(),
        source="child_account",
        theme=first,
        text_hash="",
        assigned_at=now,
    )
    meeting, _ = _a_meeting(scene)
    meeting_actions.record_decision(
        scene.actor(Role.COUNCIL_MISSING_COORDINATOR),
        meeting.pk,
        meeting_actions.DecisionInput("Ask the youth service for evening sessions", ""),
    )
    return first, second, item


def _theme_page(scene: Scene, choices: dict[str, str]) -> Visit:
    first, second, item = _a_theme_world(scene)
    page = f"/themes/{first.pk}/"
    return signed_in(
        scene, Role.COUNCIL_MISSING_COORDINATOR, page, theme=first, other=second, item=item
    )


def _link_page(scene: Scene, choices: dict[str, str]) -> Visit:
    _a_theme_world(scene)
    return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/themes/link")


def _index_page(scene: Scene, choices: dict[str, str]) -> Visit:
    return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/themes/")


def _tidy(sent: str) -> str:
    return " ".join(sent.split())


def _named_back(visit: Visit) -> dict[str, Any]:
    theme = Theme.objects.get(pk=visit.theme.pk)
    return {"name-name": lambda sent: theme.name == _tidy(sent)}


def _merged_back(visit: Visit) -> dict[str, Any]:
    return {"merge-into": Theme.objects.get(pk=visit.theme.pk).merged_into_id}


def _moved_back(visit: Visit) -> dict[str, Any]:
    item = ThemeItem.objects.select_related("theme").get(pk=visit.item.pk)
    assert item.confirmed
    assert item.theme is not None
    return {"new_name": lambda sent: item.theme is not None and item.theme.name == _tidy(sent)}


def _theme_linked_back(visit: Visit) -> dict[str, Any]:
    link = ThemeLink.objects.get()
    theme = f"theme-{link.theme_id}" if link.theme_id else f"{link.coded_kind}:{link.coded_code}"
    return {
        "theme": theme,
        "kind": link.kind,
        "decision": link.decision_id,
        "summary": lambda sent: link.summary == _tidy(sent),
        "answered_on": link.answered_on,
    }


def _queued_back(visit: Visit) -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="themes_run").exists()
    return {}


THEMES = [
    Scenario("themes:name", _theme_page, _named_back),
    Scenario("themes:merge", _theme_page, _merged_back),
    Scenario(
        "themes:correct",
        _theme_page,
        _moved_back,
        not_kept={"theme": "a new name, when given, wins over the theme chosen"},
    ),
    Scenario(
        "themes:link",
        _link_page,
        _theme_linked_back,
        overrides=lambda v: {"kind": "decision", "answered_on": _today()},
        not_kept={"action": "only the answer of the kind chosen (a decision) is kept"},
    ),
    Scenario("themes:run", _index_page, _queued_back),
]


# --- case audits ------------------------------------------------------------------------------


def _case_audit(scene: Scene, by: User | None = None) -> Any:
    """The council's coordinator samples its episodes of the last month (test set-up)."""
    scene.open_episode()
    scene.returned_episode()
    return case_audits.open_audit(
        Actor.for_user(by) if by else scene.actor(Role.COUNCIL_MISSING_COORDINATOR),
        case_audits.AuditInput(
            council_id=scene.council.pk,
            title="Round trip",
            unit="episodes",
            period_start=_today() - timedelta(days=30),
            period_end=_today(),
            size=2,
        ),
    )


def _case_audit_page(page: str) -> Callable[..., Visit]:
    def setup(scene: Scene, choices: dict[str, str]) -> Visit:
        audit = _case_audit(scene)
        case = audit.cases.order_by("position").first()
        visit = signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/", audit=audit, case=case)
        visit.client.force_login(audit.opened_by)  # a member: the one who drew the sample
        visit.user = audit.opened_by
        visit.page = page.format(audit=audit.pk, case=case.pk if case else 0)
        return visit

    return setup


def _new_audit_setup(scene: Scene, choices: dict[str, str]) -> Visit:
    scene.open_episode()
    scene.user(Role.COUNCIL_MANAGER)  # someone to choose as a member
    scene.user(Role.INSPECTOR)
    return signed_in(scene, Role.COUNCIL_MISSING_COORDINATOR, "/case-audits/new")


def _new_audit_back(visit: Visit) -> dict[str, Any]:
    from homeward.case_audits.models import CaseAudit

    audit = CaseAudit.objects.get(pk=int(redirected_to(visit).strip("/").split("/")[-1]))
    return {
        "council": audit.council_id,
        "title": audit.title,
        "unit": audit.unit,
        "period_start": audit.period_start,
        "period_end": audit.period_end,
        "size": audit.size,
        "strata": list(audit.strata),
        "seed": audit.seed,
        "ends_on": audit.ends_on,
        "members": sorted(m.user_id for m in audit.members.all() if m.user_id != visit.me.pk),
    }


def _judged_back(visit: Visit) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for j in visit.case.judgements.all():
        kept[f"{j.question}-judgement"] = j.judgement
        kept[f"{j.question}-note"] = j.note
    return kept


def _closed_back(visit: Visit) -> dict[str, Any]:
    visit.audit.refresh_from_db()
    assert visit.audit.status == "closed"
    return {}


CASE_AUDITS = [
    Scenario(
        "case_audits:new",
        _new_audit_setup,
        _new_audit_back,
        overrides=lambda v: {
            "period_start": _today() - timedelta(days=30),
            "period_end": _today(),
            "ends_on": _today() + timedelta(days=30),
            "size": "5",
        },
    ),
    Scenario(
        "case_audits:case", _case_audit_page("/case-audits/{audit}/cases/{case}"), _judged_back
    ),
    Scenario("case_audits:close", _case_audit_page("/case-audits/{audit}/"), _closed_back),
]

SAFEGUARDING = (
    SAFEGUARDING_PLANS + SAFEGUARDING_PROFILES + BRIEFING + PROTOCOLS + MEETINGS + PLACES + PERSONS
)
SCENARIOS = (
    ORGANISATIONS + CHILDREN + EPISODES + AFTERCARE + NOTIFICATIONS + LINKAGE + SAFEGUARDING
) + THEMES
SCENARIOS += OWN_ACCOUNT
SCENARIOS += CASE_AUDITS
SCENARIO_KEYS = {s.key for s in SCENARIOS}


# --- running one -----------------------------------------------------------------------------


def form_key(form: HtmlForm) -> str:
    """The form's identity: the URL name it posts to, and the ``action`` it says."""
    path = urlsplit(form.action).path
    match = resolve(path)
    key = f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)
    action = form.hidden.get("action")
    return f"{key}[action={action}]" if action else key


def drawn(visit: Visit, key: str) -> tuple[HtmlForm, str]:
    response = visit.client.get(visit.page, follow=True)
    assert response.status_code == 200, f"{visit.page} answered {response.status_code}"
    url = response.request["PATH_INFO"]
    page = response.content.decode()
    found = [f for f in post_forms(page, url) if form_key(f) == key and visit.pick(f)]
    assert len(found) == 1, f"{visit.page} draws {len(found)} forms posting to {key}"
    return found[0], url


def page_problems(form: HtmlForm) -> list[str]:
    """What the page gets wrong before anything is typed."""
    problems = []
    for q in form.fillable:
        if q.kind == "mixed":
            problems.append(f"{q.name}: drawn as radios and checkboxes at once")
        if "select all that apply" in q.hint.lower() and q.kind != "checkboxes":
            problems.append(
                f"{q.name}: says \u201cSelect all that apply\u201d but is drawn as {q.kind}"
            )
        if not q.label:
            problems.append(f"{q.name}: has no label or legend")
    return problems


def revealed_by(form: HtmlForm, answers: dict[str, Answer]) -> set[str]:
    shown = set()
    for question in form.revealing():
        chosen = answers[question.name].value
        shown |= {o.reveals for o in question.options if o.value == chosen and o.reveals}
    return shown


def _empty(value: Any) -> bool:
    return value in (None, "", [], set(), ())


def same(answer: Answer, kept: Any) -> bool:
    question = answer.question
    if callable(kept):
        [sent] = [v[0] for v in answer.sent.values()]
        return bool(kept(sent))
    if question.kind == "datetime":
        return isinstance(kept, datetime) and wall_clock(kept) == answer.value
    if question.kind == "date":
        return isinstance(kept, date) and kept == answer.value
    if question.kind == "checkboxes":
        return isinstance(kept, list | tuple | set) and set(map(str, kept)) == answer.value
    return bool(str(kept) == answer.value)  # the value is Any: str, set, date or tuple


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 120 else text[:100] + f"... ({len(text)} characters)"


def fill_and_send(
    scenario: Scenario, visit: Visit, rng: random.Random, choices: dict[str, str]
) -> tuple[HtmlForm, dict[str, Answer]]:
    form, url = drawn(visit, scenario.key)
    problems = page_problems(form)
    assert not problems, f"{scenario.id} on {url}:\n" + "\n".join(problems)
    filler = Filler(rng, now=clock.now(), overrides=scenario.overrides(visit), choices=choices)
    answers = {name: filler.answer(q) for name, q in form.questions.items()}
    data: dict[str, list[str]] = {}
    for answer in answers.values():
        data.update(answer.sent)
    visit.response = visit.client.post(form.action, data)
    status = visit.response.status_code
    body = visit.response.content.decode() if status == 200 else ""
    errors = error_summary(body)
    assert status in (200, 302), f"{scenario.id}: {status} after sending"
    assert not errors, f"{scenario.id}: {status} {errors} after sending\n" + "\n".join(
        f"  {k}: {shown(v)}" for k, v in data.items() if k not in {"csrfmiddlewaretoken"}
    )
    return form, answers


def check_kept(
    scenario: Scenario, form: HtmlForm, answers: dict[str, Answer], kept: dict[str, Any]
) -> list[str]:
    shown_groups = revealed_by(form, answers)
    problems = []
    for name, answer in answers.items():
        question = answer.question
        if not question.fillable:
            continue
        if any(group not in shown_groups for group in question.inside):
            # In a group of questions the user's answer did not reveal: ignored.
            if name in kept and not _empty(kept[name]):
                problems.append(f"{name}: kept {shown(kept[name])} from a group not chosen")
            continue
        if name in scenario.not_kept:
            continue
        if name not in kept:
            problems.append(f"{name}: sent {shown(answer.value)}, but the read-back has nothing")
            continue
        value = kept[name]
        if isinstance(value, list | tuple | set) and not question.multiple:
            problems.append(
                f"{name}: the record keeps several answers, but the page offers {question.kind}"
            )
        elif not same(answer, value):
            problems.append(f"{name}: sent {shown(answer.value)}, kept {shown(value)}")
        if question.multiple and len(question.options) > 1 and len(answer.value) < 2:
            problems.append(f"{name}: only one box was ticked")
    names = {q.name for q in form.questions.values()}
    problems += [
        f"{name}: read back, but the page has no such question"
        for name in kept
        if name not in names
    ]
    return problems


def variants(scenario: Scenario, scene: Scene) -> Iterator[tuple[dict[str, str], Visit]]:
    """One run per answer of each radio that reveals questions (else one run), each with
    its own records."""
    first = scenario.setup(scene, {})
    form, _ = drawn(first, scenario.key)
    found = [{q.name: o.value} for q in form.revealing() for o in q.options]
    if not found:
        yield {}, first
    for choices in found:
        yield choices, scenario.setup(scene, choices)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_answer_survives_the_round_trip(
    scenario: Scenario, scene: Scene, seeded_random: int
) -> None:
    rng = random.Random(seeded_random)
    for choices, visit in variants(scenario, scene):
        form, answers = fill_and_send(scenario, visit, rng, choices)
        kept = scenario.read_back(visit)
        problems = check_kept(scenario, form, answers, kept)
        assert not problems, f"{scenario.id} {choices or ''}:\n" + "\n".join(problems)


def revealing_choice(form: HtmlForm, question: Question) -> dict[str, str]:
    """The radio answers that show ``question`` (it may sit in a revealed group)."""
    choices = {}
    for radio in form.revealing():
        for option in radio.options:
            if option.reveals and option.reveals in question.inside:
                choices[radio.name] = option.value
    return choices


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_too_long_answers_are_refused_in_the_design_systems_words(
    scenario: Scenario, scene: Scene, seeded_random: int
) -> None:
    """One character over a text box's limit, for each text box in turn: the page says
    "<Name> must be <n> characters or fewer" beside it, never Django's "Ensure this value
    has at most ...", and nothing is saved (the record's version stays)."""
    visit = scenario.setup(scene, {})
    form, _ = drawn(visit, scenario.key)
    limited = [q for q in form.fillable if q.maxlength and q.kind in {"text", "textarea", "email"}]
    if not limited:
        pytest.skip("no text box with a limit")
    rng = random.Random(seeded_random)
    for question in limited:
        filler = Filler(
            rng,
            now=clock.now(),
            overrides=scenario.overrides(visit),
            choices=revealing_choice(form, question),
        )
        data: dict[str, list[str]] = {}
        for each in form.questions.values():
            data.update(filler.answer(each).sent)
        assert question.maxlength is not None  # as chosen above
        data[question.name] = [filler.words(question.maxlength + 1)]
        response = visit.client.post(form.action, data)
        body = response.content.decode()
        assert response.status_code == 200, f"{scenario.id}, {question.name}: saved anyway"
        assert "Ensure this value" not in body
        expected = f"must be {question.maxlength} characters or fewer"
        errors = [e for e in error_summary(body) if expected in e]
        assert len(errors) == 1, f"{question.name}: {error_summary(body)}"
        assert errors[0][0].isupper(), errors[0]
        assert not errors[0].startswith("Must"), errors[0]
        redrawn = [f for f in post_forms(body, form.action) if form_key(f) == scenario.key]
        assert redrawn, f"{question.name}: the form is not drawn again"
        assert (
            redrawn[0].questions[question.name].value.strip() == data[question.name][0].strip()
        ), f"{question.name}: what was typed is not shown again"


# --- which forms there are ----------------------------------------------------------------

# Pages no link leads to, and how people reach them.
NOT_LINKED = {
    "organisations:set-password": "the one-time link an administrator passes to a new user",
    "organisations:mfa-verify": "after the password, for a user with an authenticator app",
    "healthz": "for the load balancer",
    "safeguarding:profile-photo": "the photograph itself, drawn as an image on the profile's "
    "pages (never a link)",
    "children:report-match": "the button of a likely match on the page adding a child shows "
    "(a POST carrying the match's token)",
    "safeguarding:place_link_remove": "linked beside each link on a place's page and an "
    "episode's places (the crawl's world has none)",
    "own_account:open": "the private link a worker gives a child, by text or QR code",
    "own_account:form": "the child's own form, where their link takes them",
}
# Forms drawn only where no link leads (see NOT_LINKED).
UNLINKED_FORMS = {"organisations:set-password", "organisations:mfa-verify"}
UNLINKED_FORMS |= {"own_account:form"}
PAGES_PER_NAME = 12


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace or ""
            if inner == "api":
                continue  # the API has its own tests and its own OpenAPI document
            yield from url_names(pattern.url_patterns, inner.strip(":"))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def name_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def crawl(client: Client, start: str = "/") -> tuple[set[str], dict[str, str]]:
    """Every page reachable by links from ``start``: the URL names reached, and for each
    POST form found, the page that draws it."""
    seen_paths: set[str] = set()
    per_name: dict[str, int] = {}
    # A page whose one form posts back to it (a change to one record) is the same form
    # whichever record it is for: one visit to it is enough.
    leaves: set[str] = set()
    reached: set[str] = set()
    forms: dict[str, str] = {}
    queue = [start]
    while queue:
        path = queue.pop(0)
        if path in seen_paths:
            continue
        seen_paths.add(path)
        name = name_of(path)
        if name is None or name in leaves or per_name.get(name, 0) >= PAGES_PER_NAME:
            continue
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(path, follow=True)
        final = response.request["PATH_INFO"]
        reached |= {n for n in (name, name_of(final)) if n}
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        for form in post_forms(page, final):
            key = form_key(form)
            forms.setdefault(key, final)
            reached.add(key.split("[")[0])
        drawn_here = [f for f in post_forms(page, final) if form_key(f) != "organisations:sign-out"]
        if len(drawn_here) == 1 and urlsplit(drawn_here[0].action).path == final:
            leaves.add(name)
        queue.extend(link for link in _links(page) if link not in seen_paths)
    return reached, forms


def _links(page: str) -> list[str]:
    import re

    found = []
    for href in re.findall(r'<a [^>]*href="([^"#]*)', page):
        href = href.replace("&amp;", "&")
        if href.startswith("/") and not href.startswith(("/static/", "/api/")):
            found.append(href)
    return found


def busy_area(scene: Scene) -> dict[str, User]:
    """A user of every role, and a record in every state that offers a different form:
    an open episode; a return with no check and an interview not yet offered; a return
    whose interview the child accepted (assigned to the provider); one ready to close; an
    emergency access to review; notifications; API tokens. No more than PAGES_PER_NAME of
    any one kind, so that the crawl reaches each."""
    # A pair of records linked (its records can be unlinked), first so that the crawl
    # meets its child's page; and a pair waiting for review.
    linked = _pair(scene)
    linkage.decide_match(
        scene.actor(Role.COUNCIL_MISSING_COORDINATOR), linked.pk, same=True, reason="Same"
    )
    _pair(scene)
    missing = scene.open_episode(Child.objects.get(pk=linked.left_id))
    # A missing profile with a photograph, on the same child's record.
    keeper = scene.actor(Role.SOCIAL_WORKER)
    ours = Child.objects.get(
        pk__in=(linked.left_id, linked.right_id), responsible_council=scene.council
    )
    save_profile(keeper, ours)
    add_profile_photo(keeper, ours)
    # A child of the council missing, with a public appeal agreed (its page, its PDF and
    # the withdraw form).
    appealed = scene.open_episode()
    appeals.agree_appeal(
        scene.actor(Role.COUNCIL_MISSING_COORDINATOR), appealed.reference, fields=["age"]
    )
    # The home's protocol, started for the open episode (the returned ones offer a start).
    _protocol_episode(scene)
    scene.interview()
    interview = scene.interview(accepted=True)
    aftercare.assign_provider(
        scene.actor(Role.COUNCIL_MISSING_COORDINATOR), interview.pk, scene.provider.pk
    )
    factories.record_aftercare(scene.returned_episode())
    # A child's own-account link given, and an account the child gave (named).
    coordinator = scene.actor(Role.COUNCIL_MISSING_COORDINATOR)
    own_accounts.issue_link(coordinator, scene.interview().pk)
    give_own_account(scene.interview().pk, coordinator)
    scene.emergency_access()
    # A child with a plan, and a review of it to do (the plan's pages and forms).
    _plan_review_setup(scene, {})
    # A panel of the council's with an action owned by a social worker.
    _a_meeting(scene)
    # A person of concern linked to a child, with a notice (their pages and forms).
    _person_page(Role.POLICE_OFFICER, "/", notice=True)(scene, {})
    # Two themes of the council's, one with an item, and a meeting decision to link.
    _a_theme_world(scene)
    # A child added with their council not known, and a board report already made.
    factories.ChildFactory(responsible_council=scene.council, responsible_council_provisional=True)
    board.generate(scene.council, *board.last_complete_quarter())
    users = {role: scene.user(role) for role in Role.values}
    # An audit the crawling coordinator drew, so they are a member (its pages and forms).
    _case_audit(scene, users[Role.COUNCIL_MISSING_COORDINATOR])
    for role in (Role.COUNCIL_MISSING_COORDINATOR, Role.SOCIAL_WORKER):
        scene.notification(users[role], missing)
    factories.api_token(users[Role.SOCIAL_WORKER])
    # The member the admin's list shows first holds a token, so that the crawl, which
    # opens only PAGES_PER_NAME member pages, meets the revoke form whatever the names.
    first = organisations.list_members(Actor.for_user(users[Role.ORG_ADMIN])).first()
    assert first is not None
    factories.api_token(first.user)
    return users


def test_every_form_has_a_round_trip(scene: Scene) -> None:
    """Signs in as every role, follows every link, and collects every form drawn."""
    users = busy_area(scene)
    reached, forms = crawl(Client())
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        more_reached, more_forms = crawl(client)
        reached |= more_reached
        for key, page in more_forms.items():
            forms.setdefault(key, f"{page} (as {role})")
    uncovered = {k: page for k, page in forms.items() if k not in SCENARIO_KEYS}
    assert not uncovered, "forms with no round trip (add a Scenario to SCENARIOS):\n" + "\n".join(
        f"  {k} on {page}" for k, page in sorted(uncovered.items())
    )
    stale = SCENARIO_KEYS - forms.keys() - UNLINKED_FORMS
    assert not stale, f"scenarios for forms no page draws any more: {sorted(stale)}"
    listed = sorted(NOT_LINKED.keys() & reached)
    assert not listed, f"NOT_LINKED lists pages a link now reaches: remove {listed}"
    unreached = set(url_names()) - reached - NOT_LINKED.keys()
    assert not unreached, (
        "pages no link reaches: link them, or say in NOT_LINKED how people get there: "
        + ", ".join(sorted(unreached))
    )
