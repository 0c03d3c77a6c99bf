"""Child Abduction Warning Notices ("harbouring notices"): who sees them, the audited
reads, issuing one, reviewing and withdrawing it, recording a breach, and what the
council's meetings need (notices issued and breached in a period).

A notice is seen by the force that issued it and by whoever sees a child it names (they
see only the children and breaches they may see). It is issued, reviewed and withdrawn
by the force's officers and coordinators (``Action.ISSUE_NOTICE``); a breach is recorded
by any police force that sees the notice (``Action.RECORD_BREACH``). Each child's council
is told at issue and at each breach (``NoticeIssued``, ``NoticeBreached``: one event per
child, whose audience is the child's council). The rules of dates are in notice_rules."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from homeward.audit import services as audit
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.events import NoticeIssued, NoticeReviewed, NoticeWithdrawn
from homeward.safeguarding.models import HarbouringNotice, NoticeBreach
from homeward.safeguarding.services import notice_rules as rules
from homeward.safeguarding.services import person_rules, persons
from homeward.safeguarding.services.persons import visible_notices as visible_notices

OBJECT = "harbouring_notice"
NOT_FOUND = "No harbouring notice was found."
Children = HarbouringNotice.children.through


# --- who sees -----------------------------------------------------------------------------


def get_notice(actor: Actor, notice_id: object, *, for_update: bool = False) -> HarbouringNotice:
    pk = person_rules.as_int(notice_id)
    found = visible_notices(actor).filter(pk=pk)
    if for_update:
        found = HarbouringNotice.objects.filter(pk__in=found.values("pk")).select_for_update(
            of=("self",)
        )
    notice = found.select_related("person", "force").first()
    if notice is None:
        raise NotFound(NOT_FOUND)
    return notice


def may_issue(actor: Actor) -> bool:
    return persons.is_police(actor) and role_allows(actor, Action.ISSUE_NOTICE)


def may_manage(actor: Actor, notice: HarbouringNotice) -> bool:
    """Review and withdraw: the issuing force's officers and coordinators."""
    org = actor.organisation
    return may_issue(actor) and org is not None and org.pk == notice.force_id


def may_record_breach(actor: Actor) -> bool:
    return persons.is_police(actor) and role_allows(actor, Action.RECORD_BREACH)


def may_see_notice_list(actor: Actor) -> bool:
    """The list is for the police who issue or record breaches, and for councils (no query)."""
    org = actor.organisation
    council = org is not None and org.kind == OrganisationKind.COUNCIL
    return (
        may_issue(actor) or may_record_breach(actor) or (council and persons.may_see_persons(actor))
    )


# --- reading ------------------------------------------------------------------------------


@dataclass
class NoticeRead:
    notice: HarbouringNotice
    children: list[Child]  # those the viewer sees
    hidden_children: int
    breaches: list[NoticeBreach]  # with a child the viewer sees
    status: str
    review_due: bool
    may_manage: bool
    may_record_breach: bool

    @property
    def status_text(self) -> str:
        return rules.STATUS_TEXT[self.status]


def read_notice(actor: Actor, notice_id: object) -> NoticeRead:
    """The notice, with the children and breaches the actor sees: an audited read (one
    event for each child shown)."""
    notice = get_notice(actor, notice_id)
    visible = visibility.visible_children(actor).values("pk")
    named = list(notice.children.order_by("pk"))
    shown = list(notice.children.filter(pk__in=visible).order_by("last_name", "first_name"))
    breaches = list(
        notice.breaches.filter(child__in=visible)
        .select_related("child", "place", "episode")
        .order_by("-occurred_at")
    )
    audit.record(actor, "view", OBJECT, notice.pk)
    audit.record_many_reads(actor, "child", [c.pk for c in shown], action="view")
    return NoticeRead(
        notice,
        shown,
        len(named) - len(shown),
        breaches,
        rules.status(notice),
        rules.review_due(notice),
        may_manage(actor, notice),
        may_record_breach(actor),
    )


