"""/api/v1/children/{child_id}/profile: the child's missing profile and its photographs.

The same services as the pages: whoever may not see the profile gets 404, whether or not
there is one; changing one needs the version last seen (If-Match or ``version``)."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.params.functions import Header

from homeward.core.api import actor_of, expected_version, respond
from homeward.core.errors import NotFound
from homeward.core.schemas import Day, Id
from homeward.safeguarding.schemas.profiles import (
    MissingProfileIn,
    MissingProfileOut,
    ProfilePhotoOut,
    photo_url,
)
from homeward.safeguarding.services import photos as photo_service
from homeward.safeguarding.services import profiles as service

router = Router(tags=["missing profiles"])

ProfileIfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag you last received for the profile, e.g. "3". Or send the '
        "version in the body.",
    ),
]


def _profile(actor_request: HttpRequest, child_id: int, status: int = 200) -> HttpResponse:
    read = service.read_profile(actor_of(actor_request), child_id)
    if read.profile is None:
        raise NotFound("No missing profile has been written for this child.")
    return respond(MissingProfileOut.of(read), status)


@router.get(
    "/children/{child_id}/profile",
    response={200: MissingProfileOut},
    summary="Read the child's missing profile",
    description="Philomena Protocol part 1. For the organisations that see the child, "
    "except return interview providers; a home only while it is the child's home. A "
    "profile written on any record linked as the same child is theirs. An audited read.",
)
def read_profile(request: HttpRequest, child_id: Id) -> HttpResponse:
    return _profile(request, child_id)


@router.put(
    "/children/{child_id}/profile",
    response={200: MissingProfileOut},
    summary="Write or change the child's missing profile",
    description="The whole profile. Its owner, the responsible council and the child's "
    "current home keep it. Changing one needs If-Match or `version`.",
)
def save_profile(
    request: HttpRequest, child_id: Id, payload: MissingProfileIn, if_match: ProfileIfMatch = None
) -> HttpResponse:
    version = None
    if (if_match and if_match.strip()) or payload.version is not None:
        version = expected_version(request, if_match, payload.version, "profile")
    data = payload.for_service()
    data.pop("version", None)
    service.save_profile(actor_of(request), child_id, data, version)
    return _profile(request, child_id)


@router.post(
    "/children/{child_id}/profile/photos",
    response={201: ProfilePhotoOut},
    summary="Add a photograph to the missing profile",
    description="multipart/form-data with `photo` (JPEG, PNG or WebP) and, if known, "
    "`taken_on`. It is checked as an image, stored without any of its metadata (EXIF, "
    "GPS location) and becomes the current photograph.",
)
def add_photo(
    request: HttpRequest,
    child_id: Id,
    photo: File[UploadedFile],
    taken_on: Form[Day | None] = None,
) -> HttpResponse:
    added = photo_service.add_photo(actor_of(request), child_id, photo, taken_on)
    return respond(
        ProfilePhotoOut.build(child_id, added), 201, location=photo_url(child_id, added.pk)
    )


@router.get(
    "/children/{child_id}/profile/photos/{photo_id}",
    response={200: None},
    summary="Get a photograph of the missing profile",
    description="The photograph as image/jpeg, for whoever may see the profile. An "
    "audited read; never cached.",
    url_name="read_profile_photo",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The photograph",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def read_photo(request: HttpRequest, child_id: Id, photo_id: Id) -> HttpResponse:
    photo, data = photo_service.read_photo(actor_of(request), child_id, photo_id)
    response = HttpResponse(data, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response
