"""Photographs of the child on their missing profile.

An upload is checked as an image (JPEG, PNG or WebP, opened by Pillow, with a cap on its
pixels against decompression bombs) and on its size; turned upright from its EXIF
orientation; and re-encoded as a JPEG from its pixels alone, so nothing of the original's
metadata (EXIF, GPS location, camera, comments) survives. It is kept in the private file
store (``HOMEWARD_FILES_DIR``) under a random name, never under the web root, and read
back only through the same access check as the profile, as an audited read. A photograph
never goes into an email or a notification: events carry its id alone."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events import bus
from homeward.events.change import record_change
from homeward.safeguarding.events import PhotoAdded
from homeward.safeguarding.models import ProfilePhoto
from homeward.safeguarding.services.profiles import may_keep, profile_of, today, visible_child

OBJECT = "profile_photo"
FIELD = "photo"
FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
NOT_AN_IMAGE = "The file must be a photograph (JPEG, PNG or WebP)"
# No photograph of a child needs more: a 40-megapixel image is a large camera's.
MAX_PIXELS = 40_000_000
# What is kept: long enough on its longest side to print on a briefing sheet.
MAX_SIDE = 2000
QUALITY = 85
CONTENT_TYPE = "image/jpeg"
NO_PHOTO = "No photograph was found."


def photo_dir() -> Path:
    return Path(settings.HOMEWARD_FILES_DIR) / "profile-photos"


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{size // 1024} KB"


def limit_text() -> str:
    return _megabytes(settings.HOMEWARD_PHOTO_MAX_BYTES)


def read_upload(upload: IO[bytes]) -> bytes:
    """The upload's bytes, reading no more than one past the limit."""
    limit = settings.HOMEWARD_PHOTO_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed({FIELD: f"The photograph must be smaller than {_megabytes(limit)}"})
    if not data:
        raise ValidationFailed({FIELD: "Select a photograph to upload"})
    return data


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise ValidationFailed({FIELD: NOT_AN_IMAGE})
        if image.width * image.height > MAX_PIXELS:
            raise ValidationFailed(
                {
                    FIELD: f"The photograph has too many pixels: at most {MAX_PIXELS // 1_000_000} "
                    "megapixels"
                }
            )
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationFailed({FIELD: NOT_AN_IMAGE}) from None
    return image


@dataclass(frozen=True)
class Cleaned:
    data: bytes
    width: int
    height: int


def clean_image(data: bytes) -> Cleaned:
    """The photograph upright, as a JPEG of its pixels only (no metadata at all)."""
    image = ImageOps.exif_transpose(_open(data))
    if image.mode in {"RGBA", "LA", "P", "PA"}:
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image of the same pixels: nothing of the original's info travels with it.
    bare = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return Cleaned(out.getvalue(), bare.width, bare.height)


def _taken_on_errors(taken_on: date | None) -> None:
    if taken_on is not None and taken_on > today():
        raise ValidationFailed({"taken_on": "The date it was taken must be today or in the past"})


@transaction.atomic
@bus.in_unit_of_work
def add_photo(
    actor: Actor, child_id: object, upload: IO[bytes], taken_on: date | None = None
) -> ProfilePhoto:
    """Add a photograph to the child's profile and make it the current one."""
    child = visible_child(actor, child_id)
    profile = profile_of(child)
    if not may_keep(actor, child, profile):
        raise AccessDenied("Your role does not allow you to keep this child's missing profile.")
    if profile is None:
        raise ValidationFailed({FIELD: "Write the missing profile before adding a photograph"})
    _taken_on_errors(taken_on)
    raw = read_upload(upload)
    cleaned = clean_image(raw)
    name = f"{uuid.uuid4().hex}.jpg"
    folder = photo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(cleaned.data)
    ProfilePhoto.objects.filter(profile=profile, current=True).update(current=False)
    photo = ProfilePhoto.objects.create(
        profile=profile,
        file_name=name,
        content_type=CONTENT_TYPE,
        width=cleaned.width,
        height=cleaned.height,
        size_bytes=len(cleaned.data),
        sha256=hashlib.sha256(cleaned.data).hexdigest(),
        taken_on=taken_on,
        current=True,
        uploaded_at=clock.now(),
        uploaded_by=actor.user,
        uploaded_by_organisation=actor.organisation,
    )
    record_change(
        actor,
        PhotoAdded(aggregate_id=profile.pk, child_id=profile.child_id, photo=photo.pk),
        action="add_photo",
        details={"photo": photo.pk, "size_bytes": photo.size_bytes},
    )
    return photo


def read_photo(actor: Actor, child_id: object, photo_id: object) -> tuple[ProfilePhoto, bytes]:
    """One photograph of the child's profile and its bytes, for whoever may see the
    profile: an audited read. NotFound otherwise, whether or not it exists."""
    child = visible_child(actor, child_id)
    try:
        pk = int(str(photo_id))
    except ValueError:
        raise NotFound(NO_PHOTO) from None
    photo = ProfilePhoto.objects.filter(pk=pk, profile__child__person_id=child.person_id).first()
    if photo is None:
        raise NotFound(NO_PHOTO)
    data = stored_bytes(photo)
    if data is None:
        raise NotFound(NO_PHOTO)
    audit.record(actor, "view", OBJECT, photo.pk, child_id=child.pk)
    return photo, data


def stored_bytes(photo: ProfilePhoto) -> bytes | None:
    """The photograph's bytes from the private file store, or None if it is not there."""
    try:
        return (photo_dir() / photo.file_name).read_bytes()
    except OSError:
        return None
