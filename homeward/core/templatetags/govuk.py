"""Template tags that draw Django forms and values with GOV.UK Frontend markup.

``{% govuk_field form.name %}`` draws a field as the design system's input, textarea,
radios, select or date input, with its label, hint and error message;
``{% govuk_error_summary form %}`` draws the error summary linking to each field."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms, template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from homeward.core import clock
from homeward.core.clock import UK
from homeward.core.forms import PartsWidget, error_parts

register = template.Library()

PART_LABELS = {"day": "Day", "month": "Month", "year": "Year", "hour": "Hour", "minute": "Minute"}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4, "hour": 2, "minute": 2}


def _kind(widget: forms.Widget) -> str:
    """Which GOV.UK component draws the widget. A widget that takes several answers is
    always drawn as checkboxes: Django's CheckboxSelectMultiple is a kind of RadioSelect,
    and drawn as radios it would let the user give only one."""
    if isinstance(widget, PartsWidget):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if getattr(widget, "allow_multiple_selected", False):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def _first_error_target(bound: forms.BoundField) -> str:
    kind = _kind(bound.field.widget)
    if kind == "date":
        parts = error_parts(bound.form, bound.name) or ["day"]
        widget = bound.field.widget
        assert isinstance(widget, PartsWidget)
        first = next((p for p in widget.parts if p in parts), widget.parts[0])
        return f"{bound.auto_id}_{first}"
    if kind in {"radios", "checkboxes"}:
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


def _items(bound: forms.BoundField) -> list[dict[str, Any]]:
    value = bound.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    hints: dict[str, str] = getattr(bound.field, "item_hints", {})
    items = []
    for index, (choice_value, choice_label) in enumerate(bound.field.choices):  # type: ignore[attr-defined]
        item_id = f"{bound.auto_id}_{index}"
        items.append(
            {
                "value": choice_value,
                "label": choice_label,
                "id": item_id,
                "checked": str(choice_value) in chosen and choice_value != "",
                "hint": hints.get(str(choice_value), ""),
                "hint_id": f"{item_id}-item-hint",
            }
        )
    return items


def _date_context(bound: forms.BoundField, auto_id: str, has_errors: bool) -> dict[str, Any]:
    widget = bound.field.widget
    assert isinstance(widget, PartsWidget)
    value = bound.value()
    if not isinstance(value, list | tuple):
        value = widget.decompress(value)
    flagged = error_parts(bound.form, bound.name) if has_errors else []
    return {
        "parts": [
            {
                "name": f"{bound.html_name}_{part}",
                "id": f"{auto_id}_{part}",
                "label": PART_LABELS[part],
                "width": PART_WIDTHS[part],
                "value": value[i] if i < len(value) else "",
                "error": has_errors and (not flagged or part in flagged),
            }
            for i, part in enumerate(widget.parts)
        ],
        "has_time": "hour" in widget.parts,
    }


def _kind_context(
    bound: forms.BoundField, kind: str, auto_id: str, has_errors: bool
) -> dict[str, Any]:
    """What the component for ``kind`` draws besides the label, hint and error: the value
    of an input or textarea, the items to choose from, or a date's parts."""
    widget = bound.field.widget
    if kind == "input":
        value = bound.value()
        if isinstance(widget, forms.PasswordInput) and not widget.render_value:
            value = None  # never send a password back to the browser
        return {
            "value": "" if value is None else value,
            "type": getattr(widget, "input_type", "text"),
        }
    if kind == "textarea":
        value = bound.value()
        return {"value": "" if value is None else value}
    if kind in {"radios", "checkboxes", "select"}:
        return {"items": _items(bound)}
    if kind == "date":
        return _date_context(bound, auto_id, has_errors)
    return {}


