"""Pages: profiles."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from homeward.children.models import Child
from homeward.core.actor import Actor

urlpatterns: list[URLPattern] = []


def child_panel(actor: Actor, child: Child) -> dict[str, Any]:  # noqa: ARG001
    return {}


def report_panel(actor: Actor, child: Child) -> dict[str, Any]:  # noqa: ARG001
    return {}
