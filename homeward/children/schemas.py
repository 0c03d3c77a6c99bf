"""API request and response shapes for children."""

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from homeward.children.codes import Ethnicity, Sex
from homeward.children.models import Child, Placement
from homeward.core import clock
from homeward.core.api import Versioned
from homeward.core.schemas import Day, Id, InputSchema, OrganisationOut


class ChildSearchIn(InputSchema):
    q: Annotated[str, Field(max_length=200)] = Field(
        description="A name or alias, a date of birth (31/12/2012 or 2012-12-31), a UPN, an "
        "NHS number or an agency's own reference. Sent in the body so that personal data "
        "never appears in a URL or a server log."
    )


class ChildIn(InputSchema):
    first_name: Annotated[str, Field(max_length=100)]
    last_name: Annotated[str, Field(max_length=100)]
    date_of_birth: Day
    sex: Sex = Field(description="DfE code: 1 male, 2 female")
    ethnicity: Ethnicity = Field(Ethnicity.NOBT, description="DfE ethnicity code")
    upn: Annotated[str, Field(max_length=20)] = Field("", description="Unique pupil number")
    nhs_number: Annotated[str, Field(max_length=20)] = ""
    responsible_council_id: Id | None = Field(
        None, description="Required unless you work for the responsible council"
    )
    aliases: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    agency_reference: Annotated[str, Field(max_length=60)] = Field(
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


class ChildOut(Versioned):
    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    age: int
    sex: str
    ethnicity: str
    upn: str
    nhs_number: str
    responsible_council: OrganisationOut
    legal_status: str = Field(description="looked_after, child_in_need, child_protection or none")
    current_placement: PlacementOut | None
    aliases: list[str]
    identifiers: list[IdentifierOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, child: Child) -> "ChildOut":
        today = clock.now().date()
        placement = child.current_placement
        return cls(
            id=child.pk,
            version=child.version,
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            age=child.age_on(today),
            sex=child.sex,
            ethnicity=child.ethnicity,
            upn=child.upn,
            nhs_number=child.nhs_number,
            responsible_council=OrganisationOut.model_validate(child.responsible_council),
            legal_status=child.legal_status_on(today),
            current_placement=PlacementOut.build(child, placement) if placement else None,
            aliases=[alias.name for alias in child.aliases.order_by("pk")],
            identifiers=[
                IdentifierOut(
                    organisation=OrganisationOut.model_validate(identifier.organisation),
                    value=identifier.value,
                )
                for identifier in child.identifiers.select_related("organisation").order_by("pk")
            ],
            created_at=child.created_at,
            updated_at=child.updated_at,
        )
