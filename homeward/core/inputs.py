"""One way from what a user sent to a service's input, whichever channel it came by.

A web form's ``cleaned_data`` and an API schema (``InputSchema.for_service``) carry the
same names as the service's input: the fields of its input dataclass
(``service_input(Report, data)``), or the parameters of a service function that takes its
input as arguments (``service_arguments(record_offer, data)``). Nothing is copied field by
field: a name the service does not know is an error here, in the tests, rather than an
answer silently dropped. Choices arrive as their stored values (an enum member becomes its
value), and a nested mapping becomes the nested input dataclass the field is typed as."""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Collection, Mapping
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

# What a form or schema carries beside the service's input: the version the user saw,
# which the view or endpoint passes to the service itself.
BESIDES = frozenset({"version"})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _as_mapping(source: Any) -> Mapping[str, Any]:
    for_service = getattr(source, "for_service", None)
    if callable(for_service):
        return typing.cast(Mapping[str, Any], for_service())
    if isinstance(source, Mapping):
        return source
    raise TypeError(f"Cannot read a service's input from {type(source).__name__}")


def _unknown(names: Collection[str], known: Collection[str], besides: Collection[str]) -> None:
    unknown = sorted(set(names) - set(known) - BESIDES - set(besides))
    if unknown:
        raise TypeError(f"Not the service's input: {', '.join(unknown)}")


@cache
def _nested(kind: type) -> dict[str, type]:
    """The fields of an input dataclass typed as another input dataclass (or None)."""
    hints = typing.get_type_hints(kind)
    nested: dict[str, type] = {}
    for field in dataclasses.fields(kind):
        hint = hints[field.name]
        options = (
            typing.get_args(hint)
            if typing.get_origin(hint) in (typing.Union, types.UnionType)
            else (hint,)
        )
        for option in options:
            if isinstance(option, type) and dataclasses.is_dataclass(option):
                nested[field.name] = option
    return nested


def service_input(kind: type[T], source: Any, *, besides: Collection[str] = ()) -> T:
    """The service's input dataclass ``kind`` from a form's cleaned data or an API schema.

    Every key must be one of ``kind``'s fields, the version (``BESIDES``) or in
    ``besides`` (what the caller passes to the service itself, like the child's id); a
    field left out takes the dataclass's default."""
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"{kind.__name__} is not a service's input dataclass")
    data = _as_mapping(source)
    fields = {f.name for f in dataclasses.fields(kind)}
    _unknown(data, fields, besides)
    nested = _nested(kind)
    values: dict[str, Any] = {}
    for name in fields & set(data):
        value = data[name]
        if name in nested and value is not None and not dataclasses.is_dataclass(value):
            value = service_input(nested[name], value)
        values[name] = _plain(value)
    return kind(**values)


def service_arguments(
    function: Callable[..., Any],
    source: Any,
    *,
    given: Collection[str] = ("actor",),
    besides: Collection[str] = (),
) -> dict[str, Any]:
    """The keyword arguments of a service function that takes its input as parameters,
    from a form's cleaned data or an API schema: every parameter but those ``given`` (the
    ones the caller passes itself: the actor, the record's reference, the version)."""
    data = _as_mapping(source)
    parameters = [p for p in inspect.signature(function).parameters if p not in given]
    _unknown(data, parameters, besides)
    return {name: _plain(data[name]) for name in parameters if name in data}


# What an endpoint or view passes to a service that changes one record, before the input.
ON_RECORD = ("actor", "reference", "expected_version")
ON_INTERVIEW = ("actor", "interview_id", "expected_version")
