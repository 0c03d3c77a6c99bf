"""Giving a child's own account as the child does: through the link, in a browser of its
own (the test client), so that tests of other pages can start from an account given."""

from __future__ import annotations

from django.test import Client

from homeward.aftercare.models import OwnAccount, Sharing
from homeward.aftercare.services import own_accounts
from homeward.core.actor import Actor

WHAT_HAPPENED = "i went to my friend's because home was loud and nobody listened"
WHAT_WOULD_HELP = "someone to talk to at school"


def give_own_account(
    interview_id: int,
    worker: Actor,
    sharing: str = Sharing.NAMED,
    what_happened: str = WHAT_HAPPENED,
    what_would_help: str = WHAT_WOULD_HELP,
) -> OwnAccount:
    issued = own_accounts.issue_link(worker, interview_id)
    child = Client()
    opened = child.get(f"/your-account/{issued.token}")
    assert opened.status_code == 302, opened.status_code
    sent = child.post(
        "/your-account/",
        {"what_happened": what_happened, "what_would_help": what_would_help, "sharing": sharing},
    )
    assert sent.status_code == 200, sent.status_code
    return OwnAccount.objects.get(interview_id=interview_id)
