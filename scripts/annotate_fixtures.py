"""Codemod: give test parameters the types of the fixtures they name (mypy --strict).

    .venv/bin/python scripts/annotate_fixtures.py tests
    .venv/bin/ruff check --fix --select I,F401 tests && .venv/bin/ruff format tests

A parameter without an annotation whose name is a fixture gets that fixture's return type
(a generator fixture's yielded type), the fixture found as pytest finds it: in the same
module, then in each conftest.py up to tests/, then pytest's and pytest-django's own.
Fixtures without a return annotation are typed first from RETURNS. Imports are added for
the names used. Idempotent: annotated parameters are left alone."""

import ast
import re
import sys
from pathlib import Path

BUILTIN = {
    "db": "None",
    "transactional_db": "None",
    "django_db_setup": "None",
    "django_db_blocker": "DjangoDbBlocker",
    "client": "Client",
    "settings": "Settings",
    "monkeypatch": "pytest.MonkeyPatch",
    "tmp_path": "Path",
    "request": "pytest.FixtureRequest",
    "caplog": "pytest.LogCaptureFixture",
    "live_server": "Any",
}
IMPORTS = {
    "Any": "from typing import Any",
    "Callable": "from collections.abc import Callable",
    "Iterator": "from collections.abc import Iterator",
    "Path": "from pathlib import Path",
    "datetime": "from datetime import datetime",
    "pytest": "import pytest",
    "Client": "from django.test import Client",
    "Settings": "from pytest_django import Settings",
    "DjangoDbBlocker": "from pytest_django import DjangoDbBlocker",
    "Organisation": "from homeward.organisations.models import Organisation",
    "User": "from homeward.organisations.models import User",
    "Actor": "from homeward.core.actor import Actor",
    "Child": "from homeward.children.models import Child",
    "Episode": "from homeward.episodes.models import Episode",
    "ReturnInterview": "from homeward.aftercare.models import ReturnInterview",
    "AuditEvent": "from homeward.audit.models import AuditEvent",
    "ApiClient": "from tests.apiclient import ApiClient",
    "OpenAPI": "from openapi_core import OpenAPI",
    "StateApps": "from django.db.migrations.state import StateApps",
    "ClientResponse": "from tests.responses import ClientResponse",
}
# Where a type is defined in a test module: imported from there by the others.
LOCAL_TYPES = {
    "tests/notifications/conftest.py": ["Area"],
    "tests/insights/conftest.py": ["Area"],
    "tests/interchange/conftest.py": ["Area"],
}
# Return types of fixtures that carry none, by module and name.
RETURNS = {
    ("tests/conftest.py", "police"): "Organisation",
    ("tests/conftest.py", "council"): "Organisation",
    ("tests/conftest.py", "social_worker"): "Actor",
    ("tests/conftest.py", "police_officer"): "Actor",
    ("tests/conftest.py", "child"): "Child",
    ("tests/conftest.py", "audit_checkpoints"): "Path",
    (
        "tests/aftercare/test_compliance.py",
        "world",
    ): "tuple[dict[str, Any], Organisation, Organisation]",
    ("tests/aftercare/test_services.py", "coordinator"): "Actor",
    ("tests/aftercare/test_several_answers.py", "episode"): "Episode",
    ("tests/aftercare/test_views.py", "episode"): "Episode",
    ("tests/aftercare/test_views.py", "provider"): "Organisation",
    ("tests/aftercare/test_api.py", "episode"): "Episode",
    ("tests/aftercare/test_api.py", "interview"): "ReturnInterview",
    ("tests/aftercare/test_api.py", "coordinator"): "Actor",
    ("tests/aftercare/test_api.py", "as_coordinator"): "ApiClient",
    ("tests/aftercare/test_api.py", "provider"): "Organisation",
    ("tests/aftercare/test_api.py", "as_rhi_worker"): "ApiClient",
    ("tests/core/test_api_edge.py", "rhi_provider"): "Organisation",
    ("tests/core/test_api_edge.py", "coordinator"): "Actor",
    ("tests/children/test_api_emergency.py", "child"): "Child",
    ("tests/children/test_api_emergency.py", "outsider"): "Actor",
    ("tests/children/test_api_emergency.py", "as_outsider"): "ApiClient",
    ("tests/children/test_api_emergency.py", "coordinator"): "Actor",
    ("tests/children/test_api_emergency.py", "as_coordinator"): "ApiClient",
    ("tests/children/test_api_emergency.py", "access"): "Any",
    ("tests/episodes/test_api.py", "episode"): "Episode",
    ("tests/core/test_api_openapi.py", "docs"): "ClientResponse",
    ("tests/audit/test_chain.py", "logged"): "list[AuditEvent]",
    ("tests/audit/test_chain.py", "checkpointed"): "list[AuditEvent]",
    ("tests/audit/test_keyed_migration.py", "before_keying"): "Iterator[StateApps]",
    ("tests/audit/test_trail_views.py", "coordinator"): "User",
    ("tests/audit/test_trail_views.py", "looked"): "Actor",
    ("tests/audit/test_trail_views.py", "formula_reader"): "Actor",
    ("tests/children/test_emergency.py", "outsider"): "Actor",
    ("tests/children/test_emergency_views.py", "child"): "Child",
    ("tests/children/test_emergency_views.py", "stranger_police"): "Organisation",
    ("tests/children/test_emergency_views.py", "officer"): "User",
    ("tests/children/test_emergency_views.py", "coordinator"): "User",
    ("tests/children/test_services.py", "call_handler"): "Actor",
    ("tests/children/test_services.py", "provisional"): "Child",
    ("tests/children/test_views.py", "worker_client"): "Client",
    ("tests/core/test_demo.py", "demo_area"): "Iterator[Any]",
    ("tests/episodes/test_views.py", "officer"): "User",
    ("tests/insights/test_bulk.py", "generated"): "list[Child]",
    ("tests/insights/test_views.py", "national"): "Organisation",
    ("tests/interchange/conftest.py", "pinned"): "datetime",
    ("tests/interchange/test_dfe_rules_at_entry.py", "in_care"): "Child",
    ("tests/interchange/test_import.py", "council"): "Organisation",
    ("tests/interchange/test_import.py", "home"): "Organisation",
    ("tests/interchange/test_import.py", "known"): "Child",
    ("tests/interchange/test_import.py", "worker"): "Actor",
    ("tests/interchange/test_import_limits.py", "council"): "Organisation",
    ("tests/interchange/test_synthetic.py", "made"): "Any",
    ("tests/notifications/conftest.py", "area"): "Area",
    ("tests/notifications/test_clocks.py", "later"): "Callable[..., None]",
    ("tests/notifications/test_email.py", "smtp"): "Iterator[Any]",
    ("tests/notifications/test_out_of_area.py", "away"): "OutOfArea",
    ("tests/organisations/test_lockout.py", "officer"): "User",
    ("tests/organisations/test_mfa.py", "worker"): "User",
    ("tests/organisations/test_mfa.py", "enforced"): "Settings",
    ("tests/organisations/test_passwords.py", "worker"): "User",
    (
        "tests/organisations/test_policy.py",
        "placed_child",
    ): "tuple[Child, Organisation, Organisation]",
    ("tests/organisations/test_policy_fields.py", "observed"): "Observed",
}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def is_fixture(node: ast.AST) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        "fixture" in ast.unparse(d) for d in node.decorator_list
    )


