"""The write side for children, and their audited reads.

Every change goes through a function here: permission, validation, save, audit event and
domain event, in one transaction. The functions live in the modules of this package; every
name is here too, so callers import ``homeward.children.services`` as before."""

from homeward.children.services.adding import (
    ChildDetails,
    area_councils,
    check_child,
    create_child,
    eighteenth_birthday,
)
from homeward.children.services.reads import (
    OBJECT,
    placed_with,
    read_child,
    search_children,
)
from homeward.children.services.records import (
    access_from_adding_ends,
    allocate_worker,
    awaiting_confirmation,
    confirm_responsible_council,
    set_legal_status,
    start_placement,
)

__all__ = [
    "OBJECT",
    "ChildDetails",
    "access_from_adding_ends",
    "allocate_worker",
    "area_councils",
    "awaiting_confirmation",
    "check_child",
    "confirm_responsible_council",
    "create_child",
    "eighteenth_birthday",
    "placed_with",
    "read_child",
    "search_children",
    "set_legal_status",
    "start_placement",
]
