"""The id the next background task gets, when its caller has already written it down.

An outbox row names the task that will deliver it (``DomainEvent.task_id``): the row is
written with a fresh id and its delivery task is then queued under that same id, so the
row is written once. The database task backend asks ``task_id`` for each new task's id
(``TASKS["default"]["OPTIONS"]["id_function"]`` in settings); outside ``wanting`` it is a
random UUID, as the backend's own default. Imports nothing of the project: the backend
loads it while the task modules are still being imported."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_wanted: ContextVar[uuid.UUID | None] = ContextVar("homeward_task_id", default=None)


def task_id() -> uuid.UUID:
    """The id for a new task: the one wanted (once), else a random one."""
    wanted = _wanted.get()
    if wanted is None:
        return uuid.uuid4()
    _wanted.set(None)
    return wanted


@contextmanager
def wanting(wanted: uuid.UUID) -> Iterator[None]:
    """The first task queued inside the block gets the id ``wanted``."""
    token = _wanted.set(wanted)
    try:
        yield
    finally:
        _wanted.reset(token)
