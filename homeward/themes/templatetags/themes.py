"""Small columns for the themes-over-time charts: SVG attributes, no inline style (the
CSP forbids it). A column's length is insights' ``bar`` (0-100) drawn in 20 units."""

from django import template

register = template.Library()
HEIGHT = 20


@register.filter
def col_height(length: object) -> float:
    return round(HEIGHT * length / 100, 1) if isinstance(length, int) else 0.0


@register.filter
def col_top(length: object) -> float:
    return round(HEIGHT - col_height(length), 1)
