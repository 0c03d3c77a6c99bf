"""Optimistic concurrency for the API: the version a change is based on, from If-Match or
the body's ``version``."""

import re
from typing import Annotated, Any

from django.http import HttpRequest
from ninja.params.functions import Header

from homeward.core.errors import ValidationFailed
from homeward.core.problems import IF_MATCH_USED, PreconditionFailed, PreconditionRequired

_ETAG = re.compile(r'^(?:W/)?"(\d{1,10})"$')


def _if_match(noun: str) -> Any:
    return Header(
        alias="If-Match",
        description=f'The ETag you last received for the {noun}, e.g. "3". '
        "Or send the version in the body.",
    )


# The optional If-Match header of an endpoint that changes an episode or an interview.
EpisodeIfMatch = Annotated[str | None, _if_match("episode")]
InterviewIfMatch = Annotated[str | None, _if_match("interview")]


def expected_version(
    request: HttpRequest,
    if_match: str | None,
    body_version: int | None,
    noun: str = "episode",
) -> int:
    """The version of the ``noun`` the client last saw: from If-Match (a stale one gives
    412) or from the body's ``version`` (a stale one gives 409). Neither gives 428."""
    if if_match is not None and if_match.strip():
        value = if_match.strip()
        if value == "*":
            raise PreconditionRequired(
                f"If-Match: * does not say which version you saw. Send the {noun}'s ETag."
            )
        tags = [tag.strip() for tag in value.split(",")]
        if len(tags) != 1:
            raise ValidationFailed({"If-Match": "Send the one ETag you last received"})
        match = _ETAG.match(tags[0])
        if match is None:
            setattr(request, IF_MATCH_USED, True)
            raise PreconditionFailed(
                f'If-Match does not match this {noun}\'s ETag, which looks like "3". '
                f"Fetch the {noun} again and use the ETag it returns."
            )
        version = int(match.group(1))
        if body_version is not None and body_version != version:
            raise ValidationFailed({"version": "The version does not match the If-Match header"})
        setattr(request, IF_MATCH_USED, True)
        return version
    if body_version is not None:
        return body_version
    raise PreconditionRequired(
        f"Say which version of the {noun} you are changing: send the ETag you received "
        f'in an If-Match header, or the {noun}\'s version in the body as "version".'
    )
