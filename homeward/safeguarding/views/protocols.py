"""Pages: protocols."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from homeward.core.actor import Actor
from homeward.episodes.models import Episode

urlpatterns: list[URLPattern] = []


def episode_panel(actor: Actor, episode: Episode) -> dict[str, Any]:  # noqa: ARG001
    return {}