@register.simple_tag
def govuk_field(
    bound: forms.BoundField,
    label_class: str = "",
    heading: bool = False,
    width: str = "",
    hint: str = "",
    label: str = "",
    inline: bool = False,
    rows: int = 5,
    small: bool = False,
) -> SafeString:
    """One form field, GOV.UK style. ``heading`` makes its label or legend the page's h1."""
    widget = bound.field.widget
    kind = _kind(widget)
    if kind == "hidden":
        return mark_safe(str(bound))  # noqa: S308 - Django's own escaped rendering
    auto_id = str(bound.auto_id)
    hint_text = hint or bound.help_text
    errors = list(bound.errors)
    hint_id = f"{auto_id}-hint" if hint_text else ""
    error_id = f"{auto_id}-error" if errors else ""
    described_by = " ".join(x for x in (hint_id, error_id) if x)
    attrs = {k: v for k, v in widget.attrs.items() if k not in {"class"}}
    classes = " ".join(
        c
        for c in (widget.attrs.get("class", ""), f"govuk-input--width-{width}" if width else "")
        if c
    )
    context: dict[str, Any] = {
        "field": bound,
        "id": auto_id,
        "name": bound.html_name,
        "label": label or bound.label,
        "label_class": label_class,
        "heading": heading,
        "hint": hint_text,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "classes": classes,
        "attrs": flatatt(attrs),
        "rows": rows,
        "inline": inline,
        "small": small,
    }
    context.update(_kind_context(bound, kind, auto_id, bool(errors)))
    return mark_safe(render_to_string(f"govuk/fields/{kind}.html", context))  # noqa: S308


@register.simple_tag
def govuk_error_summary(*forms_: forms.Form | None, message: str = "") -> SafeString:
    """The error summary for one or more forms: each message links to its field.
    ``message`` goes first, unlinked (a stale edit's explanation, say)."""
    items: list[dict[str, str]] = [{"text": message, "href": ""}] if message else []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        items.extend({"text": str(error), "href": ""} for error in form.non_field_errors())
        for bound in form:
            for error in bound.errors:
                href = "" if bound.is_hidden else "#" + _first_error_target(bound)
                items.append({"text": str(error), "href": href})
    if not items:
        return mark_safe("")
    return mark_safe(  # noqa: S308 - the template escapes every message
        render_to_string("govuk/error_summary.html", {"items": items})
    )


# --- values ------------------------------------------------------------------------------


@register.filter
def uk_datetime(value: datetime | None) -> str:
    """3 March 2026 at 21:30 (UK time)."""
    if not value:
        return ""
    local = value.astimezone(UK) if timezone.is_aware(value) else value
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


@register.filter
def uk_date(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def duration_text(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _plural(days, "day") + (f" {_plural(hours, 'hour')}" if hours else "")
    if hours:
        return _plural(hours, "hour") + (f" {_plural(mins, 'minute')}" if mins else "")
    return _plural(mins, "minute")


@register.filter
def duration_until(start: datetime | None, end: datetime | None = None) -> str:
    """How long from ``start`` to ``end`` (or now): 2 days 4 hours."""
    if start is None:
        return ""
    return duration_text((end or clock.now()) - start)


RISK_COLOURS = {"high": "red", "medium": "orange", "low": "yellow", "very_low": "grey"}
RISK_LABELS = {"high": "High", "medium": "Medium", "low": "Low", "very_low": "Very low"}
STATUS_COLOURS = {"missing": "red", "returned": "blue", "closed": "grey"}
STATUS_LABELS = {"missing": "Missing", "returned": "Returned", "closed": "Closed"}


@register.filter
def risk_tag(grade: str) -> SafeString:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{} risk</strong>',
        RISK_COLOURS.get(grade, "grey"),
        RISK_LABELS.get(grade, grade),
    )


@register.filter
def status_tag(status: str) -> SafeString:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        STATUS_COLOURS.get(status, "grey"),
        STATUS_LABELS.get(status, status),
    )


@register.filter
def person(user: Any) -> str:
    """A user's name as others see it."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())
