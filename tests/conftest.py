import pytest

from homeward.organisations.models import Role
from tests import factories


@pytest.fixture
def police(db):
    return factories.PoliceForceFactory()


@pytest.fixture
def council(police):
    return factories.CouncilFactory(police_force=police)


@pytest.fixture
def social_worker(council):
    return factories.actor(Role.SOCIAL_WORKER, council)


@pytest.fixture
def police_officer(police):
    return factories.actor(Role.POLICE_OFFICER, police)


@pytest.fixture
def child(council):
    return factories.ChildFactory(responsible_council=council)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
