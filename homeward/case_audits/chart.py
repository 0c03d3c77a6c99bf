"""This audit against the council's earlier audits, as a bar chart (SVG, drawn on the
server: no JavaScript) of each question's share met. The page shows the same figures as a
table beside it, so nothing is only in the picture."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from homeward.case_audits.services.report import Comparison
from homeward.case_audits.standard import STANDARD

# GOV.UK Frontend's palette: distinguishable, and each with a text label in the key.
COLOURS = ("#b1b4b6", "#5694ca", "#1d70b8", "#0b0c0c")
BAR = 12
LEFT = 150
WIDTH = 420


def comparison_svg(comparison: Comparison) -> SafeString:
    audits = comparison.audits[-len(COLOURS) :]
    offset = len(comparison.audits) - len(audits)
    group = BAR * len(audits) + 14
    height = 40 + group * len(STANDARD) + 24 * len(audits)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LEFT + WIDTH + 50} {height}" '
        f'role="img" aria-labelledby="comparison-title" class="app-chart" width="100%">',
        '<title id="comparison-title">Share of cases meeting each question of the standard, '
        "in this audit and the council's earlier audits. The table below gives the same "
        "figures.</title>",
    ]
    y = 20
    for q in STANDARD:
        parts.append(
            f'<text x="0" y="{y + BAR}" font-size="12" fill="#0b0c0c">Question {q.number}</text>'
        )
        for n, _audit in enumerate(audits):
            share = comparison.met[q.key][offset + n]
            width = 0 if share is None else round(WIDTH * share)
            label = "no cases" if share is None else f"{share:.0%}"
            parts.append(
                f'<rect x="{LEFT}" y="{y + n * BAR}" width="{width}" height="{BAR - 2}" '
                f'fill="{COLOURS[n]}"/>'
                f'<text x="{LEFT + width + 4}" y="{y + n * BAR + BAR - 3}" font-size="10" '
                f'fill="#0b0c0c">{label}</text>'
            )
        y += group
    for n, audit in enumerate(audits):
        parts.append(
            f'<rect x="{LEFT}" y="{y + n * 24}" width="14" height="14" fill="{COLOURS[n]}"/>'
            f'<text x="{LEFT + 20}" y="{y + n * 24 + 12}" font-size="12" fill="#0b0c0c">'
            f"{escape(audit.title)} (opened {audit.opened_at:%d %b %Y})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped or a number
