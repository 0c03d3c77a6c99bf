"""Photographs on the missing profile: checked as images and on size, turned upright,
stored without any metadata outside the web root, and served only after the profile's
access check, never cached."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pytest_django import Settings

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.organisations.models import Role
from homeward.safeguarding.events import PhotoAdded
from homeward.safeguarding.models import ProfilePhoto
from homeward.safeguarding.services import photos
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_profile import (
    GPS_IFD,
    add_photo,
    jpeg,
    photo_store,
    save,
    stored,
)
from tests.safeguarding.test_profile_services import rhi_worker_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("photo_store")]
__all__ = ["photo_store"]


@pytest.fixture
def profiled(child: Child, social_worker: Actor) -> Child:
    save(social_worker, child)
    return child


def web(actor: Actor) -> Client:
    client = Client()
    client.force_login(user_of(actor))
    return client


def upload(actor: Actor, child: Child, data: bytes, name: str = "photo.jpg") -> str:
    response = web(actor).post(
        f"/children/{child.pk}/profile/photos",
        {"photo": SimpleUploadedFile(name, data, content_type="image/jpeg")},
    )
    if response.status_code == 302:
        return "saved"
    assert response.status_code == 200
    return response.content.decode()


def test_a_file_that_is_not_an_image_is_refused(profiled: Child, social_worker: Actor) -> None:
    page = upload(social_worker, profiled, b"%PDF-1.4 not a photograph at all", "photo.jpg")
    assert "The file must be a photograph (JPEG, PNG or WebP)" in page
    assert not ProfilePhoto.objects.exists()


def test_a_gif_is_refused_too(profiled: Child, social_worker: Actor) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationFailed) as refused:
        add_photo(social_worker, profiled, out.getvalue())
    assert refused.value.errors["photo"] == [photos.NOT_AN_IMAGE]


def test_a_photograph_too_large_is_refused_with_the_limit(
    profiled: Child, social_worker: Actor, settings: Settings
) -> None:
    """Larger than the service reads of any other request, and still told plainly."""
    settings.HOMEWARD_PHOTO_MAX_BYTES = 3 * 1024 * 1024
    noise = Image.effect_noise((1300, 1300), 120).convert("RGB")
    out = io.BytesIO()
    noise.save(out, format="PNG")
    big = out.getvalue()
    assert len(big) > settings.HOMEWARD_PHOTO_MAX_BYTES > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    page = upload(social_worker, profiled, big, "photo.png")
    assert "The photograph must be smaller than 3 MB" in page
    assert not ProfilePhoto.objects.exists()


def test_a_decompression_bomb_is_refused(profiled: Child, social_worker: Actor) -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, a few KB
    with pytest.raises(ValidationFailed) as refused:
        add_photo(social_worker, profiled, out.getvalue())
    assert "too many pixels" in refused.value.errors["photo"][0]


def test_the_gps_location_and_every_other_tag_are_removed(
    profiled: Child, social_worker: Actor, photo_store: Path
) -> None:
    original = jpeg(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()  # the test's premise
    assert upload(social_worker, profiled, original) == "saved"
    photo = ProfilePhoto.objects.get()
    path = stored(photo)
    assert path.parent.parent == photo_store
    assert not str(path).startswith(str(django_settings.BASE_DIR / "homeward" / "static"))
    kept = Image.open(path)
    assert kept.format == "JPEG"
    assert len(kept.getexif()) == 0
    assert "exif" not in kept.info
    assert b"Camera maker" not in path.read_bytes()
    assert photo.file_name.removesuffix(".jpg").isalnum()
    assert len(photo.file_name) == 36


def test_the_photograph_is_turned_upright(profiled: Child, social_worker: Actor) -> None:
    photo = add_photo(social_worker, profiled, jpeg((60, 40), orientation=6))
    assert (photo.width, photo.height) == (40, 60)
    assert Image.open(stored(photo)).size == (40, 60)


def test_the_newest_photograph_is_the_current_one(profiled: Child, social_worker: Actor) -> None:
    first = add_photo(social_worker, profiled)
    second = add_photo(social_worker, profiled)
    first.refresh_from_db()
    assert second.current
    assert not first.current
    assert DomainEvent.objects.filter(name=PhotoAdded.name).count() == 2
    assert all(
        set(e.payload) == {"photo"} for e in DomainEvent.objects.filter(name=PhotoAdded.name)
    )


def test_served_after_the_access_check_never_cached(profiled: Child, social_worker: Actor) -> None:
    photo = add_photo(social_worker, profiled)
    url = f"/children/{profiled.pk}/profile/photo/{photo.pk}"
    response = web(social_worker).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == "inline"
    assert response.content == stored(photo).read_bytes()
    assert AuditEvent.objects.filter(
        action="view", object_type="profile_photo", child_id=profiled.pk
    ).exists()


def test_no_photograph_without_a_relationship(profiled: Child, social_worker: Actor) -> None:
    photo = add_photo(social_worker, profiled)
    outsider = factories.actor(Role.SOCIAL_WORKER, factories.CouncilFactory())
    rhi = rhi_worker_of(profiled, social_worker)
    for who in (outsider, rhi):
        assert web(who).get(f"/children/{profiled.pk}/profile/photo/{photo.pk}").status_code == 404
        assert web(who).get(f"/children/{profiled.pk}/profile").status_code == 404
        token = factories.api_token(user_of(who))
        for path in (
            f"/api/v1/children/{profiled.pk}/profile/photos/{photo.pk}",
            f"/api/v1/children/{profiled.pk}/profile",
        ):
            got = Client().get(path, headers={"Authorization": f"Bearer {token}"})
            assert got.status_code == 404, (who.role, path)
        with pytest.raises(NotFound):
            photos.read_photo(who, profiled.pk, photo.pk)


def test_another_childs_photograph_is_not_found(profiled: Child, social_worker: Actor) -> None:
    other = factories.ChildFactory(responsible_council=profiled.responsible_council)
    save(social_worker, other)
    theirs = add_photo(social_worker, other)
    with pytest.raises(NotFound):
        photos.read_photo(social_worker, profiled.pk, theirs.pk)


def test_the_api_takes_and_gives_the_photograph(profiled: Child, social_worker: Actor) -> None:
    headers = {"Authorization": f"Bearer {factories.api_token(user_of(social_worker))}"}
    response = Client().post(
        f"/api/v1/children/{profiled.pk}/profile/photos",
        {"photo": SimpleUploadedFile("me.jpg", jpeg(gps=True), content_type="image/jpeg")},
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    got = Client().get(body["url"], headers=headers)
    assert got.status_code == 200
    assert got["Content-Type"] == "image/jpeg"
    assert got["Cache-Control"] == "private, no-store"
    assert len(Image.open(io.BytesIO(got.content)).getexif()) == 0
    bad = Client().post(
        f"/api/v1/children/{profiled.pk}/profile/photos",
        {"photo": SimpleUploadedFile("me.jpg", b"hello", content_type="image/jpeg")},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["photo"] == [photos.NOT_AN_IMAGE]
