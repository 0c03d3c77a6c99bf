"""Opening a case audit (drawing its sample), closing it, and the audited reads.

Who: ``access.may_audit``. An audit is read (its list, its report) by its members and by
the audited council's coordinators and managers; its sampled cases only by its members,
and only while it is open and not past its end date (``visibility``). docs/case-audit.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from homeward.audit import services as audit_log
from homeward.case_audits import access, sampling
from homeward.case_audits.events import CaseAuditClosed, CaseAuditOpened
from homeward.case_audits.models import (
    AuditMember,
    AuditStatus,
    CaseAudit,
    SampledCase,
    Stratum,
    Unit,
)
from homeward.case_audits.visibility import live
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import text_errors
from homeward.events.change import record_change
from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role

AUDITOR_ROLES = {Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER, Role.INSPECTOR}
CLOSED = "This audit is closed: its cases can no longer be opened or judged"
MAX_PERIOD_DAYS = 3 * 366


@dataclass
class AuditInput:
    council_id: int | None
    title: str
    unit: str
    period_start: date | None
    period_end: date | None
    size: int | None
    strata: list[str] = field(default_factory=list)
    seed: int | None = None
    ends_on: date | None = None
    member_ids: list[int] = field(default_factory=list)


# --- who -------------------------------------------------------------------------------


def audits_for(actor: Actor) -> QuerySet[CaseAudit]:
    """The audits the actor reads: those they are a member of, and their council's."""
    org = actor.organisation
    if org is None or actor.user is None or not access.may_audit(actor):
        return CaseAudit.objects.none()
    mine = AuditMember.objects.filter(user=actor.user).values("audit_id")
    return CaseAudit.objects.filter(Q(pk__in=mine) | Q(council=org)).select_related("council")


def is_member(actor: Actor, audit: CaseAudit) -> bool:
    return actor.user is not None and audit.members.filter(user=actor.user).exists()


def member_of(actor: Actor, found: list[CaseAudit]) -> set[int]:
    """Which of these audits the actor is a member of."""
    if actor.user is None:
        return set()
    return set(
        AuditMember.objects.filter(user=actor.user, audit__in=found).values_list(
            "audit_id", flat=True
        )
    )


