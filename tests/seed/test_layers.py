"""The seed app sits at the top of the layers: nothing in homeward imports it but its own
modules (and ``homeward serve``, which may start the demo)."""

from __future__ import annotations

import ast
from pathlib import Path

import homeward

ROOT = Path(homeward.__file__).parent
ALLOWED = {ROOT / "notifications" / "management" / "commands" / "serve.py"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_nothing_below_the_seed_app_imports_it() -> None:
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if path not in ALLOWED
        and (ROOT / "seed") not in path.parents
        and any(
            m == "homeward.seed" or m.startswith("homeward.seed.") for m in imported_modules(path)
        )
    ]
    assert importers == []


def test_the_old_homes_of_the_demo_and_the_generator_are_gone() -> None:
    assert not (ROOT / "core" / "demo.py").exists()
    assert not (ROOT / "interchange" / "synthetic.py").exists()
