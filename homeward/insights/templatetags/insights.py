"""Drawing figures: bar lengths for the server-side charts, suppression marks, rates."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def bar(value: object, peak: object) -> int:
    """A bar's length, 0-100, as an SVG attribute (no inline style: the CSP forbids it)."""
    if not isinstance(value, int) or not isinstance(peak, int) or peak <= 0:
        return 0
    return max(1, round(100 * value / peak)) if value > 0 else 0


@register.filter
def small(value: object, suppressed: bool) -> object:
    """In a suppressed view, a count from 1 to 4 is shown as "c"."""
    if suppressed and isinstance(value, int) and 0 < value < 5:
        return "c"
    return value


@register.filter
def rate(value: object) -> str:
    return "\u2013" if value is None else f"{value}%"
