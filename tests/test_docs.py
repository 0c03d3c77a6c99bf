"""The repository's written knowledge stays true to the repository.

- No code or test points at notes kept outside the repository: what a comment relies on
  is in docs/.
- Every relative link in docs/ and README.md reaches a file here (and, for a link to a
  heading, that heading).
- The layers drawn in docs/architecture.md (the Mermaid diagram and its text fallback)
  are the layers import-linter enforces from pyproject.toml, in the same order."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# Built here so that this file does not mention them itself.
OUTSIDE_NOTES = [name + ".md" for name in ("DESIGN", "DOMAIN")]
SKIP_DIRS = {"__pycache__", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def files_under(*folders: str) -> list[Path]:
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and not SKIP_DIRS & set(path.relative_to(ROOT).parts):
                found.append(path)
    return found


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_no_code_or_test_points_at_notes_outside_the_repository() -> None:
    offenders = []
    for path in files_under("homeward", "tests"):
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(name in line for name in OUTSIDE_NOTES):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "point these at a page in docs/ instead:\n" + "\n".join(offenders)


# [text](target) and [text](target "title"), and reference definitions: [label]: target
INLINE_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def links_in(text: str) -> list[str]:
    prose = CODE_SPAN.sub("", FENCE.sub("", text))
    return [
        target
        for pattern in (INLINE_LINK, IMAGE_LINK, REFERENCE_LINK)
        for target in pattern.findall(prose)
    ]


def is_relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) and not target.startswith(
        "//"
    )


def heading_anchors(path: Path) -> set[str]:
    """The anchors a Markdown renderer gives the headings of a page (GitHub's way)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        words = unicodedata.normalize("NFKC", match.group(1)).strip().lower()
        words = re.sub(r"[`*_]", "", words)
        slug = re.sub(r"[^\w\- ]", "", words).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def test_the_pages_are_found() -> None:
    names = {str(path.relative_to(ROOT)) for path in markdown_files()}
    assert {"README.md", "docs/README.md", "docs/architecture.md", "docs/domain.md"} <= names


def test_every_relative_link_in_the_docs_reaches_a_file_in_the_repository() -> None:
    broken = []
    checked = 0
    for page in markdown_files():
        for target in links_in(page.read_text(encoding="utf-8")):
            if not is_relative(target):
                continue
            checked += 1
            where, _, anchor = target.partition("#")
            place = (page.parent / where).resolve() if where else page
            label = f"{page.relative_to(ROOT)}: {target}"
            if not place.is_relative_to(ROOT):
                broken.append(f"{label} (outside the repository)")
            elif not place.exists():
                broken.append(f"{label} (no such file)")
            elif anchor and place.suffix == ".md" and anchor not in heading_anchors(place):
                broken.append(f"{label} (no heading #{anchor})")
    assert broken == [], "broken links:\n" + "\n".join(broken)
    assert checked > 10  # the pages do link to each other and to the code


def test_a_broken_link_is_caught() -> None:
    text = "See [the rules](counting-rules.md), [code](../homeward/) and `[not](a-link.md)`."
    assert links_in(text) == ["counting-rules.md", "../homeward/"]
    assert not is_relative("https://example.org/page")
    assert "small-numbers" in heading_anchors(ROOT / "docs" / "counting-rules.md")


# --- the layers --------------------------------------------------------------------------

MERMAID = re.compile(r"^```mermaid\n(.*?)^```", re.MULTILINE | re.DOTALL)
ASCII_FALLBACK = re.compile(r"^```text\n(.*?)^```", re.MULTILINE | re.DOTALL)
NODE = re.compile(r"\b(\w+)\s*\[\s*\"([^\"]*)\"\s*\]")
EDGE = re.compile(r"\b(\w+)(?:\s*\[[^\]]*\])?\s*-->\s*(\w+)")
DOMAIN_MODULE = re.compile(r"^homeward\.[a-z_]+$")


def mermaid_layers(page: str) -> list[str]:
    """The labels of the diagram's nodes, top to bottom, following its arrows."""
    blocks = MERMAID.findall(page)
    assert blocks, "docs/architecture.md has no Mermaid diagram"
    block = blocks[0]
    assert block.lstrip().startswith("flowchart TD"), "the layers diagram is a flowchart TD"
    labels = dict(NODE.findall(block))
    edges = EDGE.findall(block)
    below = dict(edges)
    assert len(below) == len(edges), "each layer has one arrow down to the next"
    tops = set(below) - set(below.values())
    assert len(tops) == 1, f"the diagram is one chain from one top layer, not {sorted(tops)}"
    order = [tops.pop()]
    while order[-1] in below:
        order.append(below[order[-1]])
        assert len(order) <= len(edges) + 1, "the arrows go round in a circle"
    return [labels.get(node, node).strip() for node in order]


def diagram_domain_layers() -> list[str]:
    return [
        label for label in mermaid_layers(ARCHITECTURE.read_text()) if DOMAIN_MODULE.match(label)
    ]


def test_the_diagram_puts_presentation_over_the_domain_layers() -> None:
    layers = mermaid_layers(ARCHITECTURE.read_text())
    assert layers[0].lower().startswith("presentation"), layers[0]
    assert all(DOMAIN_MODULE.match(label) for label in layers[1:]), layers[1:]
    assert layers[-1] == "homeward.core"


def test_the_text_fallback_draws_the_same_layers() -> None:
    page = ARCHITECTURE.read_text()
    fallbacks = [block for block in ASCII_FALLBACK.findall(page) if "homeward.core" in block]
    assert fallbacks, "docs/architecture.md has no text drawing of the layers"
    drawn = re.findall(r"\bhomeward\.[a-z_]+\b(?!\.)", fallbacks[0])
    assert drawn == diagram_domain_layers()
    assert "presentation" in fallbacks[0].lower().split("homeward.")[0]


def layers_contracts() -> list[list[str]]:
    """The layers of each import-linter "layers" contract, siblings split out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {})
    contracts = config.get("importlinter", {}).get("contracts", [])
    found = []
    for contract in contracts:
        if contract.get("type") != "layers" or contract.get("containers"):
            continue
        modules = []
        for layer in contract.get("layers", []):
            for name in re.split(r"[|:]", layer):
                modules.append(name.strip().strip("()").strip())
        found.append(modules)
    return found


def test_the_diagram_is_the_layers_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {})
    if "importlinter" not in config:
        pytest.skip(
            "pyproject.toml has no [tool.importlinter] section yet: the layers contract is "
            "added with the import-linter change, and this test compares against it then"
        )
    contracts = [c for c in layers_contracts() if "homeward.core" in c]
    assert contracts, "[tool.importlinter] has no layers contract over homeward.core"
    # The domain layers are the apps (packages); a presentation layer of the contract, if it
    # names top-level modules (homeward.api, homeward.urls), is the diagram's top box.
    enforced = [
        name
        for name in max(contracts, key=len)
        if DOMAIN_MODULE.match(name) and (ROOT / Path(*name.split("."))).is_dir()
    ]
    assert diagram_domain_layers() == enforced
