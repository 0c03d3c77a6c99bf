"""The layers are enforced: the import contracts hold on the tree, an upward import breaks
them, and Django loads the apps in the order of their layers."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    return [layer.strip("()") for layer in contract["layers"]]


def test_the_contracts_hold_on_the_tree() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _lint_with_import(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess[str]:
    """Lint a copy of the tree in which ``module`` (a path under homeward/) gains ``line``."""
    shutil.copytree(
        ROOT / "homeward",
        tmp_path / "homeward",
        ignore=shutil.ignore_patterns("__pycache__", "static", "node_modules"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "homeward" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    return _lint(tmp_path)


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    result = _lint_with_import(
        tmp_path, "children/models.py", "from homeward.insights import facts"
    )
    assert result.returncode != 0
    assert "homeward.children is not allowed to import homeward.insights" in result.stdout


def test_a_domain_module_importing_a_page_breaks_the_contract(tmp_path: Path) -> None:
    result = _lint_with_import(
        tmp_path, "notifications/rules.py", "from homeward.insights import views"
    )
    assert result.returncode != 0
    assert "No domain module imports presentation BROKEN" in result.stdout


# What the layers contract may ignore: presentation, which is not a layer. Any other
# ignored import is an upward import hiding in the contract.
PRESENTATION = {
    "homeward.*.views",
    "homeward.*.views.**",  # an app's pages split into modules
    "homeward.*.api",
    "homeward.*.api.**",  # an app's API split into modules (safeguarding)
    "homeward.*.forms",
    "homeward.*.forms.**",
    "homeward.*.schemas",
    "homeward.*.schemas.**",  # a package of schemas (episodes)
    "homeward.*.urls",
    "homeward.*.templatetags.**",
    "homeward.*.management.**",
    "homeward.core.context_processors",
    "homeward.core.middleware",
}


def test_the_layers_contract_ignores_only_presentation() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    importers = {line.split("->")[0].strip() for line in contract["ignore_imports"]}
    assert importers <= PRESENTATION, importers - PRESENTATION
    assert all(line.endswith("-> homeward.**") for line in contract["ignore_imports"])


def test_installed_apps_follow_the_layers() -> None:
    ours = [app for app in settings.INSTALLED_APPS if app.startswith("homeward.")]
    present = [layer for layer in reversed(_layers()) if layer in ours]
    assert ours == present


# Imports inside functions that remain, each with its reason. Any other import of a
# homeward module inside a function (outside an AppConfig.ready()) fails this test: an
# import that would make a cycle means a module is in the wrong layer.
ALLOWED_LOCAL_IMPORTS = {
    ("homeward/audit/tasks.py", "homeward.audit"): "the task module loads before Django",
    ("homeward/organisations/models.py", "homeward.core"): "models load before the clock",
    ("homeward/organisations/services.py", "homeward.organisations.models"): "same app",
    ("homeward/organisations/views.py", "homeward.core"): "presentation",
    ("homeward/core/middleware.py", "homeward.core.api"): "presentation",
    ("homeward/core/middleware.py", "homeward.core"): "presentation",
    ("homeward/core/api.py", "homeward.core.middleware"): "presentation",
    ("homeward/core/views.py", "homeward.notifications"): "presentation: /healthz",
    ("homeward/core/views.py", "homeward.core.api"): "presentation",
    ("homeward/insights/board.py", "homeward.insights.pdf"): "reportlab loads only for a PDF",
    ("homeward/insights/tally.py", "homeward.insights.models"): "same app",
    ("homeward/insights/tasks.py", "homeward.insights"): "the task module loads before Django",
    ("homeward/insights/tasks.py", "homeward.organisations.models"): (
        "the task module loads before Django"
    ),
}


def _local_imports() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "homeward").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or rel.endswith("/apps.py"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    "homeward"
                ):
                    found.add((rel, inner.module or ""))
                elif isinstance(inner, ast.Import):
                    found.update(
                        (rel, alias.name)
                        for alias in inner.names
                        if alias.name.startswith("homeward")
                    )
    return found


def test_no_function_local_import_hides_a_cycle() -> None:
    unexplained = _local_imports() - set(ALLOWED_LOCAL_IMPORTS)
    assert not unexplained, f"imports inside functions with no reason given: {unexplained}"


def test_the_allow_list_names_only_imports_that_remain() -> None:
    stale = set(ALLOWED_LOCAL_IMPORTS) - _local_imports()
    assert not stale, f"allow-listed imports that are gone (remove them): {stale}"
