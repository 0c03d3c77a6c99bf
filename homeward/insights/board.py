"""Corporate parenting board reports: one council, one quarter, no identities.

The figures come from queries.py (the same as the dashboards). The children's own words
appear only as short quotes, with every name and number taken out: from return interviews
where the child agreed (``quote_consent``), and from the child's own account where the
child chose "anonymised, for the council's board" and has not withdrawn it
(``OwnAccount.board_may_use``). A withdrawal makes the quarter's stored report again
(``consent.py``), so its words leave the stored HTML and PDF too. ``generate`` stores the report
(HTML and PDF) so the quarterly task and the download serve the same document."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from homeward.aftercare.models import InterviewStatus, OwnAccount, ReturnInterview, Sharing
from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.insights import board_themes
from homeward.insights import counting as c
from homeward.insights import queries as q
from homeward.insights.models import BoardReport, ReasonKind
from homeward.organisations.models import Organisation

TREND_QUARTERS = 4  # this quarter and the three before it
MAX_QUOTES = 5
MAX_QUOTE_WORDS = 25

# Capitalised words that may stay in a quote; any other capitalised word is taken to be a
# name (of a person or a place) and replaced.
_ALLOWED_CAPITALISED = {
    "i", "i'm", "i'd", "i've", "i'll", "the", "it", "it's", "we", "they", "he", "she", "my",
    "me", "when", "if", "there", "and", "but", "so", "because", "nobody", "no", "yes",
    "people", "staff", "everyone", "sometimes", "at", "in", "on", "this", "that", "what",
    "why", "how", "just", "all", "not", "you", "being", "going", "home", "mum", "dad",
    "nan", "carers", "school", "a", "an", "one", "then", "after", "before", "nothing",
    "somebody", "someone", "things", "feel", "felt", "maybe", "really", "please", "don't",
    "can't", "didn't", "wasn't", "ok", "okay", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "last", "every", "too", "our", "their", "his", "her",
    "of", "to", "for", "with", "is", "was", "be", "do", "did", "had", "have", "she's",
    "he's", "they're", "we're", "there's", "let", "leave", "living", "stop", "nobody's",
    "call", "ring", "text", "tell", "told", "said", "went", "go", "get",
}  # fmt: skip
RIGHT_QUOTE = "\u2019"
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_NUMBER = re.compile(r"\d[\d\s/-]{1,}\d|\d{2,}")
_CONTACT = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)


def anonymise(text: str, names: set[str]) -> str:
    """A short quote with names, places, numbers and contact details replaced."""
    lowered = {n.lower() for n in names if n}
    text = _CONTACT.sub("[contact]", text)
    text = _NUMBER.sub("[number]", text)

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        bare = word.replace(RIGHT_QUOTE, "'").lower()
        stem = bare[:-2] if bare.endswith("'s") else bare
        if stem in lowered or bare in lowered:
            return "[name]"
        if word[0].isupper() and bare not in _ALLOWED_CAPITALISED:
            return "[name]"
        return word

    text = _WORD.sub(replace, " ".join(text.split()))
    words = text.split()
    if len(words) > MAX_QUOTE_WORDS:
        text = " ".join(words[:MAX_QUOTE_WORDS]).rstrip(",;:") + "…"
    return text


def _names_of(interview: ReturnInterview) -> set[str]:
    child = interview.child
    names = {child.first_name, child.last_name, interview.interviewer_name, interview.offered_by}
    names |= {alias.name for alias in child.aliases.all()}
    parts: set[str] = set()
    for name in names:
        parts |= set(re.split(r"[\s-]+", name or ""))
    return {p for p in parts if len(p) > 1}


def quotes(council: Organisation, period: q.Period) -> list[str]:
    """Short anonymised quotes, only from interviews where the child agreed."""
    start = c.period_end_instant(period.start)
    end = c.period_end_instant(period.end)
    found = (
        ReturnInterview.objects.filter(
            council=council,
            status=InterviewStatus.DONE,
            quote_consent=True,
            done_at__gte=start,
            done_at__lt=end,
        )
        .exclude(child_account="")
        .select_related("child")
        .prefetch_related("child__aliases")
        .order_by("done_at", "pk")
    )
    # What children wrote themselves comes first, then what their interviews recorded.
    texts = _own_account_texts(council, start, end)
    texts += [(interview.child_account, interview) for interview in found]
    out: list[str] = []
    for text, interview in texts:
        quote = anonymise(text, _names_of(interview))
        if quote and quote not in out:
            out.append(quote)
        if len(out) >= MAX_QUOTES:
            break
    return out


def _own_account_texts(
    council: Organisation, start: Any, end: Any
) -> list[tuple[str, ReturnInterview]]:
    """The words of the children who chose, on their own account's form, that their words
    may be used anonymised for the board, while that consent stands (never "named, to my
    worker", never "not at all", never once withdrawn)."""
    accounts = (
        OwnAccount.objects.filter(
            interview__council=council,
            sharing=Sharing.ANONYMISED,
            withdrawn_at__isnull=True,
            consent_given_at__gte=start,
            consent_given_at__lt=end,
        )
        .select_related("interview__child")
        .prefetch_related("interview__child__aliases")
        .order_by("consent_given_at", "pk")
    )
    return [
        (text, account.interview)
        for account in accounts
        if account.board_may_use
        for text in (account.what_happened, account.what_would_help)
        if text.strip()
    ]


def _table(table: q.Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "summary": table.summary,
        "rows": [
            {"label": r.label, "episodes": r.episodes, "children": r.children, **r.extra}
            for r in table.rows
        ],
        "total_episodes": table.total_episodes,
        "total_children": table.total_children,
        "counts_episodes": table.counts_episodes,
        "counts_children": table.counts_children,
        "note": table.note,
        "extra": table.extra,
        "peak": table.peak if table.counts_episodes else table.peak_children,
    }


def figures(council: Organisation, year: int, quarter: int) -> dict[str, Any]:
    """Everything the report shows, as plain data (stored with the report)."""
    scope = q.Scope.of(council)
    period = q.Period(year, quarter)
    trend_periods = [period]
    while len(trend_periods) < TREND_QUARTERS:
        trend_periods.insert(0, trend_periods[0].previous())
    trend = []
    for p in trend_periods:
        head = q.headline(scope, p)
        comp = q.compliance(scope, p)
        trend.append(
            {
                "period": p.label,
                "episodes": head.episodes,
                "children": head.children,
                "repeat_children": head.repeat_children,
                "returns": comp.returns,
                "check_rate": comp.check_rate,
                "within_72h_rate": comp.within_72h_rate,
            }
        )
    comp = q.compliance(scope, period)
    return {
        "council": council.name,
        "council_code": council.code,
        "period": period.label,
        "year": year,
        "quarter": quarter,
        "generated_at": clock.now().isoformat(),
        "you_said_we_did": board_themes.you_said_we_did(council, period),
        "headline": asdict(q.headline(scope, period)),
        "trend": trend,
        "compliance": {
            **asdict(comp),
            "check_rate": comp.check_rate,
            "offered_rate": comp.offered_rate,
            "accepted_rate": comp.accepted_rate,
            "within_72h_rate": comp.within_72h_rate,
        },
        "tables": [
            _table(t)
            for t in (
                q.by_month(scope, period),
                q.breakdown(scope, period, "age_band"),
                q.breakdown(scope, period, "legal_status"),
                q.breakdown(scope, period, "risk_grade"),
                q.duration(scope, period),
                q.repeats(scope, period),
                q.area(scope, period),
                q.continuity(scope, period),
            )
        ],
        "themes": [
            _table(q.reasons(scope, period, k))
            for k in (ReasonKind.PUSH, ReasonKind.PULL, ReasonKind.RISK)
        ],
        "quotes": quotes(council, period),
    }


def render_html(data: dict[str, Any], standalone: bool = True) -> str:
    return render_to_string(
        "insights/board_report_body.html", {"report": data, "standalone": standalone}
    )


@transaction.atomic
def generate(
    council: Organisation, year: int, quarter: int, actor: Actor | None = None
) -> BoardReport:
    """Make (or make again) and store one council's report for one quarter."""
    from homeward.insights.pdf import board_report_pdf

    data = figures(council, year, quarter)
    report, _ = BoardReport.objects.update_or_create(
        council=council,
        year=year,
        quarter=quarter,
        defaults={
            "generated_at": clock.now(),
            "figures": data,
            "html": render_html(data),
            "pdf": board_report_pdf(data),
        },
    )
    audit.record(
        actor or Actor.system(),
        "generate_board_report",
        "board_report",
        report.pk,
        details={"council": council.pk, "period": data["period"]},
    )
    return report


def last_complete_quarter(today: Any = None) -> tuple[int, int]:
    day = today or c.local_date(clock.now())
    year, quarter = c.quarter_of(day)
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)
