"""Shared fixtures, and the suite's one source of randomness.

Every generator a test can reach (factory_boy, Faker, ``random``, Hypothesis) is seeded
from one base seed, printed in the header and beside every failure, so a failure can be
replayed exactly: ``pytest --seed N`` (or ``HOMEWARD_TEST_SEED=N``). Each test's own
seed is derived from the base seed and the test's id, so it does not depend on which
tests ran before it or on which xdist worker runs it."""

from __future__ import annotations

import importlib
import os
import pkgutil
import random
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import factory.random
import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from openapi_core import OpenAPI
from pytest_django import Settings

import homeward
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.apiclient import ApiClient, load_spec, token_for

DEFAULT_SEED = 20261201

# Hypothesis draws from a seed derived from each test, never from the clock.
hypothesis_settings.register_profile(
    "homeward",
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.differing_executors],
)
hypothesis_settings.load_profile("homeward")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Hypothesis also draws constants it finds in the project's own loaded modules: with
    every module imported before any test runs, that pool is the same whichever tests
    this process runs, and in whatever order."""
    for module in pkgutil.walk_packages(homeward.__path__, "homeward."):
        if ".migrations." not in module.name:
            importlib.import_module(module.name)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--seed",
        type=int,
        default=None,
        help=f"base seed for every test's random data (default {DEFAULT_SEED}, "
        "or HOMEWARD_TEST_SEED)",
    )


def base_seed(config: pytest.Config) -> int:
    chosen = config.getoption("--seed")
    if chosen is not None:
        return int(chosen)
    return int(os.environ.get("HOMEWARD_TEST_SEED", DEFAULT_SEED))


def pytest_report_header(config: pytest.Config) -> str:
    return f"homeward: random data seeded with --seed {base_seed(config)}"


def test_seed(config: pytest.Config, nodeid: str) -> int:
    return (base_seed(config) * 1_000_003 + zlib.crc32(nodeid.encode())) % 2**32


@pytest.fixture(autouse=True)
def seeded_random(request: pytest.FixtureRequest) -> int:
    """Seed factory_boy, Faker and ``random`` for this test alone."""
    seed = test_seed(request.config, request.node.nodeid)
    factory.random.reseed_random(seed)
    random.seed(seed)
    return seed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    if report.failed:
        report.sections.append(
            (
                "random data",
                f"base seed {base_seed(item.config)} (replay: pytest --seed "
                f"{base_seed(item.config)} '{item.nodeid}')",
            )
        )
    return report


@pytest.fixture
def police(db: None) -> Organisation:
    return factories.PoliceForceFactory()


@pytest.fixture
def council(police: Organisation) -> Organisation:
    return factories.CouncilFactory(police_force=police)


@pytest.fixture
def social_worker(council: Organisation) -> Actor:
    return factories.actor(Role.SOCIAL_WORKER, council)


@pytest.fixture
def police_officer(police: Organisation) -> Actor:
    return factories.actor(Role.POLICE_OFFICER, police)


@pytest.fixture
def child(council: Organisation) -> Child:
    return factories.ChildFactory(responsible_council=council)


@pytest.fixture(scope="session")
def openapi_document() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


@pytest.fixture(scope="session")
def openapi_spec(openapi_document: dict[str, Any]) -> OpenAPI:
    return load_spec(openapi_document)


@pytest.fixture
def api(db: None, openapi_spec: OpenAPI) -> ApiClient:
    """The API client (tests/apiclient.py), with no token."""
    return ApiClient(openapi_spec)


@pytest.fixture
def as_social_worker(api: ApiClient, social_worker: Actor) -> ApiClient:
    return api.as_(token_for(social_worker))


@pytest.fixture
def as_police(api: ApiClient, police_officer: Actor) -> ApiClient:
    return api.as_(token_for(police_officer))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    """Real hashing is deliberately slow; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.HOMEWARD_LINK_EVERY_HOURS = 0  # no scheduled linkage runs in tests


@pytest.fixture(autouse=True)
def audit_checkpoints(settings: Settings, tmp_path: Path) -> Path:
    """Each test's audit checkpoints in a file of its own, never the developer's var/."""
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.HOMEWARD_AUDIT_CHECKPOINTS = path
    return path


@pytest.fixture(autouse=True)
def events_fit_their_schemas(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every outbox row a database test leaves is read back as its registered event class:
    an event written with a payload its schema does not allow fails the test."""
    names = set(request.fixturenames)
    uses_db = bool(names & {"db", "transactional_db"}) or (
        request.node.get_closest_marker("django_db") is not None
    )
    if not uses_db or "live_server" in names:
        yield
        return
    if "transactional_db" not in names and "db" not in names:
        marker = request.node.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction"))
        request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from django.db import Error

    from homeward.events.models import DomainEvent
    from homeward.events.types import parse

    try:
        with request.getfixturevalue("django_db_blocker").unblock():
            rows = list(
                DomainEvent.objects.values_list(
                    "pk", "name", "aggregate_type", "aggregate_id", "child_id", "payload"
                )
            )
    except Error:  # the test left its transaction unusable: nothing more to read
        return
    problems = []
    for pk, *fields in rows:
        try:
            parse(*fields)
        except (KeyError, ValueError) as error:
            problems.append(f"outbox row {pk} ({fields[0]}): {error}")
    if problems:
        pytest.fail("Events that do not fit their schemas:\n" + "\n".join(problems))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The schemathesis run's figures (tests/core/test_api_schemathesis.py), summed over the
    operations and, under xdist, over the workers."""
    totals: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        if getattr(report, "when", "call") != "call":
            continue
        for name, value in getattr(report, "user_properties", []):
            if name.startswith("schemathesis_"):
                key = name.removeprefix("schemathesis_")
                totals[key] = totals.get(key, 0) + int(value)
    if not totals:
        return
    statuses = ", ".join(
        f"{key.removeprefix('status_')}: {count}"
        for key, count in sorted(totals.items())
        if key.startswith("status_")
    )
    server_errors = sum(count for key, count in totals.items() if key.startswith("status_5"))
    terminalreporter.write_sep("-", "schemathesis")
    terminalreporter.write_line(
        f"schemathesis: {totals.get('cases', 0)} cases over {totals.get('operations', 0)} "
        f"operations, {server_errors} server errors (responses by status: {statuses})"
    )


@pytest.fixture(scope="session", autouse=True)
def private_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Photographs a test keeps (a demo load, an upload) go to a folder of the run's own,
    never the developer's var/. A test that looks at the files sets its own folder."""
    from django.conf import settings as django_settings

    folder = tmp_path_factory.mktemp("files")
    kept = django_settings.HOMEWARD_FILES_DIR
    django_settings.HOMEWARD_FILES_DIR = folder
    yield folder
    django_settings.HOMEWARD_FILES_DIR = kept
