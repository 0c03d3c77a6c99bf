"""Missing profiles and photographs for tests: synthetic children, images made here."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pytest_django import Settings

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation
from homeward.safeguarding.models import MissingProfile, ProfilePhoto
from homeward.safeguarding.services import photos, profiles

# The EXIF tags of a GPS location (the GPS IFD, latitude and longitude).
GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def photo_store(settings: Settings, tmp_path: Path) -> Path:
    """Each test's photographs in a folder of its own."""
    folder = tmp_path / "files"
    settings.HOMEWARD_FILES_DIR = folder
    return folder


def in_months(months: int = 3) -> date:
    return clock.now().date() + timedelta(days=30 * months)


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "review_date": in_months(),
        "height": "158 cm",
        "build": "Slim",
        "hair": "Long, dark brown",
        "eyes": "Brown",
        "vulnerabilities": "Groomed online last year",
        "medication": "Inhaler twice a day",
        "associates": [
            {"name": "Corvin Ashdale", "relationship": "Friend", "phone": "07700900123"}
        ],
        "places": [{"place": "The skate park by the canal", "postcode": "LS6 1AA"}],
    }
    data.update(overrides)
    return data


def save(actor: Actor, child: Child, **overrides: Any) -> MissingProfile:
    return profiles.save_profile(actor, child.pk, profile_data(**overrides), None)


def make_profile(child: Child, owner: Organisation, **fields: Any) -> MissingProfile:
    """A profile written straight to the database (test set-up only)."""
    now = clock.now()
    values: dict[str, Any] = {
        "review_date": in_months(),
        "height": "150 cm",
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    return MissingProfile.objects.create(child=child, owner=owner, **values)


def jpeg(
    size: tuple[int, int] = (60, 40), *, gps: bool = False, orientation: int | None = None
) -> bytes:
    """A small JPEG, with a GPS location and an orientation in its EXIF if asked."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (53.0, 48.0, 1.0), 3: "W", 4: (1.0, 32.0, 2.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def add_photo(actor: Actor, child: Child, data: bytes | None = None) -> ProfilePhoto:
    return photos.add_photo(actor, child.pk, io.BytesIO(data or jpeg()))


def stored(photo: ProfilePhoto) -> Path:
    return photos.photo_dir() / photo.file_name
