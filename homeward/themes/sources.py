"""Where the words come from: each *text source* gives, for one council, the pieces of
free text its children gave, one per interview and source.

A source is a function from the council to ``Text`` rows. The return interview's own
fields are registered here; a new source (the child's own account written through a
link, say) is one more function registered with ``register_source`` in its app's
``ready()`` (or here, when its app is below this one), and every run, page and count
picks it up. A source must give only the council's own children's words (the interview's
council) and say whether the child agreed to their words being quoted."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from homeward.aftercare.models import InterviewStatus, OwnAccount, ReturnInterview, Sharing
from homeward.organisations.models import Organisation


@dataclass(frozen=True)
class Text:
    interview_id: int
    child_id: int
    source: str  # the key the source is registered under
    text: str
    quotable: bool  # the child agreed to their words being quoted (anonymised)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


Source = Callable[[Organisation], Iterable[Text]]

# What each source is called on a page.
LABELS: dict[str, str] = {}
SOURCES: dict[str, Source] = {}


def register_source(key: str, label: str, source: Source) -> None:
    SOURCES[key] = source
    LABELS[key] = label


INTERVIEW_FIELDS = {
    "child_account": "The child's account",
    "what_would_help": "What would help",
    "factors_detail": "About the reasons",
}


def _done_interviews(council: Organisation) -> Iterator[ReturnInterview]:
    return (
        ReturnInterview.objects.filter(council=council, status=InterviewStatus.DONE)
        .only("pk", "child_id", "quote_consent", *INTERVIEW_FIELDS)
        .order_by("pk")
        .iterator(chunk_size=2000)
    )


def _interview_field(field: str) -> Source:
    def source(council: Organisation) -> Iterator[Text]:
        for interview in _done_interviews(council):
            words = " ".join(str(getattr(interview, field) or "").split())
            if words:
                yield Text(interview.pk, interview.child_id, field, words, interview.quote_consent)

    return source


for _key, _label in INTERVIEW_FIELDS.items():
    register_source(_key, _label, _interview_field(_key))


def texts(council: Organisation) -> list[Text]:
    """Every piece of free text of the council's children, from every source."""
    return [text for source in SOURCES.values() for text in source(council)]


def text_of(interview: ReturnInterview, source: str) -> str:
    """The words of one item, read from its record when a coordinator looks (interview
    fields; a registered source that is not a field answers through ``READERS``)."""
    reader = READERS.get(source)
    if reader is not None:
        return reader(interview)
    return " ".join(str(getattr(interview, source, "") or "").split())


READERS: dict[str, Callable[[ReturnInterview], str]] = {}

# The child's own account, written through their link: grouped and counted while the
# child's consent stands (named to their worker, or anonymised for the board), never after
# they withdraw it. The words themselves are not shown on the themes pages: the child chose
# who reads them, and a coordinator is not who they chose, so an item reads WITHHELD.
OWN_ACCOUNT_FIELDS = {
    "own_what_happened": ("what_happened", "What happened, in the child's own words"),
    "own_what_would_help": ("what_would_help", "What would help, in the child's own words"),
}
WITHHELD = (
    "Written by the child through their own link: counted in this theme, and shown only "
    "as the child chose, on their interview."
)


def _own_account_field(key: str, field: str) -> Source:
    def source(council: Organisation) -> Iterator[Text]:
        standing = (
            OwnAccount.objects.filter(
                interview__council=council,
                interview__status=InterviewStatus.DONE,
                withdrawn_at__isnull=True,
                sharing__in=[Sharing.NAMED, Sharing.ANONYMISED],
            )
            .order_by("pk")
            .values_list("interview_id", "interview__child_id", field, "sharing")
        )
        for interview_id, child_id, text, sharing in standing.iterator(chunk_size=2000):
            words = " ".join(str(text or "").split())
            if words:
                yield Text(interview_id, child_id, key, words, sharing == Sharing.ANONYMISED)

    return source


def _withheld(_interview: ReturnInterview) -> str:
    return WITHHELD


for _key, (_field, _label) in OWN_ACCOUNT_FIELDS.items():
    register_source(_key, _label, _own_account_field(_key, _field))
    READERS[_key] = _withheld
