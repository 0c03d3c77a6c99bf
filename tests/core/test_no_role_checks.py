"""Pages, the API and templates never decide by role: they ask the app that owns the rule
(children.access, insights.access, the steps modules, ...), through homeward.navigation
for the menu and the home page. This test reads the source and fails on any role check
in presentation code, so a new one cannot creep back in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
HOMEWARD = ROOT / "homeward"

# The functions that decide by role; presentation calls the predicates built on them.
ROLE_FUNCTIONS = {"role_allows", "require_role"}
# Sets of roles (DASHBOARD_ROLES, RULE_EDITORS, ...) belong to the app owning the rule.
ROLE_SET = re.compile(r"(^|_)ROLES$|^RULE_EDITORS$")
# Presentation never needs the actor's role as a value (navigation.me reports the
# membership's); a role read from a record (an audit event's, a member's) is only shown.
ROLE_HOLDERS = {"actor", "current_membership"}
# Presentation modules outside this change that still decide by role, each with what is
# to replace it. The list may only shrink: an entry whose module no longer checks fails.
STILL_TO_MOVE: dict[str, str] = {}
TEMPLATE_ROLE_CHECKS = [
    re.compile(r"{%\s*allowed\b"),
    re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)"),
    re.compile(r"(==|!=|\bin)\s*\S*\.role\b"),
]


def presentation_modules() -> list[Path]:
    paths = {
        *HOMEWARD.rglob("views.py"),
        *HOMEWARD.glob("*/views/*.py"),
        *HOMEWARD.rglob("api.py"),
        *HOMEWARD.glob("*/templatetags/*.py"),
        HOMEWARD / "navigation.py",
        HOMEWARD / "core" / "context_processors.py",
    }
    return sorted(path for path in paths if path.exists())


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def role_checks(source: str) -> list[str]:
    """Each role check in ``source``, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        name = _name(node)
        if isinstance(node, ast.Name | ast.Attribute | ast.alias):
            alias = node.name if isinstance(node, ast.alias) else name
            if alias in ROLE_FUNCTIONS or ROLE_SET.search(alias):
                found.append(f"{line}: {alias}")
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "role"
            and _name(node.value) in ROLE_HOLDERS
        ):
            found.append(f"{line}: {_name(node.value)}.role")
        if isinstance(node, ast.Compare):
            found += _compared_roles(node)
    return found


def _compared_roles(node: ast.Compare) -> list[str]:
    """A comparison with a role (``Role.X``) or of anything's ``.role``, except the test
    of whether a recorded role is a known one (``event.role in Role.values``)."""
    operands = [node.left, *node.comparators]
    if any(isinstance(o, ast.Attribute) and o.attr == "values" for o in operands):
        return []
    found = []
    for operand in operands:
        if not isinstance(operand, ast.Attribute):
            continue
        if _name(operand.value) == "Role" and operand.attr.isupper():
            found.append(f"{node.lineno}: compared with Role.{operand.attr}")
        elif operand.attr == "role":
            found.append(f"{node.lineno}: compares {_name(operand.value)}.role")
    return found


def template_role_checks(text: str) -> list[str]:
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if any(pattern.search(line) for pattern in TEMPLATE_ROLE_CHECKS)
    ]


@pytest.mark.parametrize(
    "path", presentation_modules(), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_no_presentation_module_checks_a_role(path: Path) -> None:
    checks = role_checks(path.read_text())
    if path.relative_to(ROOT).as_posix() in STILL_TO_MOVE:
        assert checks, f"{path} no longer checks a role: remove it from STILL_TO_MOVE"
    else:
        assert checks == []


def test_no_template_checks_a_role() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): checks
        for path in sorted(HOMEWARD.rglob("*.html"))
        if (checks := template_role_checks(path.read_text()))
    }
    assert offenders == {}


def test_the_modules_checked_include_the_pages_and_the_api() -> None:
    names = {path.relative_to(HOMEWARD).as_posix() for path in presentation_modules()}
    assert {
        "episodes/views/home.py",
        "episodes/api.py",
        "children/views.py",
        "insights/views.py",
        "notifications/views.py",
        "aftercare/views/__init__.py",
        "aftercare/views/own_account.py",
        "aftercare/views/child.py",
        "api.py",
        "navigation.py",
    } <= names


@pytest.mark.parametrize(
    "source",
    [
        "if actor.role == Role.BOARD_MEMBER: pass",
        "allowed = role_allows(actor, Action.ADMINISTER)",
        "policy.require_role(actor, Action.SEE_IDENTITY)",
        "from homeward.organisations.policy import AGGREGATE_ONLY_ROLES",
        "ok = request.user.role in services.RULE_EDITORS",
        "x = actor.role",
        "if membership.role == 'org_admin': pass",
        "if kind != Role.ORG_ADMIN: pass",
    ],
)
def test_each_kind_of_role_check_is_caught(source: str) -> None:
    assert role_checks(source)


def test_a_recorded_role_shown_as_its_label_is_not_a_check() -> None:
    assert role_checks("label = Role(event.role).label if event.role in Role.values else ''") == []


@pytest.mark.parametrize(
    "text",
    [
        '{% allowed "see_episodes" as can_see %}',
        '{% if current_membership.role == "org_admin" %}',
        '{% if "org_admin" == current_membership.role %}',
        "{% if user.role in roles %}",
    ],
)
def test_each_kind_of_template_role_check_is_caught(text: str) -> None:
    assert template_role_checks(text)
