"""Checks a lower app runs before a step, registered by the apps above it.

An app declares a ``Guard`` for one of its steps (episodes: closing an episode); an app
above it registers what blocks that step (aftercare: the check and the interview not yet
recorded). The lower app asks ``guard.problems(subject)`` without importing the upper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
Check = Callable[[T], list[str]]


class Guard(Generic[T]):
    """A named step with the checks registered for it, run in registration order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._checks: list[Check[T]] = []

    def __repr__(self) -> str:
        return f"Guard({self.name!r})"

    def register(self, check: Check[T]) -> Check[T]:
        """Add a check (usable as a decorator): it returns why the step cannot happen yet,
        as phrases, or an empty list."""
        if check not in self._checks:
            self._checks.append(check)
        return check

    def problems(self, subject: T) -> list[str]:
        """Every reason the step cannot happen yet, from every registered check."""
        return [problem for check in self._checks for problem in check(subject)]