def fixtures_of(path: Path) -> dict[str, tuple[str, Path]]:
    """Module-level fixtures: name -> (type, module defining it)."""
    if not path.exists():
        return {}
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not is_fixture(node):
            continue
        assert isinstance(node, ast.FunctionDef)
        kind = RETURNS.get((path.as_posix(), node.name))
        if node.returns is not None:
            kind = ast.unparse(node.returns)
        if kind is None:
            continue
        match = re.fullmatch(r"(?:Iterator|Generator)\[(.*?)(?:, None, None)?\]", kind)
        found[node.name] = (match.group(1) if match else kind, path)
    return found


def resolve(path: Path) -> dict[str, tuple[str, Path]]:
    table: dict[str, tuple[str, Path]] = {k: (v, Path("<builtin>")) for k, v in BUILTIN.items()}
    chain = [path.parent / "conftest.py"]
    folder = path.parent
    while folder != Path("tests") and folder != folder.parent:
        folder = folder.parent
        chain.append(folder / "conftest.py")
    for conftest in reversed(chain):
        table.update(fixtures_of(conftest))
    table.update(fixtures_of(path))
    return table


def annotate(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    table = resolve(path)
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    needed: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
            if arg.annotation is not None or arg.arg in {"self", "cls"} or arg.arg not in table:
                continue
            kind, origin = table[arg.arg]
            edits.append((arg.lineno - 1, arg.end_col_offset or 0, f": {kind}"))
            for name in NAME.findall(kind):
                head = name.split(".")[0]
                if head in IMPORTS:
                    needed.add(IMPORTS[head])
                elif origin != path and origin.as_posix() in LOCAL_TYPES:
                    module = origin.with_suffix("").as_posix().replace("/", ".")
                    needed.add(f"from {module} import {head}")
    for node in tree.body:
        kind = RETURNS.get((path.as_posix(), getattr(node, "name", "")))
        if not is_fixture(node) or kind is None:
            continue
        assert isinstance(node, ast.FunctionDef)
        if node.returns is not None:
            continue
        if any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(node)):
            kind = kind if kind.startswith("Iterator[") else f"Iterator[{kind}]"
        row = node.body[0].lineno - 2
        while "):" not in lines[row]:
            row -= 1
        col = lines[row].rindex("):") + 1
        edits.append((row, col, f" -> {kind}"))
        for name in NAME.findall(kind):
            if name.split(".")[0] in IMPORTS:
                needed.add(IMPORTS[name.split(".")[0]])
    if not edits:
        return False
    for row, col, extra in sorted(edits, reverse=True):
        lines[row] = lines[row][:col] + extra + lines[row][col:]
    defined = {
        alias.asname or alias.name.split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {n.name for n in tree.body if isinstance(n, ast.ClassDef | ast.FunctionDef)}
    new_imports = [
        line + "\n" for line in sorted(needed) if line.split()[-1].split(".")[0] not in defined
    ]
    # Before the first top-level import that is not from __future__.
    first = next(
        (
            n.lineno - 1
            for n in tree.body
            if isinstance(n, ast.Import)
            or (isinstance(n, ast.ImportFrom) and n.module != "__future__")
        ),
        0,
    )
    lines[first:first] = new_imports
    path.write_text("".join(lines), encoding="utf-8")
    return True


def main(roots: list[str]) -> None:
    for root in roots:
        for path in sorted(Path(root).rglob("*.py")):
            if annotate(path):
                print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
