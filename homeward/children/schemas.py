"""API request and response shapes for children."""

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from homeward.children.codes import Ethnicity, Sex
from homeward.children.models import Child, ChildAlias, ChildIdentifier, Placement
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.api import Versioned
from homeward.core.schemas import Day, Id, InputSchema, OrganisationOut, limit_of
from homeward.episodes import visibility
from homeward.organisations import policy


class ChildSearchIn(InputSchema):
    q: Annotated[str, Field(max_length=200)] = Field(
        description="A name or alias, a date of birth (31/12/2012 or 2012-12-31), a UPN, an "
        "NHS number or an agency's own reference. Sent in the body so that personal data "
        "never appears in a URL or a server log."
    )


class ChildIn(InputSchema):
    confirm_new: bool = Field(
        False, description="Add a new record even though a likely match is held"
    )
    first_name: Annotated[str, limit_of(Child, "first_name")]
    last_name: Annotated[str, limit_of(Child, "last_name")]
    date_of_birth: Day
    sex: Sex = Field(description="DfE code: 1 male, 2 female")
    ethnicity: Ethnicity = Field(Ethnicity.NOBT, description="DfE ethnicity code")
    upn: Annotated[str, Field(max_length=20)] = Field("", description="Unique pupil number")
    nhs_number: Annotated[str, Field(max_length=20)] = ""
    responsible_council_id: Id | None = Field(
        None,
        description="Required unless you work for the responsible council, or send "
        "responsible_council_not_known",
    )
    responsible_council_not_known: bool = Field(
        False,
        description="true when nobody can say which council is responsible: the council "
        "for the area the child is in now (area_council_id) holds the record provisionally, "
        "flagged for its missing coordinator to confirm who is responsible",
    )
    area_council_id: Id | None = Field(
        None,
        description="With responsible_council_not_known: the council in your force's area "
        "where the child is now. Not needed when your force covers one council's area",
    )
    aliases: list[Annotated[str, limit_of(ChildAlias, "name")]] = Field(
        default_factory=list, max_length=20
    )
    agency_reference: Annotated[str, limit_of(ChildIdentifier, "value")] = Field(
        "", description="Your organisation's own reference for the child"
    )


class ChildSummaryOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    responsible_council: OrganisationOut

    @classmethod
    def build(cls, child: Child) -> "ChildSummaryOut":
        return cls(
            id=child.pk,
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            responsible_council=OrganisationOut.model_validate(child.responsible_council),
        )


class ChildSearchOut(Schema):
    count: int
    items: list[ChildSummaryOut]


class IdentifierOut(Schema):
    organisation: OrganisationOut
    value: str


class PlacementOut(Schema):
    placement_type: str
    start_date: date
    host_council: OrganisationOut
    provider: OrganisationOut | None
    postcode_district: str
    out_of_area: bool

    @classmethod
    def build(cls, child: Child, placement: Placement) -> "PlacementOut":
        return cls(
            placement_type=placement.placement_type,
            start_date=placement.start_date,
            host_council=OrganisationOut.model_validate(placement.host_council),
            provider=(
                OrganisationOut.model_validate(placement.provider) if placement.provider else None
            ),
            postcode_district=placement.postcode_district,
            out_of_area=placement.host_council_id != child.responsible_council_id,
        )


class EpisodeOutlineOut(Schema):
    """An episode known only in outline: when, for how long, the risk; never where."""

    last_seen_at: datetime
    returned_at: datetime | None
    risk_grade: str
    classification: str


class ChildOut(Versioned):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    age: int
    sex: str
    ethnicity: str
    upn: str | None = Field(
        description="Blank if not recorded; null if your organisation does not see it"
    )
    nhs_number: str | None = Field(
        description="Blank if not recorded; null if your organisation does not see it"
    )
    responsible_council: OrganisationOut
    responsible_council_provisional: bool = Field(
        description="true while the council holds the record provisionally: the child was "
        "added with their responsible council not known"
    )
    added_by_organisation: OrganisationOut | None = Field(
        description="The organisation that added the record, if it was added in Homeward"
    )
    legal_status: str = Field(description="looked_after, child_in_need, child_protection or none")
    current_placement: PlacementOut | None
    aliases: list[str]
    identifiers: list[IdentifierOut] = Field(
        description="Agencies' references for the child: every agency's, or (for a "
        "children's home or an interview provider) only your organisation's"
    )
    earlier_episodes: list[EpisodeOutlineOut] = Field(
        description="For a children's home or an interview provider: the child's other "
        "episodes, in outline only (read the ones you may see in full at /api/v1/episodes)"
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, actor: Actor, child: Child) -> "ChildOut":
        today = clock.now().date()
        placement = child.current_placement
        view = policy.child_view(actor)
        identifiers = child.identifiers.select_related("organisation").order_by("pk")
        if not view.all_references:
            identifiers = identifiers.filter(organisation=actor.organisation)
        added_by = child.added_by_organisation
        return cls(
            id=child.pk,
            version=child.version,
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            age=child.age_on(today),
            sex=child.sex,
            ethnicity=child.ethnicity,
            upn=child.upn if view.health_and_school_numbers else None,
            nhs_number=child.nhs_number if view.health_and_school_numbers else None,
            responsible_council=OrganisationOut.model_validate(child.responsible_council),
            responsible_council_provisional=child.responsible_council_provisional,
            added_by_organisation=OrganisationOut.model_validate(added_by) if added_by else None,
            legal_status=child.legal_status_on(today),
            current_placement=PlacementOut.build(child, placement) if placement else None,
            aliases=[alias.name for alias in child.aliases.order_by("pk")],
            identifiers=[
                IdentifierOut(
                    organisation=OrganisationOut.model_validate(identifier.organisation),
                    value=identifier.value,
                )
                for identifier in identifiers
            ],
            earlier_episodes=[
                EpisodeOutlineOut(
                    last_seen_at=e.last_seen_at,
                    returned_at=e.returned_at,
                    risk_grade=e.risk_grade,
                    classification=e.classification,
                )
                for e in visibility.episode_outlines(actor, child)
            ],
            created_at=child.created_at,
            updated_at=child.updated_at,
        )
