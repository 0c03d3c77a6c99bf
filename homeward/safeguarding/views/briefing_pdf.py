"""The briefing sheet and the public appeal as one A4 page each (reportlab, in the board
report's house style: Helvetica, GOV.UK blue and grey rules).

Long answers are cut at a word with "…", and lists after a few entries, each saying "see
Homeward for more"; if the sheet still runs over a page it is drawn again with shorter
limits until it fits."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from homeward.core import clock
from homeward.core.clock import UK
from homeward.safeguarding.services.appeals import AppealPage
from homeward.safeguarding.services.briefing import Briefing

BLUE = colors.HexColor("#1d70b8")
GREY = colors.HexColor("#b1b4b6")
MARGIN = 12 * mm
WIDTH = A4[0] - 2 * MARGIN
MORE = "see Homeward for more"
ELLIPSIS = "\u2026"


def clip(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, cut at a word with "…" if longer."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)].rsplit(" ", 1)[0] or text[: limit - 1]
    return f"{cut.rstrip(' ,.;:')}{ELLIPSIS}"


def _when(value: Any) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value, UK)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


class _Styles:
    def __init__(self, scale: float, *, poster: bool = False) -> None:
        base = getSampleStyleSheet()
        size = 8.5 if scale >= 1 else 7.5
        if poster:  # the public appeal: read from across a room
            size = 13 if scale >= 1 else 10
        self.body = ParagraphStyle(
            "hw-body", parent=base["BodyText"], fontSize=size, leading=size + 2
        )
        self.small = ParagraphStyle("hw-small", parent=self.body, fontSize=7, leading=8.5)
        self.head = ParagraphStyle(
            "hw-head", parent=base["Heading4"], fontSize=9, leading=11, spaceBefore=0, spaceAfter=1
        )
        title = 26 if poster else 15
        self.title = ParagraphStyle(
            "hw-title", parent=base["Title"], fontSize=title, leading=title * 1.2
        )
        self.key = ParagraphStyle("hw-key", parent=self.body, fontName="Helvetica-Bold")


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _photo(data: bytes | None, width: float, height: float) -> Any:
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        w, h = reader.getSize()
    except Exception:  # an unreadable file is left off, not fatal to the sheet
        return None
    ratio = min(width / w, height / h)
    return Image(io.BytesIO(data), width=w * ratio, height=h * ratio)


def _rows(rows: list[tuple[str, str]], styles: _Styles, key_width: float, width: float) -> Table:
    body = [[_para(k, styles.key), _para(v or "Not recorded", styles.body)] for k, v in rows]
    table = Table(body, colWidths=[key_width, width - key_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, GREY),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _listing(items: list[str], most: int) -> str:
    shown = [f"\u2022 {item}" for item in items[:most] if item]
    if len(items) > most:
        shown.append(f"and {len(items) - most} more: {MORE}")
    return "\n".join(shown) if shown else "None recorded"


def _built(make: Callable[[float], list[Any]], title: str) -> bytes:
    """The story ``make(scale)`` on one page: drawn again smaller until it fits."""
    pdf = b""
    for scale in (1.0, 0.7, 0.5, 0.35, 0.25):
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="Homeward",
            lang="en-GB",
        )
        doc.build(make(scale))
        pdf = buffer.getvalue()
        if doc.page == 1:
            break
    return pdf


# --- the briefing sheet -------------------------------------------------------------------


def _briefing_facts(b: Briefing, n: Callable[[int], int]) -> list[tuple[str, str]]:
    e, child = b.episode, b.child
    return [
        ("Name", child.full_name),
        ("Age and sex", f"{b.age}, {child.get_sex_display().lower()}"),
        ("Risk grade", e.get_risk_grade_display()),
        ("Why", clip(b.risk.rationale if b.risk else "", n(260))),
        ("Last seen", f"{_when(e.last_seen_at)}, {clip(e.last_seen_location, n(140))}"),
        ("With", clip(e.last_seen_with, n(120)) or "No one recorded"),
        ("Wearing", clip(e.clothing, n(200))),
    ]


def _briefing_detail(b: Briefing, n: Callable[[int], int], most: int) -> list[tuple[str, str]]:
    p = b.profile

    def get(name: str) -> str:
        return str(getattr(p, name) or "") if p else ""

    described = "; ".join(
        f"{label}: {get(name)}"
        for label, name in (
            ("Height", "height"),
            ("Build", "build"),
            ("Hair", "hair"),
            ("Eyes", "eyes"),
        )
        if get(name)
    )
    features = get("distinguishing_features")
    places = [clip(line, n(110)) for line in b.place_lines]
    people = [clip(line, n(110)) for line in b.associate_lines]
    steps = [clip(step, n(140)) for step in b.if_missing]
    online = "; ".join(x for x in (get("phone"), get("social_media")) if x)
    return [
        ("Description", clip("; ".join(x for x in (described, features) if x), n(300))),
        ("Medical needs", clip(get("medical_needs"), n(260))),
        ("Medication", clip(get("medication"), n(160))),
        ("Vulnerabilities", clip(get("vulnerabilities"), n(260))),
        ("Places to look", _listing(places, most)),
        ("Associates", _listing(people, most)),
        ("Phone and social media", clip(online, n(160))),
        ("What worked before", clip(get("what_worked_before"), n(260))),
        ("If missing (the plan)", _listing(steps, most)),
    ]


def _briefing_story(b: Briefing, scale: float) -> list[Any]:
    def n(limit: int) -> int:
        return max(int(limit * scale), 20)

    styles = _Styles(scale)
    e = b.episode
    photo = _photo(b.photo_bytes(), 45 * mm, 58 * mm)
    side = photo if photo is not None else _para("No photograph on the profile", styles.small)
    facts = _rows(_briefing_facts(b, n), styles, 22 * mm, WIDTH - 50 * mm)
    top = Table([[side, facts]], colWidths=[50 * mm, WIDTH - 50 * mm], hAlign="LEFT")
    top.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    contacts = "; ".join(f"{c.role}: {c.name} {c.email}".strip() for c in b.contacts[:3])
    refs = [
        ("Episode", e.reference),
        ("Police reference", e.police_reference or "Not recorded"),
        ("Force", e.police_force.name),
        ("Council", f"{b.council.name}. {contacts}" if contacts else b.council.name),
    ]
    return [
        _para("Missing child: police briefing", styles.title),
        _para(
            f"Official sensitive. For the force handling episode {e.reference}. "
            f"Printed {_when(clock.now())}. Long entries are cut short: {MORE}.",
            styles.small,
        ),
        Spacer(1, 2 * mm),
        top,
        Spacer(1, 2 * mm),
        _rows(_briefing_detail(b, n, max(round(6 * scale), 2)), styles, 34 * mm, WIDTH),
        Spacer(1, 2 * mm),
        _rows(refs, styles, 34 * mm, WIDTH),
    ]


def briefing_pdf(briefing: Briefing) -> bytes:
    return _built(
        lambda scale: _briefing_story(briefing, scale),
        f"Police briefing: episode {briefing.episode.reference}",
    )


# --- the public appeal --------------------------------------------------------------------


def appeal_rows(content: dict[str, Any]) -> list[tuple[str, str]]:
    """What the public version says, label by label: only what ``content`` holds."""
    rows: list[tuple[str, str]] = []
    if "first_name" in content:
        rows.append(("Name", content["first_name"]))
    if "age" in content:
        rows.append(("Age", str(content["age"])))
    if content.get("description"):
        rows.append(
            ("Description", "; ".join(f"{k}: {v}" for k, v in content["description"].items()))
        )
    if "clothing" in content:
        rows.append(("Wearing when last seen", content["clothing"] or "Not known"))
    if "last_seen_area" in content:
        area = content["last_seen_area"] or "Not given"
        rows.append(("Last seen", f"{area}, {_when(content['last_seen_at'])}"))
    return rows


def _appeal_story(page: AppealPage, scale: float) -> list[Any]:
    styles = _Styles(scale, poster=True)
    content = page.content
    who = content.get("first_name") or "this child"
    story: list[Any] = [_para(f"Missing: have you seen {who}?", styles.title)]
    photo = _photo(content.get("photo"), 70 * mm, 90 * mm)
    if photo is not None:
        story += [photo, Spacer(1, 3 * mm)]
    story.append(
        _rows(
            [(k, clip(v, int(400 * scale))) for k, v in appeal_rows(content)],
            styles,
            40 * mm,
            WIDTH,
        )
    )
    if content.get("wording"):
        story += [Spacer(1, 3 * mm), _para(clip(content["wording"], int(600 * scale)), styles.body)]
    ref = content.get("police_reference")
    call = f"If you see {who}, call 999. With information, call 101"
    story += [
        Spacer(1, 3 * mm),
        _para(f"{call}{f' quoting {ref}' if ref else ''} ({content['police_force']}).", styles.key),
    ]
    return story


def appeal_pdf(page: AppealPage) -> bytes:
    return _built(lambda scale: _appeal_story(page, scale), "Missing child: public appeal")
