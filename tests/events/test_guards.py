"""A guard runs the checks the apps above register, without the lower app importing them."""

from __future__ import annotations

from homeward.aftercare.handlers import aftercare_recorded
from homeward.episodes.steps import CLOSING
from homeward.events.guards import Guard


def test_a_guard_gathers_every_registered_problem_in_order() -> None:
    guard: Guard[int] = Guard("test.step")
    assert guard.problems(1) == []
    guard.register(lambda n: ["first"] if n > 0 else [])
    guard.register(lambda n: ["second"])
    assert guard.problems(1) == ["first", "second"]
    assert guard.problems(0) == ["second"]


def test_registering_twice_checks_once() -> None:
    guard: Guard[int] = Guard("test.twice")

    def check(n: int) -> list[str]:
        return ["once"]

    guard.register(check)
    guard.register(check)
    assert guard.problems(0) == ["once"]


def test_aftercare_registers_what_blocks_closing_an_episode() -> None:
    assert aftercare_recorded in CLOSING._checks
