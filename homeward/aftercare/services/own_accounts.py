"""The child's own account of a return interview, given through a private link.

A worker who may record the interview gives the child a link (``issue_link``): a random
token, shown to the worker once, of which only a keyed hash is kept. The child opens it
(``open_link``; the page then swaps the token for a short-lived signed cookie), writes
what happened and what would help, and chooses who may read it (``give_account``). The
link then cannot be used again. A worker revokes a link (``revoke_link``), and records
that the child withdrew their consent (``withdraw_consent``): the words are deleted and
the board's reports that may have quoted them are made again (insights' handler).
docs/own-account.md says what the child is told and why."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils.crypto import salted_hmac

from homeward.aftercare.events import (
    OwnAccountConsentWithdrawn,
    OwnAccountGiven,
    OwnAccountLinkIssued,
    OwnAccountLinkOpened,
    OwnAccountLinkRevoked,
)
from homeward.aftercare.models import (
    OwnAccount,
    OwnAccountLink,
    ReturnInterview,
    Sharing,
    WithdrawalMethod,
)
from homeward.aftercare.services.interviews import _find_interview
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import HIDDEN_CONTROL, too_long
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.policy import Action, Step

DEFAULT_DAYS = 7  # how long a link works unless the worker chooses fewer days
MAX_DAYS = 7
TOKEN_BYTES = 32  # 256 bits: a link cannot be guessed
MAX_WORDS_LENGTH = 5000  # each of the child's answers, in characters
CHANNEL_CHILD_LINK = "child_link"
# Whoever holds a child's link: never a user, never a member of any organisation.
LINK_HOLDER = Actor(user=None, membership=None, channel=CHANNEL_CHILD_LINK)
_HASH_SALT = "homeward.aftercare.own_account_link"

ALREADY_GIVEN = "The child has already given their own account for this interview"
NO_LIVE_LINK = "There is no link in use for this interview"
OWN_ACCOUNT_NAMES = {
    "what_happened": "What happened",
    "what_would_help": "What would help",
}


def hash_token(token: str) -> str:
    """The keyed hash kept for a token (HMAC-SHA256 under the service's secret key), so
    that the table alone lets nobody open a link."""
    return salted_hmac(_HASH_SALT, token, algorithm="sha256").hexdigest()


def is_usable(link: OwnAccountLink) -> bool:
    return link.used_at is None and link.revoked_at is None and link.expires_at > clock.now()


def _live_links(interview: ReturnInterview) -> list[OwnAccountLink]:
    return [
        link
        for link in OwnAccountLink.objects.select_for_update().filter(
            interview=interview, used_at__isnull=True, revoked_at__isnull=True
        )
        if is_usable(link)
    ]


def _interview_for(actor: Actor, interview_id: object, action: Action) -> ReturnInterview:
    interview = _find_interview(actor, interview_id, lock=True)
    if not policy.role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this for a return interview.")
    return interview


def _revoke(actor: Actor, link: OwnAccountLink, reason: str) -> None:
    link.revoked_at = clock.now()
    link.revoked_reason = reason
    link.save(update_fields=["revoked_at", "revoked_reason"])
    record_change(
        actor,
        OwnAccountLinkRevoked(
            aggregate_id=link.interview_id,
            child_id=link.interview.child_id,
            link=link.pk,
            reason=reason,
        ),
        action="revoke_own_account_link",
        details={"link": link.pk, "reason": reason},
    )


@dataclass
class IssuedLink:
    """A new link and its token: the token exists only here, to be shown once."""

    link: OwnAccountLink
    token: str


@transaction.atomic
def issue_link(actor: Actor, interview_id: object, *, days: int = DEFAULT_DAYS) -> IssuedLink:
    """A new link for the child, working for ``days`` (1 to 7); any link still in use for
    the same interview stops working."""
    interview = _interview_for(actor, interview_id, Action.OFFER_OWN_ACCOUNT)
    if OwnAccount.objects.filter(interview=interview).exists():
        raise ValidationFailed({"days": [ALREADY_GIVEN]})
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationFailed({"days": [f"Choose how many days the link works, 1 to {MAX_DAYS}"]})
    for old in _live_links(interview):
        old.interview = interview
        _revoke(actor, old, "replaced")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    link = OwnAccountLink.objects.create(
        interview=interview,
        token_hash=hash_token(token),
        created_at=now,
        created_by=actor.user,
        expires_at=now + timedelta(days=days),
    )
    record_change(
        actor,
        OwnAccountLinkIssued(
            aggregate_id=interview.pk,
            child_id=interview.child_id,
            link=link.pk,
            expires_at=link.expires_at.isoformat(),
        ),
        action="issue_own_account_link",
        details={"link": link.pk, "days": days},
    )
    return IssuedLink(link=link, token=token)


@transaction.atomic
def revoke_link(actor: Actor, interview_id: object) -> OwnAccountLink:
    """Stop the interview's link working (the child lost the phone, the wrong number)."""
    interview = _interview_for(actor, interview_id, Action.OFFER_OWN_ACCOUNT)
    live = _live_links(interview)
    if not live:
        raise ValidationFailed({"link": [NO_LIVE_LINK]})
    for link in live:
        link.interview = interview
        _revoke(actor, link, "revoked")
    return live[0]


# --- the child's side: no user, only the link ----------------------------------------------


@transaction.atomic
def open_link(token: str) -> OwnAccountLink | None:
    """The link the token opens, if it still works; None for a token that is wrong,
    expired, used or revoked alike (the page says the same for each)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = (
        OwnAccountLink.objects.select_for_update(of=("self",))
        .select_related("interview")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None or not is_usable(link):
        return None
    if link.first_opened_at is None:
        link.first_opened_at = clock.now()
        link.save(update_fields=["first_opened_at"])
    record_change(
        LINK_HOLDER,
        OwnAccountLinkOpened(
            aggregate_id=link.interview_id, child_id=link.interview.child_id, link=link.pk
        ),
        action="open_own_account_link",
        details={"link": link.pk},
    )
    return link


def link_in_use(link_id: object) -> OwnAccountLink | None:
    """The link a child's cookie names, while it still works."""
    try:
        pk = int(str(link_id))
    except ValueError:
        return None
    link = OwnAccountLink.objects.filter(pk=pk).first() if 1 <= pk < 2**63 else None
    return link if link is not None and is_usable(link) else None


@dataclass
class AccountAnswer:
    what_happened: str
    what_would_help: str
    sharing: str


def _answer_errors(answer: AccountAnswer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("what_happened", "what_would_help"):
        value = getattr(answer, name)
        if "\x00" in value:
            errors[name] = [HIDDEN_CONTROL]
        elif len(value.strip()) > MAX_WORDS_LENGTH:
            errors[name] = [too_long(OWN_ACCOUNT_NAMES[name], MAX_WORDS_LENGTH)]
    if not answer.what_happened.strip() and not answer.what_would_help.strip():
        errors.setdefault("what_happened", ["Write what happened, or what would help, or both"])
    if answer.sharing not in Sharing.values:
        errors["sharing"] = ["Choose who can read what you wrote"]
    return errors


@transaction.atomic
def give_account(link_id: object, answer: AccountAnswer) -> OwnAccount:
    """The child's account through their link: saved with their choice, and the link used
    up. A choice of "not at all" keeps only that the child wrote something."""
    found = link_in_use(link_id)
    link = (
        OwnAccountLink.objects.select_for_update(of=("self",))
        .select_related("interview")
        .filter(pk=found.pk)
        .first()
        if found
        else None
    )
    if link is None or not is_usable(link) or hasattr(link.interview, "own_account"):
        raise NotFound("This link cannot be used any more.")
    errors = _answer_errors(answer)
    if errors:
        raise ValidationFailed(errors)
    keep = answer.sharing != Sharing.NOT_SHARED
    now = clock.now()
    account = OwnAccount.objects.create(
        interview=link.interview,
        link=link,
        what_happened=answer.what_happened.strip() if keep else "",
        what_would_help=answer.what_would_help.strip() if keep else "",
        sharing=answer.sharing,
        consent_given_at=now,
    )
    link.used_at = now
    link.save(update_fields=["used_at"])
    record_change(
        LINK_HOLDER,
        OwnAccountGiven(
            aggregate_id=link.interview_id,
            child_id=link.interview.child_id,
            link=link.pk,
            sharing=answer.sharing,
        ),
        action="give_own_account",
        details={"link": link.pk, "account": account.pk, "sharing": answer.sharing},
    )
    return account


# --- the worker's side, after the account -------------------------------------------------


@transaction.atomic
def withdraw_consent(
    actor: Actor, interview_id: object, *, method: str, expected_version: int | None = None
) -> OwnAccount:
    """The child told their worker they no longer agree: the words are deleted, nobody
    reads them again, and the board's reports drop them."""
    interview = _interview_for(actor, interview_id, Action.WITHDRAW_CONSENT)
    account = OwnAccount.objects.select_for_update().filter(interview=interview).first()
    if account is None:
        raise ValidationFailed({"method": ["The child has not given their own account"]})
    if expected_version is not None and account.version != expected_version:
        raise StaleEdit(
            "The child's own account was changed after you opened it. Check it and try again.",
            changed_fields=[],
            current_version=account.version,
        )
    if account.withdrawn_at is not None:
        raise ValidationFailed({"method": ["The child's consent has already been withdrawn"]})
    if account.sharing == Sharing.NOT_SHARED:
        raise ValidationFailed(
            {"method": ["The child chose not to share their words: there is nothing to withdraw"]}
        )
    if method not in WithdrawalMethod.values:
        raise ValidationFailed({"method": ["Select how the child told you"]})
    before = account.sharing
    account.withdrawn_at = clock.now()
    account.withdrawal_method = method
    account.withdrawal_recorded_by = actor.user
    account.what_happened = ""
    account.what_would_help = ""
    account.version += 1
    account.save()
    record_change(
        actor,
        OwnAccountConsentWithdrawn(
            aggregate_id=interview.pk,
            child_id=interview.child_id,
            council=interview.council_id,
            given_at=account.consent_given_at.isoformat(),
            sharing=before,
        ),
        action="withdraw_own_account_consent",
        details={"account": account.pk, "method": method},
    )
    return account


@dataclass
class OwnAccountState:
    """What the interview's page and the API show of the child's own account."""

    account: OwnAccount | None
    live_link: OwnAccountLink | None
    latest_link: OwnAccountLink | None
    offer: Step
    revoke: Step
    withdraw: Step

    @property
    def state(self) -> str:
        """One word for the API: none, link_issued, link_expired, given, withdrawn."""
        if self.account is not None:
            return "withdrawn" if self.account.withdrawn_at else "given"
        if self.live_link is not None:
            return "link_issued"
        return "link_ended" if self.latest_link is not None else "none"


def own_account_state(actor: Actor, interview: ReturnInterview) -> OwnAccountState:
    """No audit of its own: the caller has read the interview (an audited read)."""
    account = OwnAccount.objects.filter(interview=interview).first()
    links = list(OwnAccountLink.objects.filter(interview=interview)[:1])
    latest = links[0] if links else None
    live = latest if latest is not None and is_usable(latest) else None
    withdraw_reason = ""
    if account is None:
        withdraw_reason = "The child has not given their own account"
    elif account.withdrawn_at is not None:
        withdraw_reason = "The child's consent has been withdrawn"
    elif account.sharing == Sharing.NOT_SHARED:
        withdraw_reason = "The child chose not to share their words"
    return OwnAccountState(
        account=account,
        live_link=live,
        latest_link=latest,
        offer=policy.step(actor, Action.OFFER_OWN_ACCOUNT, ALREADY_GIVEN if account else ""),
        revoke=policy.step(actor, Action.OFFER_OWN_ACCOUNT, "" if live else NO_LIVE_LINK),
        withdraw=policy.step(actor, Action.WITHDRAW_CONSENT, withdraw_reason),
    )