def get_audit(actor: Actor, audit_id: object) -> CaseAudit:
    try:
        pk = int(str(audit_id))
    except ValueError:
        raise NotFound("No case audit was found.") from None
    found = audits_for(actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise NotFound("No case audit was found.")
    return found


def is_live(audit: CaseAudit) -> bool:
    return CaseAudit.objects.filter(live(), pk=audit.pk).exists()


def councils(actor: Actor) -> list[Organisation]:
    """The councils the actor may audit."""
    org = actor.organisation
    if org is None or not access.may_audit(actor):
        return []
    if org.kind == OrganisationKind.COUNCIL:
        return [org]
    return list(Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("name"))


def member_choices(actor: Actor, council_id: int | None) -> list[Membership]:
    """Who else may be a member: the council's coordinators and managers, and inspectors."""
    found = Membership.objects.filter(is_active=True, role__in=AUDITOR_ROLES).filter(
        Q(organisation_id=council_id, role__in=[r for r in AUDITOR_ROLES if r != Role.INSPECTOR])
        | Q(role=Role.INSPECTOR, organisation__kind=OrganisationKind.NATIONAL)
    )
    if actor.user is not None:
        found = found.exclude(user=actor.user)
    return list(
        found.select_related("user", "organisation").order_by(
            "organisation__name", "user__last_name", "pk"
        )
    )


# --- opening ---------------------------------------------------------------------------


def _errors(actor: Actor, data: AuditInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if (
        data.council_id is None
        or not Organisation.objects.filter(
            pk=data.council_id, kind=OrganisationKind.COUNCIL
        ).exists()
    ):
        errors["council"] = ["Select the council whose cases are audited"]
    elif not access.may_audit_council(actor, data.council_id):
        errors["council"] = ["You may audit only your own council's cases"]
    if not data.title.strip():
        errors["title"] = ["Enter a title for the audit"]
    if data.unit not in Unit.values:
        errors["unit"] = ["Select whether to sample episodes or children"]
    if data.period_start is None:
        errors["period_start"] = ["Enter the first day of the period"]
    if data.period_end is None:
        errors["period_end"] = ["Enter the last day of the period"]
    if data.period_start and data.period_end:
        if data.period_end < data.period_start:
            errors["period_end"] = ["The last day must be on or after the first day"]
        elif (data.period_end - data.period_start).days > MAX_PERIOD_DAYS:
            errors["period_end"] = ["The period must be 3 years or shorter"]
    errors.update(_sample_errors(actor, data))
    errors.update(text_errors(CaseAudit, {"title": data.title}))
    return errors


def _sample_errors(actor: Actor, data: AuditInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.size is None or not 1 <= data.size <= sampling.MAX_SIZE:
        errors["size"] = [f"Enter a sample size from 1 to {sampling.MAX_SIZE}"]
    if any(s not in Stratum.values for s in data.strata) or len(set(data.strata)) != len(
        data.strata
    ):
        errors["strata"] = ["Select only the strata offered, each once"]
    if data.seed is not None and not 0 <= data.seed < 2**62:
        errors["seed"] = ["Enter a seed from 0 to 4611686018427387903, or leave it blank"]
    if data.ends_on is not None and data.ends_on < clock.now().astimezone(clock.UK).date():
        errors["ends_on"] = ["The end date must be today or later"]
    allowed = {m.user_id for m in member_choices(actor, data.council_id)}
    if any(pk not in allowed for pk in data.member_ids):
        errors["member_ids"] = [
            "Members must be the council's coordinators or managers, or inspectors"
        ]
    return errors


def open_audit(actor: Actor, data: AuditInput) -> CaseAudit:
    """Draw the sample and open the audit, the actor and the members chosen its members."""
    if not access.may_audit(actor) or actor.user is None:
        raise AccessDenied("Your role does not audit cases.")
    errors = _errors(actor, data)
    if errors:
        raise ValidationFailed(errors)
    assert data.council_id is not None
    assert data.size is not None
    assert data.period_start is not None
    assert data.period_end is not None
    strata = [s for s in Stratum.values if s in data.strata]
    seed = data.seed if data.seed is not None else sampling.new_seed()
    candidates = sampling.population(data.council_id, data.unit, data.period_start, data.period_end)
    drawn = sampling.draw(candidates, data.size, strata, seed)
    if not drawn:
        raise ValidationFailed(
            {"period_start": ["The council has no episodes starting in this period"]}
        )
    now = clock.now()
    with transaction.atomic():
        audit = CaseAudit.objects.create(
            council_id=data.council_id,
            title=data.title.strip(),
            unit=data.unit,
            period_start=data.period_start,
            period_end=data.period_end,
            size=data.size,
            strata=strata,
            seed=seed,
            population=len(candidates),
            ends_on=data.ends_on,
            opened_at=now,
            opened_by=actor.user,
        )
        members = [actor.user.pk] + [pk for pk in data.member_ids if pk != actor.user.pk]
        AuditMember.objects.bulk_create(
            [AuditMember(audit=audit, user_id=pk, added_at=now) for pk in members]
        )
        SampledCase.objects.bulk_create(
            [
                SampledCase(
                    audit=audit,
                    position=n,
                    child_id=d.candidate.child_id,
                    episode_id=d.candidate.episode_id,
                    stratum=d.stratum,
                )
                for n, d in enumerate(drawn, start=1)
            ]
        )
        record_change(
            actor,
            CaseAuditOpened(
                aggregate_id=audit.pk,
                council=audit.council_id,
                unit=audit.unit,
                size=len(drawn),
                seed=seed,
                members=members,
            ),
            action="open_case_audit",
            details={"population": len(candidates), "sample": len(drawn), "strata": strata},
        )
    return audit


def close_audit(actor: Actor, audit_id: object, expected_version: int) -> CaseAudit:
    """Close the audit: its members' access to the sampled cases ends now."""
    found = get_audit(actor, audit_id)
    if not is_member(actor, found):
        raise AccessDenied("Only the audit's members close it.")
    with transaction.atomic():
        audit = CaseAudit.objects.select_for_update(of=("self",)).get(pk=found.pk)
        if audit.status == AuditStatus.CLOSED:
            raise ValidationFailed({"status": ["This audit is already closed"]})
        if audit.version != expected_version:
            raise StaleEdit(
                "Someone changed this audit since you opened it.", ["status"], audit.version
            )
        audit.status = AuditStatus.CLOSED
        audit.closed_at = clock.now()
        audit.version += 1
        audit.save(update_fields=["status", "closed_at", "version"])
        record_change(actor, CaseAuditClosed(aggregate_id=audit.pk), action="close_case_audit")
    return audit


# --- reading ---------------------------------------------------------------------------


def list_audits(actor: Actor) -> QuerySet[CaseAudit]:
    if not access.may_audit(actor):
        raise AccessDenied("Your role does not audit cases.")
    return audits_for(actor).annotate(
        cases_count=Count("cases", distinct=True),
        judged_count=Count("cases", filter=Q(cases__judged_at__isnull=False), distinct=True),
    )


def read_sample(actor: Actor, audit_id: object) -> tuple[CaseAudit, list[SampledCase]]:
    """The audit and its cases, for a member while it is open: each child named is an
    audited read. Anyone else reading the audit gets its report, not its cases."""
    audit = get_audit(actor, audit_id)
    if not is_member(actor, audit):
        raise AccessDenied("Only the audit's members see its cases.")
    cases = list(audit.cases.select_related("child", "episode").order_by("position"))
    if is_live(audit):
        audit_log.record_many_reads(
            actor, "child", sorted({c.child_id for c in cases}), "list_result"
        )
    else:
        audit_log.record(actor, "view", "case_audit", audit.pk, details={"closed": True})
    return audit, cases
