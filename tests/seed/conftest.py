"""The generator's tests pin the clock as the SSDA903 tests do: their export covers a
fixed collection year."""

from __future__ import annotations

from datetime import datetime

import pytest

from homeward.core import clock
from tests.interchange.conftest import NOW


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW
