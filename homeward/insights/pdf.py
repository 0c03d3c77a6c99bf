"""The board report as a PDF (reportlab: pure Python, no system libraries). Every chart is
drawn beside its table and a one-line summary, so the figures read as text too."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

BLUE = colors.HexColor("#1d70b8")
GREY = colors.HexColor("#b1b4b6")
WIDTH = A4[0] - 40 * mm


def _rate(value: float | None) -> str:
    return "no returns" if value is None else f"{value}%"


def _bars(rows: list[dict[str, Any]], measure: str) -> Drawing | None:
    values = [r.get(measure) or 0 for r in rows]
    peak = max([*values, 0])
    if peak == 0:
        return None
    bar_h, gap, label_w = 9, 3, 55 * mm
    height = len(rows) * (bar_h + gap)
    drawing = Drawing(WIDTH, height)
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = height - (index + 1) * (bar_h + gap)
        drawing.add(String(0, y + 1, str(row["label"])[:40], fontSize=7))
        length = (WIDTH - label_w - 20 * mm) * value / peak
        drawing.add(Rect(label_w, y, max(length, 0.5), bar_h, fillColor=BLUE, strokeColor=None))
        drawing.add(String(label_w + length + 2, y + 1, str(value), fontSize=7))
    return drawing


def _grid(header: list[str], body: list[list[str]]) -> Table:
    table = Table([header, *body], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, GREY),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _section(table: dict[str, Any], styles: Any) -> list[Any]:
    parts: list[Any] = [Paragraph(escape(table["title"]), styles["Heading3"])]
    parts.append(Paragraph(escape(table["summary"]), styles["BodyText"]))
    measure = "episodes" if table["counts_episodes"] else "children"
    chart = _bars(table["rows"], measure)
    if chart is not None:
        parts.append(chart)
    header = ["", *(["Episodes"] if table["counts_episodes"] else [])]
    header += ["Children"] if table["counts_children"] else []
    body = []
    for row in table["rows"]:
        line = [str(row["label"])]
        if table["counts_episodes"]:
            line.append(str(row["episodes"]))
        if table["counts_children"]:
            line.append(str(row["children"]))
        body.append(line)
    parts.append(_grid(header, body))
    if table.get("note"):
        parts.append(Paragraph(escape(table["note"]), styles["Italic"]))
    parts.append(Spacer(1, 4 * mm))
    return [KeepTogether(parts)]


def board_report_pdf(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Children missing from home or care: {data['council']}, {data['period']}",
        author="Homeward",
        lang="en-GB",
    )
    styles = getSampleStyleSheet()
    story = _opening(data, styles)
    story += _headline(data["headline"], styles)
    story += _trend(data["trend"], styles)
    story += _compliance(data["compliance"], styles)
    for table in data["tables"]:
        story += _section(table, styles)
    story += _you_said_we_did(data.get("you_said_we_did") or [], styles)
    story.append(Paragraph("What children told us: themes", styles["Heading2"]))
    for table in data["themes"]:
        story += _section(table, styles)
    story += _quotes(data["quotes"], styles)
    doc.build(story)
    return buffer.getvalue()


def _opening(data: dict[str, Any], styles: Any) -> list[Any]:
    return [
        Paragraph("Children missing from home or care", styles["Title"]),
        Paragraph(
            escape(f"Corporate parenting board report: {data['council']}, {data['period']}"),
            styles["Heading2"],
        ),
        Paragraph(
            "No child is named in this report. Children are counted once; the counting rules "
            "are published with the service.",
            styles["BodyText"],
        ),
    ]


def _headline(head: dict[str, Any], styles: Any) -> list[Any]:
    return [
        Paragraph("This quarter", styles["Heading2"]),
        _grid(
            ["Measure", "Number"],
            [
                [
                    "Episodes (a child missing or away, from last seen to return)",
                    str(head["episodes"]),
                ],
                ["Children", str(head["children"])],
                ["Incidents (children missing together count once)", str(head["incidents"])],
                ["Children with 3 or more episodes", str(head["repeat_children"])],
                ["Episodes still open", str(head["open_now"])],
            ],
        ),
    ]


def _trend(trend: list[dict[str, Any]], styles: Any) -> list[Any]:
    return [
        Paragraph("Trend against the earlier quarters", styles["Heading2"]),
        _grid(
            ["Quarter", "Episodes", "Children", "Repeat", "Returns", "Checks", "RHI in 72h"],
            [
                [
                    t["period"],
                    str(t["episodes"]),
                    str(t["children"]),
                    str(t["repeat_children"]),
                    str(t["returns"]),
                    _rate(t["check_rate"]),
                    _rate(t["within_72h_rate"]),
                ]
                for t in trend
            ],
        ),
    ]


def _compliance(comp: dict[str, Any], styles: Any) -> list[Any]:
    return [
        Paragraph("Safe and well checks and return interviews", styles["Heading2"]),
        _grid(
            ["Of the returns in the quarter", "Number", "Share"],
            [
                ["Returns", str(comp["returns"]), ""],
                ["Safe and well check done", str(comp["check_done"]), _rate(comp["check_rate"])],
                ["Interview offered", str(comp["interview_offered"]), _rate(comp["offered_rate"])],
                [
                    "Interview accepted",
                    str(comp["interview_accepted"]),
                    _rate(comp["accepted_rate"]),
                ],
                [
                    "Interview done within 72 hours",
                    str(comp["interview_done_within_72h"]),
                    _rate(comp["within_72h_rate"]),
                ],
                ["Interview declined", str(comp["interview_declined"]), ""],
                ["Interview not offered", str(comp["interview_not_offered"]), ""],
            ],
        ),
        Spacer(1, 4 * mm),
    ]


def _quotes(quotes: list[str], styles: Any) -> list[Any]:
    parts: list[Any] = [Paragraph("In their own words", styles["Heading2"])]
    if not quotes:
        parts.append(Paragraph("No quotes this quarter.", styles["BodyText"]))
        return parts
    parts.append(
        Paragraph(
            "Short quotes from return interviews, used with the child's agreement, with "
            "names and places taken out.",
            styles["BodyText"],
        )
    )
    quote_style = ParagraphStyle("quote", parent=styles["BodyText"], leftIndent=8 * mm)
    parts.extend(Paragraph(escape(f"“{quote}”"), quote_style) for quote in quotes)
    return parts


def _you_said_we_did(items: list[dict[str, Any]], styles: Any) -> list[Any]:
    """Themes linked to what answered them (insights/board_themes.py)."""
    if not items:
        return []
    parts: list[Any] = [Paragraph("You said, we did", styles["Heading2"])]
    header = ["Theme", "This quarter", "Before (average)", "What we did"]
    cell = styles["BodyText"]
    body = [
        [
            Paragraph(escape(item["theme"]), cell),
            str(item["this_quarter"]),
            str(item["earlier_average"]),
            Paragraph(escape(f"{item['summary']} ({item['answer']}, {item['answered_on']})"), cell),
        ]
        for item in items
    ]
    grid = Table([header, *body], colWidths=[45 * mm, 20 * mm, 25 * mm, 80 * mm], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, GREY),
            ]
        )
    )
    parts.append(grid)
    parts.append(Spacer(1, 4 * mm))
    return parts
