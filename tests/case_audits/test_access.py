"""Who sees an audit's cases: its members, only the sampled children, only while it is
open (and not past its end date); every read audited. An inspector sees nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from homeward.audit.models import AuditEvent
from homeward.case_audits.models import CaseAudit
from homeward.case_audits.services import audits, cases, report
from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.organisations.models import Organisation, OrganisationKind, Role
from homeward.organisations.policy import Action, role_allows
from tests import factories
from tests.case_audits import world as hand

pytestmark = pytest.mark.django_db


def _inspectorate() -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.NATIONAL, code="INSP", defaults={"name": "Inspectorate"}
    )
    return found


def _audit(w: hand.World, by: Actor, size: int, **extra: object) -> CaseAudit:
    today = clock.now().astimezone(clock.UK).date()
    return audits.open_audit(
        by,
        audits.AuditInput(
            council_id=w.council.pk,
            title="Inspection",
            unit="children",
            period_start=today - timedelta(days=30),
            period_end=today,
            size=size,
            seed=3,
            **extra,  # type: ignore[arg-type]
        ),
    )


def test_an_inspector_sees_a_sampled_child_during_the_audit_and_not_after() -> None:
    w = hand.build()
    inspector = factories.actor(Role.INSPECTOR, _inspectorate())
    assert not visible_children(inspector).exists()  # nothing before any audit
    audit = _audit(w, inspector, 2)
    sampled = set(audit.cases.values_list("child_id", flat=True))
    other = ({c.pk for c in w.children.values()} - sampled).pop()
    assert set(visible_children(inspector).values_list("pk", flat=True)) == sampled
    case = audit.cases.first()
    assert case is not None
    read = cases.read_case(inspector, audit.pk, case.pk)
    assert read.child.pk == case.child_id
    assert AuditEvent.objects.filter(
        user=inspector.user, child_id=case.child_id, action="view", object_type="child"
    ).exists()
    # Read-only: the role takes no step on a child.
    assert not role_allows(inspector, Action.SEE_IDENTITY)
    assert not role_allows(inspector, Action.UPDATE_EPISODE)
    # Not another child, by the audit or any other page.
    web = Client()
    assert inspector.user is not None
    web.force_login(inspector.user)
    assert web.get(f"/children/{other}/").status_code in {403, 404}
    assert web.get(f"/children/{case.child_id}/").status_code in {403, 404}
    closed = audits.close_audit(inspector, audit.pk, audit.version)
    assert closed.status == "closed"
    assert not visible_children(inspector).exists()
    with pytest.raises(AccessDenied):
        cases.read_case(inspector, audit.pk, case.pk)
    assert web.get(f"/case-audits/{audit.pk}/cases/{case.pk}").status_code == 403
    # The report stays, naming no child.
    assert report.read_report(inspector, audit.pk).cases == 2
    body = web.get(f"/case-audits/{audit.pk}/report").content.decode()
    assert w.children["E1"].last_name not in body


def test_access_ends_after_the_end_date() -> None:
    w = hand.build()
    inspector = factories.actor(Role.INSPECTOR, _inspectorate())
    today = clock.now().astimezone(clock.UK).date()
    audit = _audit(w, inspector, 3, ends_on=today)
    assert visible_children(inspector).count() == 3
    audit.ends_on = today - timedelta(days=1)
    audit.save()
    assert not visible_children(inspector).exists()


def test_someone_not_a_member_does_not_see_the_cases() -> None:
    w = hand.build()
    audit = _audit(w, w.coordinator, 3)
    other_inspector = factories.actor(Role.INSPECTOR, _inspectorate())
    case = audit.cases.first()
    assert case is not None
    with pytest.raises(NotFound):
        cases.read_case(other_inspector, audit.pk, case.pk)
    assert not visible_children(other_inspector).exists()
    # Another council's coordinator may not audit this council.
    stranger = factories.actor(
        Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory(police_force=w.police)
    )
    with pytest.raises(ValidationFailed) as failed:
        _audit(w, stranger, 3)
    assert failed.value.errors["council"] == ["You may audit only your own council's cases"]
    # A member added by the coordinator sees them.
    member = factories.actor(Role.INSPECTOR, _inspectorate())
    assert member.user is not None
    second = _audit(w, w.coordinator, 3, member_ids=[member.user.pk])
    first = second.cases.first()
    assert first is not None
    assert cases.read_case(member, second.pk, first.pk).child is not None


def test_roles_that_never_see_a_child_cannot_audit() -> None:
    w = hand.build()
    for role in (Role.BOARD_MEMBER, Role.SOCIAL_WORKER, Role.ORG_ADMIN):
        with pytest.raises(AccessDenied):
            _audit(w, factories.actor(role, w.council), 3)
