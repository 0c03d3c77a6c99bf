"""Records held somewhere in the country, with their search keys written."""

from __future__ import annotations

from datetime import date
from typing import Any

from homeward.children.models import Child, ChildAlias, ChildIdentifier
from homeward.linkage import keys
from homeward.linkage.search import Query
from tests import factories


def held(
    first_name: str,
    last_name: str,
    date_of_birth: date,
    *,
    aliases: tuple[str, ...] = (),
    reference: str = "",
    postcode: str = "",
    **fields: Any,
) -> Child:
    """A child record (set up as a test does, bypassing services), with its keys."""
    child: Child = factories.ChildFactory(
        first_name=first_name, last_name=last_name, date_of_birth=date_of_birth, **fields
    )
    for alias in aliases:
        ChildAlias.objects.create(child=child, name=alias)
    if reference:
        ChildIdentifier.objects.create(
            child=child, organisation=child.responsible_council, value=reference
        )
    if postcode:
        placement = factories.place(child)
        placement.postcode_district = postcode
        placement.save()
    keys.rewrite([child.pk])
    return child


def query(first_name: str = "", last_name: str = "", dob: date | None = None, **kw: Any) -> Query:
    return Query(
        first_name=first_name,
        last_name=last_name,
        other_names=list(kw.pop("other_names", [])),
        date_of_birth=dob,
        **kw,
    )
