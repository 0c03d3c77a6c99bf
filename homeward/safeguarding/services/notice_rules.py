"""The rules of a Child Abduction Warning Notice, as docs/safeguarding.md gives
them: the police issue it, with the council told, to an adult who associates with a child
under 16, or under 18 if the child is in care (Child Abduction Act 1984 s.2; Children Act
1989 s.49). It is not statutory: a breach is not itself an offence, but supports a
prosecution or a Sexual Risk Order. It is reviewed, commonly at six months.

Dates here are UK calendar days. A notice applies to a child until the day before they
reach the age limit, so by default it expires when the last child it names reaches it
(its review falls no later than its expiry)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from homeward.children import visibility
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.validation import EARLIEST_YEAR, LONG_TEXT
from homeward.safeguarding.models import HarbouringNotice, PersonOfConcern
from homeward.safeguarding.services import persons

# Child Abduction Act 1984 s.2: a child under 16.
AGE_LIMIT = 16
# Children Act 1989 s.49: a child under 18 in care.
AGE_LIMIT_IN_CARE = 18
# The review is commonly at six months (docs/safeguarding.md, "Harbouring notices").
REVIEW_MONTHS = 6
# How many children one notice may name (a sanity limit for the forms and the API).
CHILDREN_LIMIT = 20
REFERENCE_LIMIT = 20

LIVE = "live"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
STATUS_TEXT = {LIVE: "Live", EXPIRED: "Expired", WITHDRAWN: "Withdrawn"}


def today() -> date:
    return clock.now().astimezone(clock.UK).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def in_care(child: Child, on: date) -> bool:
    """Looked after on that day (the service's record of a care order)."""
    return bool(child.legal_status_on(on) == LegalStatusKind.LOOKED_AFTER)


def age_limit(child: Child, on: date) -> int:
    return AGE_LIMIT_IN_CARE if in_care(child, on) else AGE_LIMIT


def applies_until(child: Child, on: date) -> date:
    """The last day a notice issued ``on`` can apply to the child: the day before the
    birthday on which they reach the age limit (a 29 February birthday: 28 February)."""
    dob = child.date_of_birth
    year = dob.year + age_limit(child, on)
    try:
        birthday = dob.replace(year=year)
    except ValueError:
        birthday = date(year, 3, 1)
    return birthday - timedelta(days=1)


def default_expiry(children: Iterable[Child], issued_on: date) -> date:
    return max(applies_until(c, issued_on) for c in children)


def default_review(issued_on: date, expires_on: date) -> date:
    return min(add_months(issued_on, REVIEW_MONTHS), expires_on)


def status(notice: HarbouringNotice, on: date | None = None) -> str:
    if notice.withdrawn_on is not None:
        return WITHDRAWN
    if notice.expired_on is not None or notice.expires_on < (on or today()):
        return EXPIRED
    return LIVE


def in_force_on(notice: HarbouringNotice, day: date) -> bool:
    """Whether the notice applied on that day (for a breach)."""
    ended = notice.withdrawn_on
    return notice.issued_on <= day <= notice.expires_on and (ended is None or day < ended)


def review_due(notice: HarbouringNotice, on: date | None = None) -> bool:
    return status(notice, on) == LIVE and notice.review_on <= (on or today())


def date_error(value: object, what: str, *, required: bool = True) -> str | None:
    if value in (None, ""):
        return f"Enter {what}" if required else None
    if not isinstance(value, date) or value.year < EARLIEST_YEAR:
        return f"{what[0].upper()}{what[1:]} must be a real date"
    return None


def text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def long_text_error(value: str, what: str) -> str | None:
    if "\x00" in value:
        return "Remove the invisible control characters from this answer"
    if len(value) > LONG_TEXT:
        return f"{what} must be {LONG_TEXT} characters or fewer"
    return None


def child_errors(children: list[Child], issued_on: date) -> list[str]:
    """A child over the age limit on the day of issue cannot be named (the message says
    which child by their place in the list, never by name)."""
    errors = []
    for index, child in enumerate(children, start=1):
        if applies_until(child, issued_on) < issued_on:
            errors.append(
                f"Child {index}: a notice can name only a child under {AGE_LIMIT}, or under "
                f"{AGE_LIMIT_IN_CARE} if they are in care"
            )
    return errors


def date_order_errors(issued_on: date, review_on: date, expires_on: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if issued_on > today():
        errors["issued_on"] = ["The date it was issued must be today or in the past"]
    if expires_on <= issued_on:
        errors["expires_on"] = ["The expiry date must be after the date it was issued"]
    if review_on <= issued_on:
        errors["review_on"] = ["The review date must be after the date it was issued"]
    elif review_on > expires_on:
        errors["review_on"] = ["The review date must be on or before the expiry date"]
    return errors


# --- the notice as issued ----------------------------------------------------------------


def _person(actor: Actor, value: object) -> PersonOfConcern:
    if not value:
        raise ValidationFailed({"person_id": ["Choose the person the notice is issued to"]})
    try:
        return persons.get_person(actor, value)
    except NotFound:
        raise ValidationFailed({"person_id": ["No person of concern was found"]}) from None


def _children(actor: Actor, value: object) -> list[Child]:
    ids = value if isinstance(value, list | tuple) else [value] if value else []
    if not ids:
        raise ValidationFailed({"child_ids": ["Choose at least one child the notice is about"]})
    if len(ids) > CHILDREN_LIMIT:
        raise ValidationFailed({"child_ids": [f"Name at most {CHILDREN_LIMIT} children"]})
    found = []
    for index, pk in enumerate(ids, start=1):
        try:
            child = visibility.get_child(actor, pk, related=("responsible_council",))
        except NotFound:
            raise ValidationFailed({"child_ids": [f"Child {index}: no child was found"]}) from None
        if child not in found:
            found.append(child)
    return found


def _reference(value: str) -> list[str]:
    if not value:
        return []
    if len(value) > REFERENCE_LIMIT or not all(c.isalnum() or c in "-/" for c in value):
        return [
            f"The reference must be {REFERENCE_LIMIT} letters, numbers, hyphens or slashes or fewer"
        ]
    if HarbouringNotice.objects.filter(reference=value).exists():
        return ["A notice with that reference is already recorded"]
    return []


def clean_issue(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    person = _person(actor, data.get("person_id"))
    children = _children(actor, data.get("child_ids"))
    issued_on = data.get("issued_on")
    for name, what, required in (
        ("issued_on", "the date the notice was issued", True),
        ("review_on", "the review date", False),
        ("expires_on", "the expiry date", False),
    ):
        if problem := date_error(data.get(name), what, required=required):
            errors[name] = [problem]
    reference = text(data, "reference").upper()
    if wrong := _reference(reference):
        errors["reference"] = wrong
    served_by, notes = text(data, "served_by"), text(data, "notes")
    if len(served_by) > 200:
        errors["served_by"] = ["Who served it must be 200 characters or fewer"]
    if problem := long_text_error(notes, "Notes"):
        errors["notes"] = [problem]
    if errors:
        raise ValidationFailed(errors)
    assert isinstance(issued_on, date)
    expires_on = data.get("expires_on") or default_expiry(children, issued_on)
    review_on = data.get("review_on") or default_review(issued_on, expires_on)
    errors.update(date_order_errors(issued_on, review_on, expires_on))
    if wrong := child_errors(children, issued_on):
        errors["child_ids"] = wrong
    if errors:
        raise ValidationFailed(errors)
    return {
        "person": person,
        "children": children,
        "reference": reference,
        "issued_on": issued_on,
        "review_on": review_on,
        "expires_on": expires_on,
        "served_by": served_by,
        "notes": notes,
    }
