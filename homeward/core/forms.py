"""Form pieces every app's web forms share: the GOV.UK date input (day, month, year, and
hour and minute for a date and time, read as UK time), the hidden version of an edited
record, and turning a service's ValidationFailed into errors on the form's fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.utils import timezone

from homeward.core.clock import UK
from homeward.core.validation import too_long

DATE_PARTS = ("day", "month", "year")
DATETIME_PARTS = ("day", "month", "year", "hour", "minute")


def field_name(label: Any) -> str:
    """What a field is called inside a message, from its label: "Police reference
    (optional)" is "Police reference"; a question ("Where was it done?") is quoted, as
    "Your answer to “Where was it done?”"."""
    text = " ".join(str(label or "").split())
    if text.endswith("(optional)"):
        text = text.removesuffix("(optional)").rstrip()
    if not text:
        return "Your answer"
    if text.endswith("?"):
        return f"Your answer to “{text}”"
    return text[0].upper() + text[1:]


def govuk_messages(form: forms.BaseForm, names: Mapping[str, str] | None = None) -> None:
    """Write the messages for Django's own checks of length and numbers the design
    system's way: "<Name> must be 300 characters or fewer", "<Name> must be a whole
    number", "<Name> must be between 2 and 20". ``<Name>`` is ``names[field]`` (what the
    field is called inside a sentence, like "Where the check was done"), or else comes from
    the label. A message the form gave the field itself is kept."""
    for name, field in form.fields.items():
        what = (names or {}).get(name) or field_name(field.label)
        messages = field.error_messages
        limit = getattr(field, "max_length", None)
        if isinstance(field, forms.CharField) and limit is not None:
            messages.setdefault("max_length", too_long(what, limit))
        if isinstance(field, forms.IntegerField):
            if messages.get("invalid") == forms.IntegerField.default_error_messages["invalid"]:
                messages["invalid"] = f"{what} must be a whole number"
            low, high = field.min_value, field.max_value
            if low is not None and high is not None:
                messages.setdefault("min_value", f"{what} must be between {low} and {high}")
                messages.setdefault("max_value", f"{what} must be between {low} and {high}")
            elif low is not None:
                messages.setdefault("min_value", f"{what} must be {low} or more")
            elif high is not None:
                messages.setdefault("max_value", f"{what} must be {high} or less")


class GovukForm(forms.Form):
    """A form rendered with GOV.UK markup by the ``govuk`` template tags. Messages for the
    usual Django checks are written the design system's way: ``required_messages`` says
    what to enter when an answer is missing, and ``govuk_messages`` words the checks of
    length and numbers, naming each field from ``field_names`` or its label."""

    required_messages: dict[str, str] = {}
    field_names: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            message = self.required_messages.get(name)
            if message:
                field.error_messages["required"] = message
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = message or "Select one of the options"
        govuk_messages(self, self.field_names)


class RadiosField(forms.ChoiceField):
    """A choice drawn as GOV.UK radios; ``item_hints`` gives an option its own hint."""

    widget = forms.RadioSelect

    def __init__(self, *, item_hints: Mapping[Any, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item_hints = {str(k): v for k, v in (item_hints or {}).items()}


class PartsWidget(forms.MultiWidget):
    """Separate boxes for day, month, year (and hour, minute). Their names are the field's
    name with ``_day``, ``_month`` ... added; the govuk template tags draw them."""

    def __init__(self, parts: tuple[str, ...]) -> None:
        self.parts = parts
        super().__init__({part: forms.TextInput() for part in parts})

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime):
            local = value.astimezone(UK) if timezone.is_aware(value) else value
            numbers = [local.day, local.month, local.year, local.hour, local.minute]
        elif isinstance(value, date):
            numbers = [value.day, value.month, value.year]
        else:
            return [""] * len(self.parts)
        return [
            f"{n:02d}" if part == "minute" else str(n)
            for part, n in zip(self.parts, numbers, strict=False)
        ]


def _parts_of(value: Any, parts: tuple[str, ...]) -> dict[str, str]:
    if isinstance(value, list | tuple):
        values = [str(v or "").strip() for v in value]
    else:
        values = [""] * len(parts)
    values += [""] * (len(parts) - len(values))
    return dict(zip(parts, values, strict=False))


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


class DateParts:
    """What was typed into each box, and which boxes an error is about."""

    def __init__(self, value: Any, parts: tuple[str, ...]) -> None:
        self.values = _parts_of(value, parts)
        self.parts = parts

    @property
    def empty(self) -> list[str]:
        return [p for p in self.parts if not self.values[p]]


class PartsError(forms.ValidationError):
    def __init__(self, message: str, parts: tuple[str, ...] | list[str]) -> None:
        super().__init__(message, params={"parts": list(parts)})


class GovukDateField(forms.Field):
    """A date from three boxes. ``what`` names it inside messages: "Enter {what}"."""

    parts: tuple[str, ...] = DATE_PARTS

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        self.what = what
        kwargs.setdefault("widget", PartsWidget(self.parts))
        super().__init__(**kwargs)

    @property
    def capitalised(self) -> str:
        return self.what[0].upper() + self.what[1:]

    def clean(self, value: Any) -> Any:
        typed = DateParts(value, self.parts)
        if len(typed.empty) == len(self.parts):
            if self.required:
                raise PartsError(f"Enter {self.what}", self.parts)
            return None
        date_parts = [p for p in typed.empty if p in DATE_PARTS]
        if date_parts:
            raise PartsError(
                f"{self.capitalised} must include a {' and '.join(date_parts)}", date_parts
            )
        day, month, year = (_number(typed.values[p]) for p in DATE_PARTS)
        if year is not None and len(typed.values["year"]) != 4:
            raise PartsError(f"{self.capitalised}: year must include 4 numbers", ["year"])
        try:
            if day is None or month is None or year is None:
                raise ValueError
            result = date(year, month, day)
        except ValueError:
            raise PartsError(f"{self.capitalised} must be a real date", DATE_PARTS) from None
        return self.finish(result, typed)

    def finish(self, day: date, typed: DateParts) -> Any:  # noqa: ARG002
        return day


class GovukDateTimeField(GovukDateField):
    """A date and a 24-hour time, read as the time in the UK (GMT or BST) that day."""

    parts = DATETIME_PARTS

    def finish(self, day: date, typed: DateParts) -> Any:
        time_parts = [p for p in ("hour", "minute") if not typed.values[p]]
        if time_parts:
            raise PartsError(
                f"{self.capitalised} must include a time: enter the {' and '.join(time_parts)}",
                time_parts,
            )
        hour, minute = _number(typed.values["hour"]), _number(typed.values["minute"])
        if hour is None or minute is None or hour > 23 or minute > 59:
            raise PartsError(
                f"{self.capitalised} must be a real time on the 24-hour clock, like 21 30",
                ("hour", "minute"),
            )
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UK)
        # A time the clocks skipped (spring forward) does not survive a round trip.
        back = local.astimezone(UTC).astimezone(UK)
        if (back.hour, back.minute) != (hour, minute):
            raise PartsError(
                f"{self.capitalised}: {hour:02d}:{minute:02d} did not happen that day because the "
                "clocks went forward. Check the time",
                ("hour", "minute"),
            )
        return local


class VersionField(forms.IntegerField):
    """The version of the record the user saw when the form was drawn."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput())
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "The form was incomplete: go back to the record and try again",
                "invalid": "The form was incomplete: go back to the record and try again",
                "min_value": "The form was incomplete: go back to the record and try again",
            },
        )
        super().__init__(**kwargs)


def add_service_errors(
    form: forms.Form,
    errors: Mapping[str, list[str]],
    field_map: Mapping[str, str] | None = None,
) -> None:
    """Put a ValidationFailed's messages on the form's fields (by the service's field name,
    or through ``field_map``); anything not matching a field goes in the summary."""
    for name, messages in errors.items():
        target = (field_map or {}).get(name, name)
        field = form.fields.get(target)
        target_name = None if field is None or field.widget.is_hidden else target
        for message in messages:
            form.add_error(target_name, message)


def error_parts(form: forms.BaseForm, name: str) -> list[str]:
    """Which boxes of a date field an error is about (all of them if it does not say)."""
    data = form.errors.as_data().get(name, [])
    parts: list[str] = []
    for error in data:
        for part in (error.params or {}).get("parts", []):
            if part not in parts:
                parts.append(part)
    return parts
