"""Small filters for the case audit pages: look up a key, a finding's share, a percent."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


@register.filter
def share(finding: Any, judgement: str) -> str | None:
    value = finding.share(judgement)
    return None if value is None else f"{value:.0%}"
