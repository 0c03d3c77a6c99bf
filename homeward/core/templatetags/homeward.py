"""What the signed-in user's role allows, for drawing only the actions they may take."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.core.actor import Actor
from homeward.organisations.policy import Action, role_allows

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context: dict[str, Any], action: str) -> bool:
    """``{% allowed "create_child" as can_add %}``: may this user's role do ``action``?"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    actor = Actor.for_user(user)
    return role_allows(actor, Action(action))
