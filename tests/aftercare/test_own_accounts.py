"""The child's own account: the private link opens only that child's form, is swapped for
a cookie, expires, is used once, can be revoked and replaced, is rate-limited, and leaks
nothing; the worker sees what the child agreed to, and withdrawing the consent takes the
words out of the board's reports (homeward/aftercare/services/own_accounts.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client

from homeward.aftercare import services as aftercare
from homeward.aftercare.models import (
    OwnAccount,
    OwnAccountLink,
    ReturnInterview,
    Sharing,
)
from homeward.aftercare.services import own_accounts
from homeward.audit.models import AuditEvent
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.episodes import services as episodes
from homeward.events.models import DomainEvent
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories

pytestmark = pytest.mark.django_db

CHILD_NAME = ("Marigold", "Thistlewaite")
OTHER_NAME = ("Bartholomew", "Quenby")


@dataclass
class Scene:
    council: Organisation
    provider: Organisation
    interview: ReturnInterview
    other: ReturnInterview
    worker: Actor
    coordinator: Actor


def _interview(council: Organisation, names: tuple[str, str]) -> ReturnInterview:
    child = factories.ChildFactory(
        responsible_council=council, first_name=names[0], last_name=names[1]
    )
    sw = factories.actor(Role.SOCIAL_WORKER, council)
    episode = factories.report(sw, child, hours_ago=10)
    episodes.record_return(
        sw,
        episode.reference,
        episode.version,
        episodes.Return(
            returned_at=clock.now() - timedelta(hours=2), return_method="returned_self"
        ),
    )
    return ReturnInterview.objects.get(child=child)


@pytest.fixture
def scene() -> Scene:
    council = factories.CouncilFactory()
    provider = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name="Interviews Ltd", code="RHI-OA"
    )
    interview = _interview(council, CHILD_NAME)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    aftercare.assign_provider(coordinator, interview.pk, provider.pk)
    other = _interview(council, OTHER_NAME)
    return Scene(
        council,
        provider,
        interview,
        other,
        factories.actor(Role.RHI_WORKER, provider),
        coordinator,
    )


def token_of(url_or_token: str) -> str:
    return url_or_token.rstrip("/").rsplit("/", 1)[-1]


def open_form(client: Client, token: str) -> str:
    """Open the link as the child does; the form's page, as text."""
    opened = client.get(f"/your-account/{token}")
    assert opened.status_code == 302, opened.status_code
    assert opened["Location"] == "/your-account/"
    assert opened["Referrer-Policy"] == "no-referrer"
    page = client.get("/your-account/")
    assert page.status_code == 200
    return page.content.decode()


ANSWER = {
    "what_happened": "I went to my friend's because home was loud and nobody listened",
    "what_would_help": "Someone to talk to at school on Mondays",
    "sharing": Sharing.NAMED,
}


# --- the link ---------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_kept(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    link = OwnAccountLink.objects.get(pk=issued.link.pk)
    assert issued.token not in link.token_hash
    assert link.token_hash == own_accounts.hash_token(issued.token)
    assert len(issued.token) >= 43  # 32 random bytes
    for event in AuditEvent.objects.all():
        assert issued.token not in str(event.details)
    for row in DomainEvent.objects.all():
        assert issued.token not in str(row.payload)


