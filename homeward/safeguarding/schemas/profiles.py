"""The missing profile's API shapes: the profile as written and read, its photographs,
and the profile as given to the police in the report's response."""

from datetime import date, datetime
from typing import Annotated, Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from homeward.core.api import Versioned
from homeward.core.schemas import Day, InputSchema, LongText, OrganisationOut
from homeward.safeguarding.models import MissingProfile, ProfilePhoto
from homeward.safeguarding.services import profiles as service

Short = Annotated[str, Field(max_length=100)]
Item = Annotated[str, Field(max_length=service.LIST_ITEM_LIMIT)]


class ProfileAssociateSchema(InputSchema):
    name: Item = ""
    relationship: Item = ""
    phone: Item = ""
    notes: Item = ""


class ProfilePlaceSchema(InputSchema):
    place: Item = ""
    postcode: Item = ""
    notes: Item = ""


class MissingProfileIn(InputSchema):
    """The whole profile: what is left out is blank. Changing one needs ``version`` (or an
    If-Match header); writing the first does not."""

    review_date: Day = Field(description="When it is next to be reviewed: today or later")
    height: Annotated[str, Field(max_length=60)] = ""
    build: Short = ""
    hair: Short = ""
    eyes: Short = ""
    distinguishing_features: LongText = ""
    vulnerabilities: LongText = ""
    medical_needs: LongText = ""
    medication: LongText = ""
    associates: list[ProfileAssociateSchema] = Field(default=[], max_length=service.LIST_LIMIT)
    places: list[ProfilePlaceSchema] = Field(default=[], max_length=service.LIST_LIMIT)
    phone: Annotated[str, Field(max_length=60)] = ""
    social_media: LongText = ""
    transport: LongText = ""
    money: LongText = ""
    what_worked_before: LongText = ""
    version: Annotated[int, Field(ge=1, le=2_000_000_000)] | None = Field(
        None, description="The profile's version as you last saw it; leave out to write the first"
    )


class ProfilePhotoOut(Schema):
    id: int
    url: str = Field(description="GET it (image/jpeg) with your token")
    width: int
    height: int
    size_bytes: int
    taken_on: date | None
    current: bool
    uploaded_at: datetime

    @classmethod
    def build(cls, child_id: int, photo: ProfilePhoto) -> "ProfilePhotoOut":
        return cls(
            id=photo.pk,
            url=photo_url(child_id, photo.pk),
            width=photo.width,
            height=photo.height,
            size_bytes=photo.size_bytes,
            taken_on=photo.taken_on,
            current=photo.current,
            uploaded_at=photo.uploaded_at,
        )


def photo_url(child_id: int, photo_id: int) -> str:
    return reverse("api:read_profile_photo", kwargs={"child_id": child_id, "photo_id": photo_id})


class ProfileContentOut(Versioned):
    review_date: date
    height: str
    build: str
    hair: str
    eyes: str
    distinguishing_features: str
    vulnerabilities: str
    medical_needs: str
    medication: str
    associates: list[dict[str, str]]
    places: list[dict[str, str]]
    phone: str
    social_media: str
    transport: str
    money: str
    what_worked_before: str
    owner: OrganisationOut
    photo_url: str | None = Field(description="The current photograph (image/jpeg), if any")
    flags: list[str] = Field(description="past_review_date, no_photograph")


def _content(child_id: int, profile: MissingProfile, photo_id: int | None) -> dict[str, Any]:
    return {
        **{name: getattr(profile, name) for name in service.TEXT_FIELDS},
        "review_date": profile.review_date,
        "associates": profile.associates,
        "places": profile.places,
        "owner": OrganisationOut.model_validate(profile.owner),
        "photo_url": photo_url(child_id, photo_id) if photo_id else None,
        "flags": service.needs_attention(profile, photo_id is not None),
        "version": profile.version,
    }


class ProfileForPoliceOut(ProfileContentOut):
    """The profile as the report gave it to the force."""

    @classmethod
    def of(
        cls, child_id: int, profile: MissingProfile, photo_id: int | None
    ) -> "ProfileForPoliceOut":
        return cls(**_content(child_id, profile, photo_id))


class MissingProfileOut(ProfileContentOut):
    child_id: int
    photo: ProfilePhotoOut | None
    updated_at: datetime

    @classmethod
    def of(cls, read: service.ProfileRead) -> "MissingProfileOut":
        assert read.profile is not None
        photo = read.photo
        return cls(
            **_content(read.child.pk, read.profile, photo.pk if photo else None),
            child_id=read.child.pk,
            photo=ProfilePhotoOut.build(read.child.pk, photo) if photo else None,
            updated_at=read.profile.updated_at,
        )