def list_notices(actor: Actor, status: str = "") -> QuerySet[HarbouringNotice]:
    """The notices the actor sees (``status``: live, expired or withdrawn), newest first.
    The caller audits what it shows (``audit_listed``)."""
    if not persons.may_see_persons(actor):
        raise AccessDenied("Your role does not allow you to see harbouring notices.")
    found = visible_notices(actor).select_related("person", "force")
    day = rules.today()
    if status == rules.LIVE:
        found = found.filter(
            withdrawn_on__isnull=True, expired_on__isnull=True, expires_on__gte=day
        )
    elif status == rules.EXPIRED:
        found = found.filter(withdrawn_on__isnull=True).filter(
            Q(expired_on__isnull=False) | Q(expires_on__lt=day)
        )
    elif status == rules.WITHDRAWN:
        found = found.filter(withdrawn_on__isnull=False)
    return found.order_by("-issued_on", "-pk")


def audit_listed(actor: Actor, notices: list[HarbouringNotice]) -> None:
    if not notices:
        return
    with audit.access_log(actor) as log:
        for notice in notices:
            log.record("list_result", OBJECT, notice.pk)


# --- issuing, reviewing, withdrawing ------------------------------------------------------


@transaction.atomic
@bus.in_unit_of_work
def issue_notice(actor: Actor, data: Mapping[str, Any]) -> HarbouringNotice:
    """Record a notice the actor's force issued: ``person_id``, ``child_ids``,
    ``issued_on``, and optionally ``reference`` (else one is given), ``served_by``,
    ``review_on`` and ``expires_on`` (else the defaults of notice_rules), ``notes``."""
    if not may_issue(actor) or actor.organisation is None:
        raise AccessDenied("Only a police officer or coordinator can issue a harbouring notice.")
    values = rules.clean_issue(actor, data)
    children = values.pop("children")
    notice = HarbouringNotice.objects.create(
        # A placeholder until the row has its id (20 characters: the column's width).
        **{**values, "reference": values["reference"] or f"PENDING-{uuid.uuid4().hex[:12]}"},
        force=actor.organisation,
        issued_at=clock.now(),
        issued_by=actor.user,
    )
    if not values["reference"]:
        notice.reference = f"CAWN-{notice.issued_on.year}-{notice.pk:05d}"
        notice.save(update_fields=["reference"])
    notice.children.set(children)
    for child in children:
        record_change(
            actor,
            NoticeIssued(
                aggregate_id=notice.pk,
                child_id=child.pk,
                force=notice.force_id,
                person=notice.person_id,
                review_on=notice.review_on.isoformat(),
                expires_on=notice.expires_on.isoformat(),
            ),
            action="issue",
            details={"reference": notice.reference},
        )
    return notice


def _managed(actor: Actor, notice_id: object) -> HarbouringNotice:
    notice = get_notice(actor, notice_id, for_update=True)
    if not may_manage(actor, notice):
        raise AccessDenied("Only the force that issued the notice can review or withdraw it.")
    if rules.status(notice) != rules.LIVE:
        raise ValidationFailed({"notice": ["The notice is no longer in force"]})
    return notice


def _tell_each_child(actor: Actor, notice: HarbouringNotice, make: Any, **audit_kw: Any) -> None:
    for child_id in notice.children.order_by("pk").values_list("pk", flat=True):
        record_change(actor, make(child_id), **audit_kw)


@transaction.atomic
@bus.in_unit_of_work
def review_notice(actor: Actor, notice_id: object, data: Mapping[str, Any]) -> HarbouringNotice:
    """Record a review (``reviewed_on``, default today; ``notes``) and the next review
    date (``next_review_on``, default six months on, no later than the expiry)."""
    notice = _managed(actor, notice_id)
    errors: dict[str, list[str]] = {}
    reviewed_on = data.get("reviewed_on") or rules.today()
    if problem := rules.date_error(reviewed_on, "the date of the review"):
        errors["reviewed_on"] = [problem]
    elif reviewed_on > rules.today() or reviewed_on < notice.issued_on:
        errors["reviewed_on"] = ["The review must be between the issue date and today"]
    if problem := rules.date_error(
        data.get("next_review_on"), "the next review date", required=False
    ):
        errors["next_review_on"] = [problem]
    notes = rules.text(data, "notes")
    if problem := rules.long_text_error(notes, "What the review found"):
        errors["notes"] = [problem]
    if errors:
        raise ValidationFailed(errors)
    following = data.get("next_review_on") or rules.default_review(reviewed_on, notice.expires_on)
    if following <= reviewed_on or following > notice.expires_on:
        raise ValidationFailed(
            {"next_review_on": ["The next review must be after the review and by the expiry date"]}
        )
    notice.last_reviewed_on, notice.review_on, notice.review_notes = reviewed_on, following, notes
    notice.save(update_fields=["last_reviewed_on", "review_on", "review_notes"])
    _tell_each_child(
        actor,
        notice,
        lambda child_id: NoticeReviewed(
            aggregate_id=notice.pk,
            child_id=child_id,
            force=notice.force_id,
            review_on=following.isoformat(),
        ),
        action="review",
        details={"reviewed_on": reviewed_on.isoformat(), "review_on": following.isoformat()},
    )
    return notice


