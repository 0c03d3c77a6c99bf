"""The demo's own accounts: four of the return interviews the provider's worker
(``rhi.worker``) did lately, each given a link by that worker and answered by the child
through the real services, one for each choice (named, anonymised for the board, not at
all) and one, anonymised, that the child later withdrew (docs/own-account.md). One more
interview has a link given and not yet opened, so the demo shows its revoke button."""

from __future__ import annotations

from homeward.aftercare.models import InterviewStatus, ReturnInterview, Sharing
from homeward.aftercare.services import own_accounts
from homeward.core.actor import Actor
from homeward.organisations.models import User
from homeward.seed.plan import Area

ACCOUNTS = [
    (
        Sharing.NAMED,
        "i didn't want to go back because of the arguing. i stayed at a friend's and turned "
        "my phone off because i knew i'd get shouted at",
        "if someone could just talk to me and my carer together before it gets bad",
    ),
    (
        Sharing.ANONYMISED,
        "nobody listens to me at the home so i just go. it's not that i want to be out at "
        "night, i just want someone to notice",
        "a worker who stays the same and actually rings me back",
    ),
    (
        Sharing.NOT_SHARED,
        "i don't want anyone to read this, i just wanted to write it down",
        "",
    ),
    (
        Sharing.ANONYMISED,
        "i went because people i know said they'd look after me, and then it got scary",
        "knowing who i can call at night without getting in trouble",
    ),
]


def write_own_accounts(area: Area) -> None:
    user = User.objects.filter(username="rhi.worker").first()
    if user is None:
        return
    worker = Actor.for_user(user)
    done = list(
        ReturnInterview.objects.filter(
            provider=area.orgs["rhi"], status=InterviewStatus.DONE
        ).order_by("-done_at", "-pk")[: len(ACCOUNTS) + 1]
    )
    for interview, (sharing, happened, would_help) in zip(done, ACCOUNTS, strict=False):
        issued = own_accounts.issue_link(worker, interview.pk)
        link = own_accounts.open_link(issued.token)
        assert link is not None
        own_accounts.give_account(
            link.pk, own_accounts.AccountAnswer(happened, would_help, sharing)
        )
    if len(done) >= len(ACCOUNTS):
        own_accounts.withdraw_consent(worker, done[len(ACCOUNTS) - 1].pk, method="in_person")
    if len(done) > len(ACCOUNTS):
        own_accounts.issue_link(worker, done[len(ACCOUNTS)].pk, days=3)
