"""Reading forms as a page draws them, and filling them in as a person would.

``read_forms`` parses a page's HTML (the standard library's html.parser) into the forms on
it: each form's action and method, and every control a user can answer, grouped the way
the page groups them (a GOV.UK date input's boxes are one question; a group of radios or
checkboxes is one question), with its label or legend, its hint, and the questions a
radio reveals. ``Filler`` answers every question with a valid value taken from what the
page offers: one radio, several checkboxes, a real date, text within ``maxlength``.
Nothing here looks at the Django form class behind the page."""

from __future__ import annotations

import html
import io
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

UK = ZoneInfo("Europe/London")
TIME_PARTS = ("hour", "minute")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Option:
    value: str
    label: str
    reveals: str = ""  # the id of the questions this radio reveals


@dataclass
class Question:
    """One thing the user answers: a text box, a textarea, a select, a group of radios or
    checkboxes, a date (and time) input, or a hidden value the form carries."""

    name: str
    kind: str  # text, email, number, password, tel, textarea, select, radios,
    # checkboxes, date, datetime, hidden, file
    label: str = ""
    hint: str = ""
    value: str = ""  # what the page filled in already
    checked: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    inside: tuple[str, ...] = ()  # the revealed groups (by id) it sits in

    @property
    def maxlength(self) -> int | None:
        text = self.attrs.get("maxlength", "")
        return int(text) if text.isdigit() else None

    @property
    def multiple(self) -> bool:
        return self.kind == "checkboxes"

    @property
    def fillable(self) -> bool:
        return self.kind != "hidden"


@dataclass
class HtmlForm:
    action: str
    method: str
    questions: dict[str, Question] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)

    def question(self, name: str) -> Question:
        return self.questions[name]

    @property
    def fillable(self) -> list[Question]:
        return [q for q in self.questions.values() if q.fillable]

    @property
    def hidden(self) -> dict[str, str]:
        return {q.name: q.value for q in self.questions.values() if q.kind == "hidden"}

    def revealing(self) -> list[Question]:
        """Radios that reveal further questions when chosen."""
        return [
            q
            for q in self.questions.values()
            if q.kind == "radios" and any(o.reveals for o in q.options)
        ]


