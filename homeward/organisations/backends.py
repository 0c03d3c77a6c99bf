"""Django's own password backend, but a signed-in user is read with their active membership
in one query (every page asks for it: ``User.active_membership``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import FilteredRelation, Q

from homeward.organisations.models import Membership, User

# The active membership and its organisation, read with the user.
WITH_MEMBERSHIP = (
    "signed_in_membership",
    "signed_in_membership__organisation",
    "signed_in_membership__organisation__police_force",
)


class MembershipBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.annotate(
                signed_in_membership=FilteredRelation(
                    "memberships", condition=Q(memberships__is_active=True)
                )
            )
            .select_related(*WITH_MEMBERSHIP)
            .filter(pk=user_id)
            .order_by("signed_in_membership__pk")  # the first, as active_membership reads it
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        membership: Membership | None = getattr(user, "signed_in_membership", None)
        if membership is not None:
            membership.user = user
            user._active_membership = membership  # what active_membership() would read
        return user