def test_the_link_opens_only_that_childs_form_and_names_nobody(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    page = open_form(client, issued.token)
    for secret in (*CHILD_NAME, *OTHER_NAME, scene.council.name, scene.provider.name):
        assert secret not in page
    assert "govuk-service-navigation__list" not in page  # no service navigation
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert all(
        not h.startswith("/") or h.startswith("/static/") or h == "#main-content" for h in hrefs
    ), hrefs
    assert 'name="robots" content="noindex' in page
    # The child's answers attach to their own interview, and nobody else's.
    sent = client.post("/your-account/", ANSWER)
    assert sent.status_code == 200
    assert "Thank you" in sent.content.decode()
    account = OwnAccount.objects.get()
    assert account.interview_id == scene.interview.pk
    assert not OwnAccount.objects.filter(interview=scene.other).exists()


def test_the_cookie_opens_nothing_else(scene: Scene) -> None:
    """The link holder is no user: every other page asks for sign-in, the API for a token."""
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, issued.token)
    for path in (
        "/",
        f"/aftercare/interviews/{scene.interview.pk}/",
        f"/children/{scene.interview.child_id}/",
        "/aftercare/interviews/",
        "/notifications/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in" in response["Location"], path
    for path in (
        f"/api/v1/return-interviews/{scene.interview.pk}",
        f"/api/v1/return-interviews/{scene.interview.pk}/own-account",
        f"/api/v1/children/{scene.interview.child_id}",
        "/api/v1/me",
    ):
        response = client.get(path)
        assert response.status_code == 401, (path, response.status_code)
        assert CHILD_NAME[1] not in response.content.decode()


def test_the_link_is_single_use(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, issued.token)
    client.post("/your-account/", ANSWER)
    again = Client().get(f"/your-account/{issued.token}")
    assert again.status_code == 404
    body = again.content.decode()
    assert "This link cannot be used" in body
    assert "ask your return interview worker" in body
    # The same browser, too: its cookie was taken away, and a second answer is refused.
    assert client.get("/your-account/").status_code == 404
    assert client.post("/your-account/", ANSWER).status_code == 404
    assert OwnAccount.objects.count() == 1
    with pytest.raises(ValidationFailed):
        own_accounts.issue_link(scene.worker, scene.interview.pk)


def ended_page(token: str) -> tuple[int, str]:
    response = Client().get(f"/your-account/{token}")
    return response.status_code, response.content.decode()


def test_wrong_expired_used_and_revoked_links_look_the_same(scene: Scene) -> None:
    expired = own_accounts.issue_link(scene.worker, scene.interview.pk, days=1)
    OwnAccountLink.objects.filter(pk=expired.link.pk).update(expires_at=clock.now())
    revoked = own_accounts.issue_link(scene.coordinator, scene.other.pk)
    own_accounts.revoke_link(scene.coordinator, scene.other.pk)
    used = own_accounts.issue_link(scene.worker, scene.interview.pk)  # replaces "expired"
    client = Client()
    open_form(client, used.token)
    client.post("/your-account/", ANSWER)
    pages = {
        name: ended_page(token)
        for name, token in {
            "wrong": "x" * 43,
            "expired": expired.token,
            "revoked": revoked.token,
            "used": used.token,
        }.items()
    }

    def scrub(body: str) -> str:
        return re.sub(r'value="[^"]+"', "", body)  # the CSRF token differs

    assert len({(status, scrub(body)) for status, body in pages.values()}) == 1, pages.keys()
    assert {status for status, _ in pages.values()} == {404}


def test_the_link_expires(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk, days=2)
    assert issued.link.expires_at - issued.link.created_at == timedelta(days=2)
    client = Client()
    open_form(client, issued.token)
    OwnAccountLink.objects.filter(pk=issued.link.pk).update(expires_at=clock.now())
    # Even with the cookie, once the link ran out the form is gone and nothing is saved.
    assert client.get("/your-account/").status_code == 404
    assert client.post("/your-account/", ANSWER).status_code == 404
    assert not OwnAccount.objects.exists()


def test_a_new_link_revokes_the_old_one(scene: Scene) -> None:
    first = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, first.token)
    second = own_accounts.issue_link(scene.coordinator, scene.interview.pk)
    assert OwnAccountLink.objects.get(pk=first.link.pk).revoked_reason == "replaced"
    assert client.post("/your-account/", ANSWER).status_code == 404
    assert ended_page(first.token)[0] == 404
    open_form(Client(), second.token)


def test_a_revoked_link_stops_working_even_mid_way(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, issued.token)
    own_accounts.revoke_link(scene.worker, scene.interview.pk)
    assert client.post("/your-account/", ANSWER).status_code == 404
    with pytest.raises(ValidationFailed):
        own_accounts.revoke_link(scene.worker, scene.interview.pk)


def test_who_may_give_a_link(scene: Scene) -> None:
    for role in (Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.ORG_ADMIN):
        with pytest.raises(AccessDenied):
            own_accounts.issue_link(factories.actor(role, scene.council), scene.interview.pk)
    stranger = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
    with pytest.raises(NotFound):
        own_accounts.issue_link(stranger, scene.interview.pk)
    with pytest.raises(ValidationFailed) as refused:
        own_accounts.issue_link(scene.worker, scene.interview.pk, days=8)
    assert refused.value.errors == {"days": ["Choose how many days the link works, 1 to 7"]}


def test_every_step_is_audited_with_ids_only(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, issued.token)
    client.post("/your-account/", {**ANSWER, "sharing": Sharing.ANONYMISED})
    own_accounts.withdraw_consent(scene.worker, scene.interview.pk, method="phone")
    second = own_accounts.issue_link(scene.coordinator, scene.other.pk)
    own_accounts.revoke_link(scene.coordinator, scene.other.pk)
    actions = list(
        AuditEvent.objects.filter(object_type="return_interview")
        .order_by("pk")
        .values_list("action", "channel", "details")
    )
    steps = [a for a, _, _ in actions if "own_account" in a]
    assert steps == [
        "issue_own_account_link",
        "open_own_account_link",
        "give_own_account",
        "withdraw_own_account_consent",
        "issue_own_account_link",
        "revoke_own_account_link",
    ]
    for action, channel, details in actions:
        if action in {"open_own_account_link", "give_own_account"}:
            assert channel == "child_link"
        text = str(details)
        for secret in (ANSWER["what_happened"], issued.token, second.token, *CHILD_NAME):
            assert secret not in text
    names = set(DomainEvent.objects.values_list("name", flat=True))
    assert {
        "aftercare.own_account_link_issued",
        "aftercare.own_account_link_opened",
        "aftercare.own_account_given",
        "aftercare.own_account_consent_withdrawn",
        "aftercare.own_account_link_revoked",
    } <= names