def _classes(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


@dataclass
class _Pending:
    attrs: dict[str, Any]
    inside: tuple[str, ...]
    date_group: str
    fieldset: dict[str, Any] | None


class _Parser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.stack: list[tuple[str, dict[str, str]]] = []  # open elements
        self.texts: dict[str, str] = {}  # element id -> its text
        self.label_for: dict[str, list[str]] = {}  # control id -> its label's text
        self.capturing: list[tuple[str, list[str], int]] = []  # (what, text, depth)
        self.pending: list[_Pending] = []
        self.textarea: tuple[dict[str, str], list[str]] | None = None
        self.select: tuple[dict[str, str], list[tuple[str, str, bool]]] | None = None
        self.option: tuple[str, bool, list[str]] | None = None
        self.fieldsets: list[dict[str, Any]] = []

    def _revealed(self) -> tuple[str, ...]:
        return tuple(
            a.get("id", "")
            for tag, a in self.stack
            if tag == "div" and "govuk-radios__conditional" in _classes(a)
        )

    def _date_group(self) -> str:
        for tag, a in reversed(self.stack):
            if tag == "div" and "govuk-date-input" in _classes(a):
                return a.get("id", "")
        return ""

    def _add(self, attrs: dict[str, Any]) -> None:
        self.pending.append(
            _Pending(
                attrs,
                self._revealed(),
                self._date_group(),
                self.fieldsets[-1] if self.fieldsets else None,
            )
        )

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attr_list}
        if tag not in VOID:
            self.stack.append((tag, attrs))
        depth = len(self.stack)
        self._start_capturing(tag, attrs, depth)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self.form = HtmlForm(action=action, method=attrs.get("method", "get").lower())
            self.forms.append(self.form)
            self.pending = []
        if self.form is not None:
            self._start_control(self.form, tag, attrs, depth)

    def _start_capturing(self, tag: str, attrs: dict[str, str], depth: int) -> None:
        """Start keeping the text of what names a control: an element with an id (a hint),
        a label, a fieldset's legend."""
        if attrs.get("id") and tag not in VOID:
            self.capturing.append((f"id:{attrs['id']}", [], depth))
        if tag == "label" and attrs.get("for"):
            self.capturing.append((f"label:{attrs['for']}", [], depth))
        if tag == "fieldset":
            self.fieldsets.append({"attrs": attrs, "legend": ""})
        if tag == "legend" and self.fieldsets:
            self.capturing.append(("legend", [], depth))

    def _start_control(self, form: HtmlForm, tag: str, attrs: dict[str, str], depth: int) -> None:
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                form.buttons.append(attrs.get("value", ""))
            else:
                self._add(attrs)
        elif tag == "textarea":
            self.textarea = (attrs, [])
        elif tag == "select":
            self.select = (attrs, [])
        elif tag == "option" and self.select is not None:
            self.option = (attrs.get("value", ""), "selected" in attrs, [])
        elif tag == "button":
            self.capturing.append(("button", [], depth))

    def handle_endtag(self, tag: str) -> None:
        self._end_capturing(len(self.stack))
        self._end_control(tag)
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        if tag == "form" and self.form is not None:
            self._finish_form(self.form)
            self.form = None
        if tag not in VOID:
            # Tolerate unclosed elements: pop back to the matching tag.
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index][0] == tag:
                    del self.stack[index:]
                    break

    def _end_capturing(self, depth: int) -> None:
        """Keep the text of each element closing at this depth where it belongs."""
        done = [c for c in self.capturing if c[2] == depth]
        self.capturing = [c for c in self.capturing if c[2] != depth]
        for key, buffer, _ in done:
            text = " ".join("".join(buffer).split())
            if key.startswith("id:"):
                self.texts[key[3:]] = text
            elif key.startswith("label:"):
                self.label_for.setdefault(key[6:], []).append(text)
            elif key == "legend" and self.fieldsets:
                self.fieldsets[-1]["legend"] = text
            elif key == "button" and self.form is not None:
                self.form.buttons.append(text)

    def _end_control(self, tag: str) -> None:
        """A textarea, an option or a select closes: what it holds is complete."""
        if tag == "textarea" and self.textarea is not None:
            attrs, buffer = self.textarea
            self._add({**attrs, "type": "textarea", "_value": "".join(buffer)})
            self.textarea = None
        if tag == "option" and self.option is not None and self.select is not None:
            value, selected, buffer = self.option
            self.select[1].append((value, " ".join("".join(buffer).split()), selected))
            self.option = None
        if tag == "select" and self.select is not None:
            attrs, options = self.select
            self._add({**attrs, "type": "select", "_options": options})
            self.select = None

    def handle_data(self, data: str) -> None:
        for _, buffer, _ in self.capturing:
            buffer.append(data)
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option[2].append(data)

    def _described(self, attrs: dict[str, Any]) -> str:
        """The hint an element points at (its error message is not a hint)."""
        ids = str(attrs.get("aria-describedby", "")).split()
        return " ".join(self.texts.get(i, "") for i in ids if not i.endswith("-error")).strip()

    def _finish_form(self, form: HtmlForm) -> None:
        questions = form.questions
        for item in self.pending:
            attrs = item.attrs
            kind = str(attrs.get("type", "text")).lower()
            name = str(attrs.get("name", ""))
            if not name:
                continue
            label = " ".join(self.label_for.get(str(attrs.get("id", "")), []))
            legend = item.fieldset["legend"] if item.fieldset else ""
            group_hint = self._described(item.fieldset["attrs"]) if item.fieldset else ""
            if item.date_group:
                base, _, part = name.rpartition("_")
                question = questions.get(base)
                if question is None:
                    question = questions[base] = Question(
                        base, "date", label=legend, hint=group_hint, inside=item.inside
                    )
                question.attrs[part] = str(attrs.get("value", ""))
                if part in TIME_PARTS:
                    question.kind = "datetime"
                continue
            if kind in {"radio", "checkbox"}:
                group = "radios" if kind == "radio" else "checkboxes"
                question = questions.get(name)
                if question is None:
                    question = questions[name] = Question(
                        name, group, label=legend, hint=group_hint, inside=item.inside
                    )
                elif question.kind != group:
                    question.kind = "mixed"
                value = str(attrs.get("value", "on"))
                question.options.append(
                    Option(value, label, str(attrs.get("data-aria-controls", "")))
                )
                if "checked" in attrs:
                    question.checked.append(value)
                continue
            if kind == "select":
                options = attrs["_options"]
                questions[name] = Question(
                    name,
                    "select",
                    label=label,
                    hint=self._described(attrs),
                    options=[Option(v, text) for v, text, _ in options],
                    checked=[v for v, _, selected in options if selected],
                    inside=item.inside,
                )
                continue
            value = str(attrs.get("_value", attrs.get("value", "")))
            if kind == "textarea" and value.startswith("\n"):
                value = value[1:]  # the newline after <textarea> is not part of its value
            questions[name] = Question(
                name,
                kind,
                label=label,
                hint=self._described(attrs),
                value=value,
                attrs={k: str(v) for k, v in attrs.items() if not k.startswith("_")},
                inside=item.inside,
            )


