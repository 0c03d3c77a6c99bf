"""The grant a case audit gives its members: each sees the audit's sampled children, for
the audit's time only (from opening until it is closed, or past its end date), as
``homeward.children.visibility`` lets a higher app register (``grant``). An inspector
sees no child otherwise; a council's own coordinator sees their children anyway."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q

from homeward.case_audits.models import AuditStatus, SampledCase
from homeward.children import visibility as children_visibility
from homeward.core import clock
from homeward.core.actor import Actor


def today() -> date:
    return clock.now().astimezone(clock.UK).date()


def live(prefix: str = "") -> Q:
    """Over CaseAudit (or through ``prefix``): open, and not past its end date."""
    return Q(**{f"{prefix}status": AuditStatus.OPEN}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today()})
    )


@children_visibility.grant
def _sampled_for_a_member(actor: Actor) -> Exists | None:
    if actor.user is None:
        return None
    cases = SampledCase.objects.filter(live("audit__"), child=OuterRef("pk")).filter(
        audit__members__user=actor.user
    )
    return Exists(cases)
