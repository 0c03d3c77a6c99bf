"""Codemod: read the time through homeward.core.clock (ruff's TID251 bans the others).

    .venv/bin/python scripts/use_clock.py homeward tests benchmarks
    .venv/bin/ruff check --fix --select F401,I homeward tests benchmarks

Rewrites ``timezone.now()`` to ``clock.now()`` and ``datetime.now(TZ)`` to
``clock.now().astimezone(TZ)`` (the same instant, in the same zone), and adds
``from homeward.core import clock`` where it is missing. Idempotent."""

import re
import sys
from pathlib import Path

SKIP = {Path("homeward/core/clock.py")}
IMPORT = "from homeward.core import clock"
DATETIME_NOW = re.compile(r"\bdatetime\.now\(([^()]+)\)")


def rewrite(text: str) -> str:
    new = text.replace("timezone.now()", "clock.now()")
    new = DATETIME_NOW.sub(r"clock.now().astimezone(\1)", new)
    if new == text:
        return text
    if not re.search(r"^from homeward\.core import .*\bclock\b", new, re.MULTILINE):
        lines = new.splitlines(keepends=True)
        last_import = max(
            i for i, line in enumerate(lines) if line.startswith(("import ", "from "))
        )
        # After the last top-level import line (or its closing parenthesis).
        while lines[last_import].rstrip().endswith("(") or (
            "(" in lines[last_import] and ")" not in lines[last_import]
        ):
            last_import += 1
            while not lines[last_import].startswith(")"):
                last_import += 1
        lines.insert(last_import + 1, IMPORT + "\n")
        new = "".join(lines)
    return new


def main(paths: list[str]) -> None:
    for root in paths:
        for path in sorted(Path(root).rglob("*.py")):
            if path in SKIP or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            new = rewrite(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
