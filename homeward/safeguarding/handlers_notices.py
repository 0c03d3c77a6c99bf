"""Who is told about harbouring notices: the council of each child named, at issue and at
each breach (its missing coordinator, or failing one its manager or duty social worker,
and the child's allocated social worker), and the issuing force's missing coordinators
when a review falls due. Registered by ``handlers.connect()``."""

from __future__ import annotations

from homeward.notifications import rules
from homeward.safeguarding.events import NoticeBreached, NoticeIssued, NoticeReviewDue

NOTICE_LINK = "/notices/{aggregate}"


def register() -> None:
    rules.register_event(
        NoticeIssued.name,
        {rules.COORDINATOR, rules.WORKER},
        "Harbouring notice issued about your child",
        NOTICE_LINK,
    )
    rules.register_event(
        NoticeBreached.name,
        {rules.COORDINATOR, rules.WORKER},
        "Harbouring notice breached",
        NOTICE_LINK,
    )
    rules.register_event(
        NoticeReviewDue.name, {rules.FORCE}, "Harbouring notice due its review", NOTICE_LINK
    )