@transaction.atomic
@bus.in_unit_of_work
def withdraw_notice(actor: Actor, notice_id: object, data: Mapping[str, Any]) -> HarbouringNotice:
    """Withdraw the notice (``reason``, required; ``withdrawn_on``, default today)."""
    notice = _managed(actor, notice_id)
    reason = rules.text(data, "reason")
    withdrawn_on = data.get("withdrawn_on") or rules.today()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Enter why the notice is withdrawn"]
    elif problem := rules.long_text_error(reason, "The reason"):
        errors["reason"] = [problem]
    if problem := rules.date_error(withdrawn_on, "the date it was withdrawn"):
        errors["withdrawn_on"] = [problem]
    elif not notice.issued_on <= withdrawn_on <= rules.today():
        errors["withdrawn_on"] = ["The date it was withdrawn must be between issue and today"]
    if errors:
        raise ValidationFailed(errors)
    notice.withdrawn_on, notice.withdrawn_reason = withdrawn_on, reason
    notice.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    _tell_each_child(
        actor,
        notice,
        lambda child_id: NoticeWithdrawn(
            aggregate_id=notice.pk, child_id=child_id, force=notice.force_id
        ),
        action="withdraw",
        details={"withdrawn_on": withdrawn_on.isoformat()},
    )
    return notice


# --- for meetings -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeSummary:
    notice_id: int
    reference: str
    person_id: int
    person_label: str  # the person's name: the caller decides who may see it
    force_id: int
    issued_on: date
    review_on: date
    expires_on: date
    child_ids: list[int]  # the council's children it names


@dataclass(frozen=True)
class BreachSummary:
    breach_id: int
    notice_id: int
    reference: str
    person_id: int
    person_label: str
    child_id: int
    occurred_at: datetime


def _day(value: date | datetime) -> date:
    return value.astimezone(clock.UK).date() if isinstance(value, datetime) else value


def _moment(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=clock.UK)


def issued_between(
    council: Organisation, *, since: date | datetime, until: date | datetime
) -> list[NoticeSummary]:
    """Notices issued on a day in [since, until) (UK days) naming a child the council is
    responsible for, oldest first."""
    found = (
        HarbouringNotice.objects.filter(
            issued_on__gte=_day(since),
            issued_on__lt=_day(until),
            children__responsible_council=council,
        )
        .distinct()
        .select_related("person")
        .order_by("issued_on", "pk")
    )
    rows = Children.objects.filter(
        harbouringnotice__in=found.values("pk"), child__responsible_council=council
    ).values_list("harbouringnotice_id", "child_id")
    named: dict[int, list[int]] = {}
    for notice_id, child_id in rows.order_by("child_id"):
        named.setdefault(notice_id, []).append(child_id)
    return [
        NoticeSummary(
            n.pk,
            n.reference,
            n.person_id,
            n.person.name,
            n.force_id,
            n.issued_on,
            n.review_on,
            n.expires_on,
            named.get(n.pk, []),
        )
        for n in found
    ]


def breached_between(
    council: Organisation, *, since: date | datetime, until: date | datetime
) -> list[BreachSummary]:
    """Breaches that happened in [since, until) with a child the council is responsible
    for, oldest first."""
    found = (
        NoticeBreach.objects.filter(
            occurred_at__gte=_moment(since),
            occurred_at__lt=_moment(until),
            child__responsible_council=council,
        )
        .select_related("notice__person")
        .order_by("occurred_at", "pk")
    )
    return [
        BreachSummary(
            b.pk,
            b.notice_id,
            b.notice.reference,
            b.notice.person_id,
            b.notice.person.name,
            b.child_id,
            b.occurred_at,
        )
        for b in found
    ]
