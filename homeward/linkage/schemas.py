"""API shapes of find before create: the details of a child about to be added, and the
likely matches already held. A match the caller may not see carries no name, date or id."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

from homeward.children.models import Child, ChildAlias, ChildIdentifier
from homeward.children.schemas import ChildSummaryOut
from homeward.core.schemas import Day, InputSchema, limit_of
from homeward.linkage.search import Match


class MatchQueryIn(InputSchema):
    first_name: Annotated[str, limit_of(Child, "first_name")] = ""
    last_name: Annotated[str, limit_of(Child, "last_name")] = ""
    other_names: list[Annotated[str, limit_of(ChildAlias, "name")]] = Field(
        default_factory=list, max_length=20, description="Aliases, former or other names"
    )
    date_of_birth: Day | None = None
    sex: Annotated[str, Field(max_length=1)] = Field("", description="DfE code: 1 male, 2 female")
    nhs_number: Annotated[str, Field(max_length=20)] = ""
    upn: Annotated[str, Field(max_length=20)] = Field("", description="Unique pupil number")
    agency_reference: Annotated[str, limit_of(ChildIdentifier, "value")] = Field(
        "", description="An agency's reference for the child"
    )
    postcode: Annotated[str, Field(max_length=10)] = Field(
        "", description="Where the child lives or was found: a full postcode or its first half"
    )
    limit: Annotated[int, Field(ge=1, le=20)] = Field(5, description="At most this many matches")


class HolderOut(Schema):
    id: int
    name: str


class MatchOut(Schema):
    visible: bool = Field(description="true when you may already see this child's record")
    child: ChildSummaryOut | None = Field(
        description="The child's record, only when visible: otherwise null"
    )
    held_by: HolderOut = Field(description="The council responsible for the child")
    strength: str = Field(description="Very likely, Likely or Possible")
    probability: float
    grounds: list[str] = Field(description="Why it may be the child (never the details)")
    token: str | None = Field(
        description="When not visible: a token to report against this record (valid one "
        "hour, for you only); null when visible"
    )

    @classmethod
    def build(cls, match: Match, child: Child | None) -> "MatchOut":
        return cls(
            visible=match.visible and child is not None,
            child=ChildSummaryOut.build(child) if match.visible and child is not None else None,
            held_by=HolderOut(id=match.held_by_id, name=match.held_by),
            strength=match.strength,
            probability=match.probability,
            grounds=list(match.grounds),
            token=match.token or None,
        )


class MatchesOut(Schema):
    count: int
    items: list[MatchOut]
