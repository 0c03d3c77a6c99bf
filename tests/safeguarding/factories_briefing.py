"""Test data for the briefing sheet and the appeal: a child with a full missing profile,
a photograph in the file store and a risk plan, reported missing to a force."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from pytest_django import Settings

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation, Role
from homeward.safeguarding.models.plans import PlanVersion, RiskPlan
from homeward.safeguarding.models.profiles import MissingProfile, ProfilePhoto
from homeward.safeguarding.services import photos
from tests import factories
from tests.actors import user_of

MEDICAL = "Type 1 diabetes: needs insulin every evening"
WORKED = "Her aunt Bridget talked her into coming home last time"
ASSOCIATE = "Tobias Wrenfield"
PLACE = "Skate park behind Marlhaven leisure centre"
STEP = "Ring her aunt Bridget first"


@pytest.fixture(autouse=True)
def files_dir(settings: Settings, tmp_path: Path) -> Path:
    """The private file store, in a folder of the test's own."""
    settings.HOMEWARD_FILES_DIR = tmp_path / "files"
    return Path(settings.HOMEWARD_FILES_DIR)


def photo_file(colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(profile: MissingProfile, data: bytes | None = None) -> ProfilePhoto:
    """A photograph in the private file store (test set-up, not the photo service)."""
    data = data or photo_file()
    name = f"photo-{profile.pk}-{ProfilePhoto.objects.count() + 1}.jpg"
    folder = photos.photo_dir()  # where the photo service keeps them
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return ProfilePhoto.objects.create(
        profile=profile,
        file_name=name,
        content_type="image/jpeg",
        width=300,
        height=400,
        size_bytes=len(data),
        sha256="0" * 64,
        current=True,
        uploaded_at=clock.now(),
    )


def make_profile(child: Child, owner: Organisation, **overrides: object) -> MissingProfile:
    now = clock.now()
    values: dict[str, object] = {
        "height": "160 cm",
        "build": "Slim",
        "hair": "Long, dyed red",
        "eyes": "Green",
        "distinguishing_features": "Scar above her left eyebrow",
        "vulnerabilities": "Targeted by older men online",
        "medical_needs": MEDICAL,
        "medication": "Insulin pen",
        "associates": [
            {"name": ASSOCIATE, "relationship": "Older boyfriend", "phone": "07700 900123"}
        ],
        "places": [{"place": PLACE, "postcode": "MH1 4ZZ", "notes": "Evenings"}],
        "phone": "07700 900456",
        "social_media": "Snapchat: redfox_22",
        "what_worked_before": WORKED,
    }
    values.update(overrides)
    return MissingProfile.objects.create(
        child=child,
        owner=owner,
        review_date=now.date() + timedelta(days=90),
        created_at=now,
        updated_at=now,
        **values,
    )


def make_plan(child: Child, owner: Actor, steps: list[str] | None = None) -> PlanVersion:
    now = clock.now()
    user = user_of(owner)
    plan = RiskPlan.objects.create(
        child=child,
        owner_organisation=child.responsible_council,
        owner=user,
        review_date=now.date() + timedelta(days=30),
        created_at=now,
        updated_at=now,
    )
    return PlanVersion.objects.create(
        plan=plan,
        number=1,
        risks="Exploitation",
        if_missing=steps if steps is not None else [STEP, "Check the skate park"],
        report_after_minutes=60,
        review_date=plan.review_date,
        owner=user,
        changed_at=now,
    )


@dataclass
class Case:
    police: Organisation
    council: Organisation
    child: Child
    profile: MissingProfile
    episode: Episode
    officer: Actor
    coordinator: Actor
    worker: Actor


def missing_child(*, photo: bool = True, **profile: object) -> Case:
    """A child with a profile, a photograph and a plan, missing now."""
    police = factories.PoliceForceFactory()
    council = factories.CouncilFactory(police_force=police)
    child = factories.ChildFactory(
        responsible_council=council, first_name="Marigold", last_name="Thistlewood"
    )
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
    made = make_profile(child, council, **profile)
    if photo:
        add_photo(made)
    make_plan(child, coordinator)
    episode = factories.report(
        worker,
        child,
        hours_ago=3,
        grade="high",
        risk_rationale="Diabetic, no insulin with her",
        last_seen_location="14 Acacia Road, Marlhaven, MH1 2AB",
        clothing="Black puffer jacket, white trainers",
        police_reference="MH-2026-0419",
    )
    Episode.objects.filter(pk=episode.pk).update(last_seen_with="Tobias Wrenfield")
    episode.refresh_from_db()
    return Case(
        police=police,
        council=council,
        child=child,
        profile=made,
        episode=episode,
        officer=factories.actor(Role.POLICE_OFFICER, police),
        coordinator=coordinator,
        worker=worker,
    )