# --- what the child chose, and what the worker sees ----------------------------------------


def give(scene: Scene, sharing: str, interview: ReturnInterview | None = None) -> None:
    issued = own_accounts.issue_link(scene.worker, (interview or scene.interview).pk)
    client = Client()
    open_form(client, issued.token)
    assert client.post("/your-account/", {**ANSWER, "sharing": sharing}).status_code == 200


def worker_page(scene: Scene) -> str:
    client = Client()
    client.force_login(factories.member(Role.RHI_WORKER, scene.provider))
    return client.get(f"/aftercare/interviews/{scene.interview.pk}/").content.decode()


def test_named_words_are_shown_to_the_worker(scene: Scene) -> None:
    give(scene, Sharing.NAMED)
    page = worker_page(scene)
    assert "home was loud and nobody listened" in page
    assert "Someone to talk to at school" in page


def test_anonymised_words_are_not_shown_to_the_worker(scene: Scene) -> None:
    give(scene, Sharing.ANONYMISED)
    page = worker_page(scene)
    assert "home was loud" not in page
    assert "Only the council&#x27;s board, anonymised" in page or "board, anonymised" in page


def test_not_at_all_keeps_nothing_but_the_fact(scene: Scene) -> None:
    give(scene, Sharing.NOT_SHARED)
    account = OwnAccount.objects.get()
    assert (account.what_happened, account.what_would_help) == ("", "")
    page = worker_page(scene)
    assert "home was loud" not in page
    assert "what they wrote was not kept" in page


def test_the_childs_answers_are_checked(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, issued.token)
    response = client.post("/your-account/", {"what_happened": "", "what_would_help": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write what happened, or what would help, or both" in body
    assert "Choose who can read what you wrote" in body
    too_long = client.post("/your-account/", {**ANSWER, "what_happened": "a" * 5001})
    assert "What happened must be 5000 characters or fewer" in too_long.content.decode()
    assert not OwnAccount.objects.exists()
    # Still open: the child can put it right.
    assert client.post("/your-account/", ANSWER).status_code == 200


def test_the_api_shows_the_state(scene: Scene) -> None:
    user = factories.member(Role.RHI_WORKER, scene.provider)
    api = {"Authorization": f"Bearer {factories.api_token(user)}"}
    client = Client()
    base = f"/api/v1/return-interviews/{scene.interview.pk}/own-account"
    assert client.get(base, headers=api).json()["state"] == "none"
    made = client.post(f"{base}/link", {"days": 3}, content_type="application/json", headers=api)
    assert made.status_code == 201, made.content
    url = made.json()["url"]
    assert made["Cache-Control"] == "no-store"
    assert client.get(base, headers=api).json()["state"] == "link_issued"
    child = Client()
    open_form(child, token_of(url))
    child.post("/your-account/", ANSWER)
    read = client.get(base, headers=api).json()
    assert read["state"] == "given"
    assert read["sharing"] == "named"
    assert read["what_happened"] == ANSWER["what_happened"]
    gone = client.post(
        f"{base}/withdrawal",
        {"method": "in_person", "version": read["version"]},
        content_type="application/json",
        headers=api,
    )
    assert gone.status_code == 200, gone.content
    assert gone.json()["state"] == "withdrawn"
    assert gone.json()["what_happened"] is None


# --- rate limits ---------------------------------------------------------------------------


def test_wrong_links_get_429_after_the_limit(scene: Scene, settings: object) -> None:
    client = Client()
    for n in range(10):
        assert client.get(f"/your-account/{'w' * 40}{n:03d}").status_code == 404, n
    limited = client.get(f"/your-account/{'w' * 43}")
    assert limited.status_code == 429
    assert "Please wait before trying again" in limited.content.decode()
    # Even a good link from that address waits: guessing cannot go on.
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    assert client.get(f"/your-account/{issued.token}").status_code == 429
    # Another address is not held up.
    assert Client(REMOTE_ADDR="10.9.8.7").get(f"/your-account/{issued.token}").status_code == 302


def test_repeated_posts_to_one_link_get_429(scene: Scene) -> None:
    issued = own_accounts.issue_link(scene.worker, scene.interview.pk)
    client = Client()
    open_form(client, issued.token)
    for _ in range(10):
        assert client.post("/your-account/", {"sharing": "named"}).status_code == 200
    assert client.post("/your-account/", ANSWER).status_code == 429
    assert not OwnAccount.objects.exists()