def read_forms(page: str, url: str = "") -> list[HtmlForm]:
    """Every form on the page, in page order."""
    parser = _Parser(url)
    parser.feed(page)
    parser.close()
    return parser.forms


def post_forms(page: str, url: str = "") -> list[HtmlForm]:
    return [f for f in read_forms(page, url) if f.method == "post"]


def error_summary(page: str) -> list[str]:
    """The messages in the page's GOV.UK error summary (empty when there is none)."""
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    if not match:
        return []
    items = re.findall(r"<li>(.*?)</li>", match[0], re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", "", item).split())) for item in items]


# --- filling in ------------------------------------------------------------------------------

WORDS = (
    "harbour", "lantern", "meadow", "quarry", "orchard", "bramble", "copper", "willow",
    "thistle", "cobble", "saffron", "juniper", "marram", "heather", "ember", "tansy",
)  # fmt: skip
# Characters a person types that a careless service loses: curly quotes, an ampersand,
# accents, a less-than sign.
AWKWARD = ("O\u2019Neill", "Zoë", "café", "&", "<3", "\u201cquoted\u201d", "naïve", "Siân")


@dataclass
class Answer:
    """What was put into one question, and what the record should now say."""

    question: Question
    sent: dict[str, list[Any]]  # text, or a file to upload
    value: Any  # str, set of str, date, or (y, m, d, H, M) wall-clock tuple


class Filler:
    """Answers questions with valid values from what the page offers, reproducibly from
    ``rng``. ``times`` is the window date-and-time answers fall in (in page order, each
    later than the one before); ``overrides`` gives the few answers a page cannot tell
    (a real NHS number, a code from an app), by question name."""

    def __init__(
        self,
        rng: random.Random,
        *,
        now: datetime,
        times: tuple[timedelta, timedelta] = (timedelta(hours=3), timedelta(minutes=10)),
        overrides: dict[str, Any] | None = None,
        choices: dict[str, str] | None = None,
    ) -> None:
        self.rng = rng
        self.now = now
        self.earliest, self.latest = now - times[0], now - times[1]
        self.overrides = overrides or {}
        self.choices = choices or {}
        self._last_time = self.earliest

    # -- values ---------------------------------------------------------------------------

    def words(self, length: int, *, lines: bool = False) -> str:
        """Text of exactly ``length`` characters (as sent), with awkward characters."""
        parts = [self.rng.choice(AWKWARD)]
        while sum(len(p) + 1 for p in parts) < length + 1:
            parts.append(self.rng.choice(WORDS))
        text = " ".join(parts)
        if lines and length > 40:
            cut = length // 2
            text = text[:cut].rstrip() + "\r\n" + text[cut:].lstrip()
        text = text[:length]
        # No leading or trailing space: the services trim answers.
        return text.strip() + "x" * (length - len(text.strip()))

    def text_for(self, question: Question) -> str:
        limit = question.maxlength
        kind = question.kind
        if kind == "email":
            return f"{self.rng.choice(WORDS)}.{self.rng.randint(10, 99)}@example.test"
        if kind == "number":
            low = int(question.attrs.get("min", "1"))
            high = int(question.attrs.get("max", str(low + 100)))
            return str(self.rng.randint(low, high))
        if kind == "password":
            raise AssertionError(f"{question.name}: a password has to be given as an override")
        length = limit if limit is not None else (1000 if kind == "textarea" else 60)
        return self.words(length, lines=kind == "textarea")

    def photograph(self) -> SimpleUploadedFile:
        """A small JPEG, of a colour drawn from ``rng``: the one kind of file uploaded."""
        colour = (self.rng.randint(0, 255), self.rng.randint(0, 255), self.rng.randint(0, 255))
        out = io.BytesIO()
        Image.new("RGB", (32, 24), colour).save(out, format="JPEG")
        return SimpleUploadedFile("photograph.jpg", out.getvalue(), content_type="image/jpeg")

    def next_time(self) -> datetime:
        """A whole minute in the window, after the last one given, that names one moment
        in UK time (not in the hour the clocks go back, which happens twice)."""
        start = max(self._last_time, self.earliest)
        span = max(int((self.latest - start).total_seconds() // 60), 1)
        for _ in range(100):
            moment = start + timedelta(minutes=self.rng.randint(1, max(span // 2, 1)))
            moment = moment.replace(second=0, microsecond=0)
            wall = moment.astimezone(UK).replace(tzinfo=None)
            once = wall.replace(tzinfo=UK, fold=0).timestamp()
            if once == wall.replace(tzinfo=UK, fold=1).timestamp() == moment.timestamp():
                break
        self._last_time = moment
        return moment

    # -- answering ------------------------------------------------------------------------

    def answer(self, question: Question) -> Answer:
        name = question.name
        override = self.overrides.get(name)
        if callable(override):
            override = override(question)
        kind = question.kind
        if kind in {"date", "datetime"}:
            return self._date(question, override)
        if kind == "radios" or kind == "select":
            offered = [o.value for o in question.options if o.value != ""]
            assert offered, f"{name}: the page offers nothing to choose"
            value = override if override is not None else self.choices.get(name)
            if value is None:
                value = self.rng.choice(offered)
            assert value in offered, f"{name}: {value!r} is not offered ({offered})"
            return Answer(question, {name: [value]}, value)
        if kind == "checkboxes":
            offered = [o.value for o in question.options]
            if override is not None:
                chosen = list(override)
            else:
                several = min(len(offered), self.rng.randint(2, max(2, len(offered))))
                chosen = self.rng.sample(offered, several)
            return Answer(question, {name: chosen}, set(chosen))
        if kind == "hidden":
            return Answer(question, {name: [question.value]}, question.value)
        if kind == "file":
            upload = override if override is not None else self.photograph()
            return Answer(question, {name: [upload]}, upload.name)
        text = str(override) if override is not None else self.text_for(question)
        return Answer(question, {name: [text]}, text.strip())

    def _date(self, question: Question, override: Any) -> Answer:
        timed = question.kind == "datetime"
        if override is None:
            if timed:
                override = self.next_time()
            else:
                # A child's date of birth, say: between 5 and 15 years ago.
                override = (self.now - timedelta(days=self.rng.randint(365 * 5, 365 * 15))).date()
        if timed:
            local = override.astimezone(UK)
            parts = {"day": local.day, "month": local.month, "year": local.year,
                     "hour": local.hour, "minute": local.minute}  # fmt: skip
            value: Any = (local.year, local.month, local.day, local.hour, local.minute)
        else:
            parts = {"day": override.day, "month": override.month, "year": override.year}
            value = override if isinstance(override, date) else override.date()
        sent = {
            f"{question.name}_{part}": [f"{number:02d}" if part == "minute" else str(number)]
            for part, number in parts.items()
        }
        return Answer(question, sent, value)


def wall_clock(value: datetime) -> tuple[int, int, int, int, int]:
    local = value.astimezone(UK)
    return (local.year, local.month, local.day, local.hour, local.minute)
