"""The synthetic demo area: three councils, one police force, three children's homes, a
return-interview provider, a national body, about 200 children and about 1,000 missing
episodes over the two years up to today, and one demo login for every role.

Every name, place, code and number here is invented. Children's names are built from
syllables; NHS numbers come from the range the NHS reserves for testing (999...); UPNs
carry the fictional councils' LA numbers; postcodes use the letter Q, which no real UK
postcode area starts with.

The output is deterministic: the same seed on the same day gives the same children, dates,
references and counts. Times are relative to today: history fills the two years before it.

The rows are written directly (bulk inserts in one transaction), not through the services,
because the services stamp "now" on every report and the history is in the past. The
generator keeps the services' rules instead: a return is never before last seen, a child
never has two episodes open (nor two that overlap), nothing is in the future, 'A' is used
only for a looked-after child, and each change writes the rows the service would write
(a RiskAssessment for each grading, a ClassificationChange, timeline entries for report,
re-grade, classification change, return and close; a ReturnInterview covering each return,
and a SafeAndWellCheck; an episode is closed only once both are recorded, as
aftercare.services.Outstanding.blocks_closing expects). Two things are deliberately not
back-filled: domain events (history must not send notifications) and audit events (the
audit log is a hash chain of what was done when; the load itself is one event in it).
The statistics are: the facts and running totals of every child are made at the end, in the
same transaction, so the dashboards count the whole history as soon as the load commits.

``social.worker`` is the allocated worker now of the main council's children a new user
meets first (missing now, in the demo's children's home, placed out of area), and every
other council has a missing coordinator (``eastwold.coordinator``...), so a report about a
child placed out of area reaches the host council's login too.
"""

from __future__ import annotations

import bisect
import random
import time as time_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from homeward.aftercare.codes import (
    Disclosure,
    InterviewerKind,
    InterviewOutcome,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.models import (
    CheckStatus,
    CouncilSettings,
    InterviewStatus,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.aftercare.services import INTERVIEW_DUE
from homeward.audit import services as audit
from homeward.children.codes import (
    UPN_LETTERS,
    Ethnicity,
    LegalStatusKind,
    PlacementType,
    Sex,
    nhs_number_is_valid,
    upn_is_valid,
)
from homeward.children.models import (
    Child,
    ChildAlias,
    ChildIdentifier,
    LegalStatus,
    Placement,
    WorkerAllocation,
)
from homeward.core import clock
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.episodes.models import (
    Classification,
    ClassificationChange,
    Episode,
    EpisodeStatus,
    MissingFrom,
    ReporterType,
    ReturnMethod,
    RiskAssessment,
    RiskGrade,
    TimelineEntry,
    TimelineKind,
)
from homeward.insights import facts
from homeward.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

DEFAULT_SEED = 2014
DEFAULT_CHILDREN = 200
DEFAULT_EPISODES = 1000
WINDOW_DAYS = 730
DEMO_URL = "http://127.0.0.1:8000"
# At most this many episodes per child on average, so every episode finds room.
MAX_EPISODES_PER_CHILD = 20

LAC = LegalStatusKind.LOOKED_AFTER
CIN = LegalStatusKind.CHILD_IN_NEED
CP = LegalStatusKind.CHILD_PROTECTION


# --- the area ------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilSpec:
    key: str
    name: str
    code: str  # DfE LA number (fictional)
    share: float  # of the children it is responsible for
    towns: tuple[str, ...]
    districts: tuple[str, ...]  # postcode districts (Q: no real UK postcode area)
    schools: tuple[str, ...]
    case_prefix: str
    social_workers: int


COUNCILS: tuple[CouncilSpec, ...] = (
    CouncilSpec(
        key="marlhaven",
        name="Marlhaven City Council",
        code="714",
        share=0.45,
        towns=("Marlhaven", "Quayside", "Northgate", "Hillcrest"),
        districts=("QM1", "QM2", "QM4", "QM7"),
        schools=("Marlhaven Academy", "St Aldric's High School", "Northgate Academy"),
        case_prefix="MC",
        social_workers=4,
    ),
    CouncilSpec(
        key="eastwold",
        name="Eastwold County Council",
        code="727",
        share=0.30,
        towns=("Eastwold Market", "Brindle", "Southmere", "Cradley Wold"),
        districts=("QE2", "QE3", "QE5", "QE9"),
        schools=("Brindle Community College", "Southmere School", "Eastwold Market Academy"),
        case_prefix="EC",
        social_workers=3,
    ),
    CouncilSpec(
        key="sedgecombe",
        name="Sedgecombe Borough Council",
        code="741",
        share=0.25,
        towns=("Sedgecombe", "Colwater", "Tarrow End"),
        districts=("QS1", "QS3", "QS6"),
        schools=("Colwater School", "Sedgecombe High School"),
        case_prefix="SB",
        social_workers=3,
    ),
)
# Marlhaven places children in Eastwold's children's homes: the out-of-area placements.
HOST_COUNCIL = "eastwold"

FORCE_NAME = "Marlshire Police"
FORCE_CODE = "96"


@dataclass(frozen=True)
class HomeSpec:
    key: str
    name: str
    code: str  # Ofsted URN style (fictional)
    council: str
    share: float
    street: str
    beds: int


HOMES: tuple[HomeSpec, ...] = (
    HomeSpec("larkrise", "Larkrise House", "SC990114", "eastwold", 0.45, "Larkrise Road", 8),
    HomeSpec("hollin", "Hollin Lodge", "SC990127", "eastwold", 0.30, "Hollin Bank", 5),
    HomeSpec("marshlane", "Marsh Lane House", "SC990135", "sedgecombe", 0.25, "Marsh Lane", 6),
)

RHI_NAME = "Lanternway Return Interviews"
RHI_CODE = "RHI-0031"
NATIONAL_NAME = "National Missing Children Analysis Unit"
NATIONAL_CODE = "NAT-01"

# One login per role: (username, role, which organisation).
ROLE_USERS: tuple[tuple[str, str, str], ...] = (
    ("police.handler", Role.POLICE_CALL_HANDLER, "force"),
    ("police.officer", Role.POLICE_OFFICER, "force"),
    ("police.coordinator", Role.POLICE_MISSING_COORDINATOR, "force"),
    ("social.worker", Role.SOCIAL_WORKER, "council"),
    ("council.coordinator", Role.COUNCIL_MISSING_COORDINATOR, "council"),
    ("council.manager", Role.COUNCIL_MANAGER, "council"),
    ("care.staff", Role.CARE_STAFF, "home"),
    ("care.manager", Role.CARE_MANAGER, "home"),
    ("rhi.worker", Role.RHI_WORKER, "rhi"),
    ("board.member", Role.BOARD_MEMBER, "council"),
    ("national.analyst", Role.NATIONAL_ANALYST, "national"),
    ("org.admin", Role.ORG_ADMIN, "council"),
)
DEMO_USERNAMES = tuple(username for username, _, _ in ROLE_USERS)


DEMO_WORKER = "social.worker"


def social_worker_usernames(council: CouncilSpec, main: bool) -> list[str]:
    """The council's social workers; the main council's first one is ``social.worker``."""
    names = [f"{council.key}.sw{n}" for n in range(1, council.social_workers + 1)]
    if main:
        names[0] = DEMO_WORKER
    return names


def coordinator_username(council: CouncilSpec) -> str:
    """The missing coordinator of a council other than the main one (the main council's is
    ``council.coordinator``): a host council is told when a child placed there goes missing."""
    return f"{council.key}.coordinator"


# --- names (syllables combined; no names list from anywhere else) ---------------------

_GIRL_ONSETS = (
    "Am", "Bel", "Cal", "Dar", "El", "Fae", "Gal", "Is", "Jas", "Kel", "Lir", "Mar", "Nel",
    "Or", "Pen", "Ros", "Sab", "Tal", "Vel", "Wyn", "Yas", "Zor", "Ad", "Ket", "Mil", "Shel",
    "Ev", "Ay", "Cor", "Tam",
)  # fmt: skip
_GIRL_ENDINGS = (
    "ara", "elle", "ina", "issa", "ona", "ette", "ia", "ira", "wen", "ena", "ise", "anna",
    "etta", "ie", "ora", "aya", "ine", "eth",
)  # fmt: skip
_BOY_ONSETS = (
    "Al", "Bren", "Cal", "Dar", "Ed", "Fen", "Gar", "Har", "Jos", "Kai", "Lor", "Mal", "Nat",
    "Os", "Ras", "Sol", "Tam", "Wil", "Zan", "Kor", "Ben", "Tyr", "Rod", "Dev", "Ash", "Ib",
    "Ol", "Rey", "Jud", "Cas",
)  # fmt: skip
_BOY_ENDINGS = (
    "an", "en", "ric", "iel", "ias", "o", "ek", "ley", "is", "win", "am", "ar", "el",
    "yn", "ius", "or", "ian", "on", "ey",
)  # fmt: skip
_SURNAME_HEADS = (
    "Ash", "Brack", "Cal", "Dun", "Eld", "Fen", "Gorse", "Hal", "Hol", "Kel", "Lang", "Mar",
    "Mor", "Nor", "Oak", "Pen", "Rad", "Rook", "Sel", "Stan", "Thorn", "Tod", "Wen", "Whit",
    "Yar", "Cob", "Bram", "Brin", "Carr", "Dray", "Hask", "Lin", "Pell", "Quen", "Sned",
)  # fmt: skip
_SURNAME_TAILS = (
    "ley", "ford", "wick", "by", "ton", "well", "more", "ridge", "stead", "cott", "holme",
    "field", "den", "worth", "bury", "wood", "hurst", "shaw", "lake", "gate", "combe",
)  # fmt: skip
_SURNAME_ONSETS_B = (
    "Ade", "Oko", "Ban", "Cha", "Dru", "Ha", "Ka", "Man", "Na", "Ra", "Sa", "Ta", "Ze",
    "Olu", "Ama", "Kes", "Mir", "Vu", "Lo", "Je",
)  # fmt: skip
_SURNAME_TAILS_B = (
    "ri", "lani", "wo", "ndu", "siri", "mara", "bek", "kar", "dani", "hoz", "veli", "tunde",
    "sako", "ruwa", "lem", "nari", "baye", "kova",
)  # fmt: skip
_VOWELS = set("aeiouy")
_BAD_PAIRS = ("aa", "ii", "uu", "yy", "iy", "yi", "oo", "ee", "ae", "ao", "ea", "eo", "ie")


def _join(head: str, tail: str) -> str:
    if head[-1].lower() in _VOWELS and tail[0] in _VOWELS and len(tail) > 2:
        tail = tail[1:]
    if head[-1].lower() == tail[0]:
        tail = tail[1:]
    return head + tail


def _plausible(name: str) -> bool:
    low = name.lower()
    if any(pair in low for pair in _BAD_PAIRS):
        return False
    for i in range(len(low) - 2):
        if low[i] == low[i + 1] == low[i + 2]:
            return False
        # "Aytta", "Kwenn": a doubled consonant straight after a consonant reads badly.
        if low[i + 1] == low[i + 2] and low[i] not in "aeiou" and low[i + 1] not in "aeiou":
            return False
    return True


def first_name(rng: random.Random, sex: str) -> str:
    onsets, endings = (
        (_GIRL_ONSETS, _GIRL_ENDINGS) if sex == Sex.FEMALE else (_BOY_ONSETS, _BOY_ENDINGS)
    )
    for _ in range(20):
        name = _join(rng.choice(onsets), rng.choice(endings))
        if _plausible(name) and 3 <= len(name) <= 9:
            return name
    return rng.choice(onsets) + ("a" if sex == Sex.FEMALE else "an")


def surname(rng: random.Random, pool: int = 0) -> str:
    heads, tails = (
        (_SURNAME_HEADS, _SURNAME_TAILS) if pool == 0 else (_SURNAME_ONSETS_B, _SURNAME_TAILS_B)
    )
    for _ in range(20):
        name = _join(rng.choice(heads), rng.choice(tails))
        if _plausible(name):
            return name
    return rng.choice(heads) + "ton"


# --- codes that pass the service's check functions ------------------------------------


def make_upn(rng: random.Random, la_code: str) -> str:
    """A permanent UPN: check letter, LA number, school number, year, serial."""
    school = rng.choice(("2", "3", "4", "5")) + f"{rng.randint(0, 999):03d}"
    body = f"{la_code}{school}{rng.randint(5, 18):02d}{rng.randint(0, 999):03d}"
    total = sum(weight * int(char) for weight, char in zip(range(2, 14), body, strict=True))
    upn = UPN_LETTERS[total % 23] + body
    assert upn_is_valid(upn), upn
    return upn


def make_nhs_number(rng: random.Random) -> str:
    """From the 999 range the NHS keeps for test data: never issued to a real person."""
    while True:
        stem = "999" + f"{rng.randint(0, 999999):06d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(stem))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check == 10:
            continue
        number = stem + str(check)
        assert nhs_number_is_valid(number), number
        return number


# --- time ----------------------------------------------------------------------------


class Clock:
    """Minutes from local midnight at the start of the two-year window.

    Plans are made in whole minutes so that every comparison is exact; converting to a
    datetime adds minutes to one UTC origin, so the order survives clock changes."""

    def __init__(self, now: datetime) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.now = now
        self.today = timezone.localtime(now, self.zone).date()
        self.start_date = self.today - timedelta(days=WINDOW_DAYS)
        self.origin = datetime.combine(self.start_date, time(0), tzinfo=self.zone).astimezone(UTC)
        # Two hours before today's midnight, whatever the clock change: never the future.
        self.horizon = WINDOW_DAYS * 1440 - 120

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)

    def local_date(self, minute: int) -> date:
        return self.at(minute).astimezone(self.zone).date()

    def day(self, offset: int) -> date:
        """The date ``offset`` days after the window starts (negative: before it)."""
        return self.start_date + timedelta(days=offset)

    def minute_of(self, day: date) -> int:
        return (day - self.start_date).days * 1440


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def weighted(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


# --- the plan ------------------------------------------------------------------------


@dataclass
class StatusPlan:
    status: str
    start: date
    end: date | None = None


@dataclass
class PlacementPlan:
    placement_type: str
    home: HomeSpec | None
    host: CouncilSpec
    district: str
    start: date
    end: date | None = None
    row: Placement | None = None


@dataclass
class AllocationPlan:
    worker: str
    start: date
    end: date | None = None


@dataclass
class ChildPlan:
    index: int
    council: CouncilSpec
    first_name: str
    last_name: str
    sex: str
    dob: date
    ethnicity: str
    profile: str
    upn: str = ""
    nhs_number: str = ""
    aliases: list[str] = field(default_factory=list)
    statuses: list[StatusPlan] = field(default_factory=list)
    placements: list[PlacementPlan] = field(default_factory=list)
    allocations: list[AllocationPlan] = field(default_factory=list)
    window_start: int = 0  # first minute an episode may start
    weight: float = 0.0
    wanted: int = 0  # episodes this child will have
    busy: list[tuple[int, int]] = field(default_factory=list)  # minutes, with margins
    row: Child | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        dob = self.dob
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def status_on(self, day: date) -> str:
        """As Child.legal_status_on: the newest status covering the day."""
        for status in sorted(self.statuses, key=lambda s: s.start, reverse=True):
            if status.start <= day and (status.end is None or status.end >= day):
                return status.status
        return LegalStatusKind.NONE

    def placement_on(self, day: date) -> PlacementPlan | None:
        for placement in sorted(self.placements, key=lambda p: p.start, reverse=True):
            if placement.start <= day and (placement.end is None or placement.end >= day):
                return placement
        return None

    def worker_on(self, day: date) -> str | None:
        for allocation in sorted(self.allocations, key=lambda a: a.start, reverse=True):
            if allocation.start <= day and (allocation.end is None or allocation.end >= day):
                return allocation.worker
        return None

    @property
    def current_placement(self) -> PlacementPlan | None:
        if self.placements and self.placements[-1].end is None:
            return self.placements[-1]
        return None

    def is_free(self, start: int, end: int) -> bool:
        return all(end <= b_start or start >= b_end for b_start, b_end in self.busy)

    def reserve(self, start: int, end: int) -> None:
        self.busy.append((start - GAP, end + GAP))


GAP = 6 * 60  # at least six hours between two episodes of one child


@dataclass
class EpisodePlan:
    child: ChildPlan
    start: int
    end: int | None  # None: still missing
    outing: int | None = None  # children who went missing together share an outing
    row: Episode | None = None
    check: CheckPlan | None = None
    interview: InterviewPlan | None = None


@dataclass
class CheckPlan:
    done: bool
    conducted: int | None
    recorded: int


@dataclass
class InterviewPlan:
    child: ChildPlan
    first_return: int
    status: str = InterviewStatus.PENDING
    outcome: str = ""
    offered: int | None = None
    decided: int | None = None
    done: int | None = None
    closed: int | None = None
    episodes: list[EpisodePlan] = field(default_factory=list)
    row: ReturnInterview | None = None


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    name: str = ""

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass
class DemoResult:
    seed: int
    seconds: float
    counts: dict[str, int]
    logins: list[DemoLogin]
    other_social_workers: list[str]
    other_coordinators: list[str] = field(default_factory=list)


# --- text ----------------------------------------------------------------------------

_STREETS = (
    "Mill Lane", "Orchard Rise", "Chapel Street", "Granary Walk", "Tanners Row", "Ropewalk",
    "Station Approach", "Kiln Close", "Ferry Road", "Willow Crescent", "Bellfield Road",
    "Cooper's Yard", "Abbot's Way", "Canal Side", "Victoria Terrace", "Linnet Close",
)  # fmt: skip
_LANDMARKS = (
    "the bus station", "the railway station", "the retail park", "the skate park",
    "the shopping centre", "the canal towpath", "the leisure centre", "the recreation ground",
    "the market square", "the takeaway on the high street", "the underpass by the ring road",
)  # fmt: skip
_COLOURS = ("black", "grey", "navy", "white", "red", "green", "khaki", "burgundy")
_TOPS = ("hooded top", "puffer jacket", "tracksuit top", "school blazer", "denim jacket")
_BOTTOMS = ("joggers", "jeans", "school trousers", "leggings", "cargo shorts")
_SHOES = ("white trainers", "black trainers", "sliders", "school shoes", "boots")

_CIRCUMSTANCES = {
    MissingFrom.PLACEMENT: (
        "Left the home after an argument with staff about phone use.",
        "Did not return from an agreed visit to a friend in {town}.",
        "Said they were going to the shop after tea and did not come back.",
        "Seen getting into a car outside the placement; driver not known to carers.",
        "Climbed out of a bedroom window after staff checks at night.",
        "Did not come back by the agreed time after contact with family.",
        "Upset after a phone call; walked out and switched the phone off.",
    ),
    MissingFrom.HOME: (
        "Argument at home about curfew; left the house.",
        "Did not come home from school.",
        "Went out to see friends and did not return by the agreed time.",
        "Left after being told off; phone switched off.",
        "Told parent they were staying at a friend's; the friend's family say not.",
    ),
    MissingFrom.SCHOOL: (
        "Left school at lunchtime without permission.",
        "Dropped at the school gate but did not register.",
        "Walked out of a lesson after an incident with another pupil.",
    ),
    MissingFrom.OTHER: (
        "Did not return from a family outing in {town}.",
        "Separated from carers in {town} town centre.",
        "Left a youth club session early and did not go home.",
    ),
}
_SIGHTINGS = (
    "Seen by a member of the public near {landmark} in {town}.",
    "A friend says they were at {landmark} earlier.",
    "Posted on social media from {town} town centre.",
    "CCTV shows them boarding a bus towards {town}.",
    "Staff at {landmark} think they saw them with two older teenagers.",
)
_CALLS = (
    "Called the child's phone: no answer.",
    "The child answered, said they were safe but would not say where they were.",
    "Called the mother: not seen them today.",
    "Called a known friend's family: not there.",
    "Voicemail left asking the child to get in touch.",
)
_ACTIONS = (
    "Officer attended the placement and searched the bedroom.",
    "Checked known address on {street}, {town}: not there.",
    "Description circulated to patrols in {town}.",
    "Allocated social worker told.",
    "Phone location check requested.",
    "Missing profile shared with the force control room.",
    "Patrol checked {landmark} in {town}: not seen.",
)
_INITIAL_RATIONALE = {
    RiskGrade.VERY_LOW: (
        "Whereabouts thought to be known; no risk factors identified.",
        "Late back by an hour; in contact by text.",
    ),
    RiskGrade.LOW: (
        "Has gone missing before and returned the same evening; no known risks.",
        "First episode in several months; no known risks.",
        "Older child, has phone and money; no concerns raised by carers.",
    ),
    RiskGrade.MEDIUM: (
        "Phone switched off; previous episodes involved associating with older peers.",
        "Upset when they left; history of self-harm.",
        "Not answering calls; missing overnight before.",
    ),
    RiskGrade.HIGH: (
        "Known to associate with adults suspected of exploitation.",
        "Young age and no phone; left in distress.",
        "Needs daily medication and has none with them.",
    ),
}
_UP_RATIONALE = (
    "No contact for over 24 hours and phone still switched off.",
    "Information that the child has been seen with an adult known to police.",
    "Has not taken prescribed medication since leaving.",
    "Seen getting into a car with unknown adults.",
)
_DOWN_RATIONALE = (
    "The child has been in contact by phone and says they are safe.",
    "Seen by staff at a friend's address; known and safe.",
    "A friend's parent confirms the child is with them.",
)
_SOURCES = (
    "Children's home staff", "Social worker", "Parent", "Friend's parent",
    "Police intelligence", "CCTV review", "Foster carer",
)  # fmt: skip
_FOUND = (
    "a friend's address, {n} {street}, {town}",
    "{town} town centre",
    "{landmark}, {town}",
    "a relative's home in {town}",
)
_HARM = (
    "Smelt of cannabis.",
    "Had cash and a second phone that could not be explained.",
    "Minor cut to the hand; first aid given.",
    "Tired and hungry; said they had not slept.",
    "Said an older male bought them food and drink.",
)


_CHECK_ACCOUNTS = (
    "Said they were with friends the whole time and nothing happened.",
    "Did not want to talk; said they were fine and tired.",
    "Said they went to see their mum and did not tell anyone because they would be stopped.",
    "Said an older boy they know gave them a lift and they stayed at his flat.",
    "Said they were upset after an argument and walked around until they were cold.",
    "Chose not to speak to officers.",
)
_CHECK_NOT_DONE = (
    "The child refused to speak to officers.",
    "Returned late at night and was asleep; carers declined a visit until the morning.",
    "The child moved placement before the check could be arranged.",
)
_CHECK_LOCATIONS = ("At the placement", "At home", "At the police station", "At school")
_INTERVIEW_NOT_OFFERED = (
    "The child moved to a new placement out of area the same day.",
    "The child was admitted to hospital.",
    "The return was not passed on in time; missed in error.",
)
_INTERVIEW_DECLINED = (
    "Did not want to talk about it again.",
    "Said they had already told the police everything.",
    "",
)
_INTERVIEW_ACCOUNTS = (
    "I just needed to get away from everyone for a bit. I went to the park and then my "
    "mate's house.",
    "I wanted to see my mum. Nobody listens when I ask to see her more.",
    "There's an older lad who gives us lifts. He's alright. I don't want to say his name.",
    "Staff kept going on at me about my phone so I left. I came back when I was hungry.",
    "I was at a party. I didn't mean to stay that long.",
    "I don't like it there. The other kids wind me up and staff don't do anything.",
)
_WHAT_WOULD_HELP = (
    "More time with my mum.",
    "Being allowed my phone at night.",
    "Someone to talk to who isn't staff.",
    "Moving closer to my friends.",
    "",
)
_INTERVIEW_ACTIONS = (
    "Contact arrangements to be reviewed at the next looked-after review.",
    "Referral to the exploitation panel.",
    "Shared with the allocated social worker and the missing coordinator.",
    "Safety plan agreed with the child and carers.",
    "Referral to the school counsellor.",
)
_INTERVIEW_PLACES = (
    "At the placement",
    "At school",
    "At the provider's office",
    "On a walk in the park",
    "At a cafe in town",
)


# --- the generator -------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int, now: datetime | None = None) -> None:
        self.seed = seed
        self.clock = Clock(now or clock.now())
        self.councils = {c.key: c for c in COUNCILS}
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.memberships: dict[str, Membership] = {}
        self.children: list[ChildPlan] = []
        self.episodes: list[EpisodePlan] = []
        self.main_council = COUNCILS[0]
        self.care_home = HOMES[0]
        self.home_stays: dict[str, list[tuple[date, date]]] = {h.key: [] for h in HOMES}
        self.interviews: list[InterviewPlan] = []

    def rng(self, part: str) -> random.Random:
        """A separate stream per part, so changing one size does not reshuffle the rest."""
        return random.Random(f"homeward-demo:{self.seed}:{part}")

    # -- children ---------------------------------------------------------------------

    def plan_children(self, count: int) -> None:
        rng = self.rng("children")
        shares = [c.share for c in COUNCILS]
        quotas = _apportion(count, shares)
        councils = [c for c, n in zip(COUNCILS, quotas, strict=True) for _ in range(n)]
        rng.shuffle(councils)
        names: set[tuple[str, str]] = set()
        for index, council in enumerate(councils):
            child = self._plan_child(rng, index, council)
            while (child.first_name, child.last_name) in names:
                child.first_name = first_name(rng, child.sex)
            names.add((child.first_name, child.last_name))
            self.children.append(child)
        responsible = {c.key: 0 for c in COUNCILS}
        for child in self.children:
            responsible[child.council.key] += 1
        top = max(responsible.values())
        self.main_council = next(c for c in COUNCILS if responsible[c.key] == top)

    def _plan_child(self, rng: random.Random, index: int, council: CouncilSpec) -> ChildPlan:
        today = self.clock.today
        sex = Sex.FEMALE if rng.random() < 0.52 else Sex.MALE
        age = rng.choices(range(8, 18), weights=[2, 2, 3, 4, 6, 8, 10, 11, 10, 8])[0]
        earliest = add_years(today, -(age + 1)) + timedelta(days=1)
        latest = add_years(today, -age)
        dob = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        ethnicity = weighted(rng, _ETHNICITY_MIX)
        pool = 0 if ethnicity.startswith("W") or rng.random() < 0.55 else 1
        child = ChildPlan(
            index=index,
            council=council,
            first_name=first_name(rng, sex),
            last_name=surname(rng, pool),
            sex=sex,
            dob=dob,
            ethnicity=ethnicity,
            profile=weighted(rng, _PROFILES),
        )
        if rng.random() < 0.55:
            child.upn = make_upn(rng, council.code)
        if rng.random() < 0.6:
            child.nhs_number = make_nhs_number(rng)
        if rng.random() < 0.18:
            if rng.random() < 0.5:
                child.aliases.append(f"{child.first_name} {surname(rng, pool)}")
            else:
                child.aliases.append(f"{first_name(rng, sex)} {child.last_name}")
        self._plan_statuses(rng, child)
        self._plan_placements(rng, child)
        ten = add_years(dob, 10)
        child.window_start = max(0, self.clock.minute_of(ten))
        return child

    def _plan_statuses(self, rng: random.Random, child: ChildPlan) -> None:
        t0, today = self.clock.start_date, self.clock.today
        floor = child.dob + timedelta(days=30)

        def before(low: int, high: int) -> date:
            return max(floor, t0 - timedelta(days=rng.randint(low, high)))

        def within(low: int, high: int) -> date:
            return min(today - timedelta(days=20), t0 + timedelta(days=rng.randint(low, high)))

        steps: list[tuple[str, date]] = []
        end: date | None = None
        profile = child.profile
        if profile == "lac_long":
            start = before(30, 1800)
            if rng.random() < 0.4:
                steps.append((CP, start - timedelta(days=rng.randint(90, 400))))
            steps.append((LAC, start))
        elif profile == "lac_entered":
            steps.append((CIN, before(100, 900)))
            if rng.random() < 0.5:
                steps.append((CP, within(0, 300)))
            steps.append((LAC, within(320, 650)))
        elif profile == "lac_left":
            steps.append((LAC, before(100, 1500)))
            left = within(60, 600)
            if rng.random() < 0.5:
                steps.append((CIN, left))
                if rng.random() < 0.4:
                    end = min(
                        today - timedelta(days=5), left + timedelta(days=rng.randint(90, 300))
                    )
            else:
                end = left
        elif profile == "cp":
            start = before(60, 700)
            steps.append((CIN, start))
            steps.append((CP, within(0, 500)))
            if rng.random() < 0.3:
                steps.append((CIN, within(520, 700)))
        elif profile == "cin":
            steps.append((CIN, before(0, 600) if rng.random() < 0.7 else within(0, 500)))
            if rng.random() < 0.3:
                end = within(300, 700)
        # Keep the sequence strictly increasing and after birth.
        kept: list[tuple[str, date]] = []
        for status, start in steps:
            start = max(start, floor)
            if kept and start <= kept[-1][1]:
                continue
            kept.append((status, start))
        if end is not None and kept and end <= kept[-1][1]:
            end = None
        for i, (status, start) in enumerate(kept):
            following = kept[i + 1][1] if i + 1 < len(kept) else end
            child.statuses.append(StatusPlan(status, start, following))

    def _plan_placements(self, rng: random.Random, child: ChildPlan) -> None:
        today = self.clock.today
        unstable = rng.random() < 0.25
        for status in child.statuses:
            if status.status != LAC:
                continue
            cursor = status.start
            while True:
                kind = self._placement_type(rng, child.age_on(cursor))
                days = rng.randint(30, 200) if unstable else rng.randint(120, 800)
                following = cursor + timedelta(days=days)
                if following < self.clock.start_date - timedelta(days=365):
                    # Keep the history before the window short: one long placement.
                    following = self.clock.start_date - timedelta(days=rng.randint(0, 365))
                end: date | None = following
                last = False
                if status.end is not None and following >= status.end:
                    end, last = status.end, True
                elif following >= today - timedelta(days=3):
                    end, last = None, True
                home: HomeSpec | None = None
                host = child.council
                if kind == PlacementType.K2:
                    home = self._home_with_room(rng, cursor, end or today)
                    if home is None:  # every home is full: a foster placement instead
                        kind = PlacementType.U6
                    else:
                        host = self.councils[home.council]
                        self.home_stays[home.key].append((cursor, end or today))
                if kind.startswith("U") and rng.random() < 0.15:
                    host = self._other_council(child.council)
                child.placements.append(
                    PlacementPlan(
                        placement_type=kind,
                        home=home,
                        host=host,
                        district=rng.choice(host.districts),
                        start=cursor,
                        end=end,
                    )
                )
                if last or end is None:
                    break
                cursor = end

    def _home_with_room(self, rng: random.Random, start: date, end: date) -> HomeSpec | None:
        """A children's home with a free bed on every day from start to end."""
        homes = list(HOMES)
        while homes:
            home = rng.choices(homes, weights=[h.share for h in homes])[0]
            stays = self.home_stays[home.key]
            # Occupancy only rises at a stay's start, so checking those days is enough.
            days = [start] + [s for s, _ in stays if start < s <= end]
            if all(sum(1 for s, e in stays if s <= d < e) < home.beds for d in days):
                return home
            homes.remove(home)
        return None

    def _placement_type(self, rng: random.Random, age: int) -> str:
        if age >= 16:
            options = {"H5": 0.25, "K2": 0.35, "U4": 0.15, "U6": 0.18, "P1": 0.07}
        elif age >= 12:
            options = {"K2": 0.40, "U4": 0.16, "U6": 0.24, "U1": 0.05, "U3": 0.07}
            options |= {"U5": 0.03, "P1": 0.05}
        else:
            options = {"U6": 0.38, "U4": 0.25, "U1": 0.1, "U3": 0.1, "U2": 0.04}
            options |= {"K2": 0.08, "P1": 0.05}
        return weighted(rng, options)

    def _other_council(self, council: CouncilSpec) -> CouncilSpec:
        """Foster placements out of area: mostly in the host council."""
        return self.councils[HOST_COUNCIL if council.key != HOST_COUNCIL else "sedgecombe"]

    def plan_allocations(self) -> None:
        rng = self.rng("allocations")
        t0 = self.clock.start_date
        for child in self.children:
            if not child.statuses:
                continue
            workers = social_worker_usernames(child.council, child.council is self.main_council)
            start = max(child.statuses[0].start, t0 - timedelta(days=rng.randint(0, 300)))
            end = child.statuses[-1].end
            churn = rng.random() < 0.15
            worker = rng.choice(workers)
            while True:
                allocation = AllocationPlan(worker, start)
                child.allocations.append(allocation)
                days = rng.randint(60, 240) if churn else rng.randint(180, 800)
                following = start + timedelta(days=days)
                if end is not None and following >= end:
                    allocation.end = end
                    break
                if following >= self.clock.today - timedelta(days=2):
                    break
                allocation.end = following
                start = following
                worker = rng.choice([w for w in workers if w != worker] or workers)

    def give_the_demo_worker_a_caseload(self) -> None:
        """``social.worker`` is the allocated worker now of the main council's children a
        demo user meets first: those missing now, those placed in the demo's children's home
        (``care.staff``'s) and those placed out of area. So a report about any of them
        reaches the demo login, as it would reach the real allocated worker. Their earlier
        allocations stay with other workers (a change of worker stays a change)."""
        main = self.main_council
        others = [w for w in social_worker_usernames(main, True) if w != DEMO_WORKER]
        missing_now = {e.child.index for e in self.episodes if e.end is None}
        for child in self.children:
            if child.council is not main or not child.allocations:
                continue
            current = child.allocations[-1]
            placement = child.current_placement
            meets_first = (
                child.index in missing_now
                or (placement is not None and placement.home is self.care_home)
                or (placement is not None and placement.host is not main)
            )
            if current.end is not None or not meets_first or current.worker == DEMO_WORKER:
                continue
            current.worker = DEMO_WORKER
            if len(child.allocations) >= 2 and child.allocations[-2].worker == DEMO_WORKER:
                before = child.allocations[-3].worker if len(child.allocations) >= 3 else None
                child.allocations[-2].worker = next((w for w in others if w != before), others[0])

    def choose_care_home(self) -> None:
        current = {h.key: 0 for h in HOMES}
        for child in self.children:
            placement = child.current_placement
            if placement is not None and placement.home is not None:
                current[placement.home.key] += 1
        top = max(current.values())
        self.care_home = next(h for h in HOMES if current[h.key] == top)

    # -- episodes ---------------------------------------------------------------------

    def plan_episodes(self, total: int) -> None:
        rng = self.rng("episodes")
        horizon = self.clock.horizon
        eligible = [c for c in self.children if horizon - c.window_start >= 30 * 1440]
        if total and not eligible:
            raise ValueError("No child is old enough to have gone missing")
        for child in eligible:
            factor = _PROFILE_WEIGHT[child.profile]
            age = child.age_on(self.clock.today)
            factor *= 1.6 if age >= 13 else (0.8 if age >= 11 else 0.4)
            span = (horizon - child.window_start) / (WINDOW_DAYS * 1440)
            child.weight = factor * span * rng.lognormvariate(0, 0.7)
        self._allocate_counts(rng, eligible, total)
        active = [c for c in eligible if c.wanted > 0]
        self._plan_open(rng, active, total)
        self._plan_outings(rng, active, total)
        for child in active:
            self._plan_individual(rng, child)
        self.episodes.sort(key=lambda e: (e.start, e.child.index))

    def _allocate_counts(self, rng: random.Random, eligible: list[ChildPlan], total: int) -> None:
        remaining = total
        # A handful of children go missing very often: mostly older children in homes.
        frequent_n = max(1, round(len(self.children) / 40))
        long_window = [c for c in eligible if self.clock.horizon - c.window_start > 300 * 1440]
        candidates = sorted(
            long_window,
            key=lambda c: (
                not (c.current_placement and c.current_placement.placement_type == "K2"),
                -c.weight,
            ),
        )[:frequent_n]
        for child in candidates:
            child.wanted = min(rng.randint(15, 40), max(0, remaining * 3 // 10 // frequent_n))
            remaining -= child.wanted
        others = [c for c in eligible if c not in candidates]
        # Most children known to the service have gone missing at least once.
        for child in sorted(others, key=lambda c: -c.weight)[:remaining]:
            child.wanted = 1
            remaining -= 1
        cap = max(14, 2 * remaining // max(1, len(others)))
        capacity = {c.index: cap if c in others else c.wanted for c in eligible}
        pool = [c for c in eligible if c.wanted < capacity[c.index]]
        while remaining > 0:
            if not pool:
                raise ValueError("Too many episodes for this many children")
            cumulative = []
            running = 0.0
            for c in pool:
                running += c.weight
                cumulative.append(running)
            pick = pool[bisect.bisect_left(cumulative, rng.random() * running)]
            pick.wanted += 1
            remaining -= 1
            if pick.wanted >= capacity[pick.index]:
                pool.remove(pick)

    def _plan_open(self, rng: random.Random, active: list[ChildPlan], total: int) -> None:
        """A handful of children are missing now: last seen in the past three days."""
        count = min(len(active), max(1, round(total / 180)))
        for child in sorted(active, key=lambda c: -c.weight * rng.random())[:count]:
            days_ago = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
            start = (WINDOW_DAYS - days_ago) * 1440 + _time_of_day(rng, latest_hour=21)
            if start < child.window_start or not child.is_free(start, WINDOW_DAYS * 1440):
                continue
            child.reserve(start, WINDOW_DAYS * 1440 + 10 * 1440)
            self.episodes.append(EpisodePlan(child, start, None))

    def _plan_outings(self, rng: random.Random, active: list[ChildPlan], total: int) -> None:
        """Children who go missing together: mostly from the same home at the same time."""
        wanted = max(1, round(total * 0.02))
        pairs = self._co_resident_pairs(active)
        by_council: dict[str, list[ChildPlan]] = {}
        for child in active:
            if child.age_on(self.clock.today) >= 12:
                by_council.setdefault(child.council.key, []).append(child)
        groups: list[tuple[list[ChildPlan], int, int]] = []
        for a, b, start, end in pairs[: max(1, wanted // 3)]:
            groups.append(([a, b], start, end))
        for key in sorted(by_council):
            members = by_council[key]
            if len(members) >= 3 and len(groups) < max(2, wanted // 2):
                trio = rng.sample(members, 3)
                start = max(c.window_start for c in trio)
                groups.append((trio, start, self.clock.horizon))
        if not groups:
            return
        made, attempts, outing = 0, 0, 0
        while made < wanted and attempts < wanted * 30:
            attempts += 1
            members, low, high = rng.choice(groups)
            if rng.random() < 0.6 and len(members) > 2:
                members = rng.sample(members, 2)
            if any(len(self._planned(c)) >= c.wanted for c in members):
                continue
            duration = _duration(rng)
            day = rng.randint(low // 1440, max(low // 1440, (high - duration) // 1440))
            start = day * 1440 + _time_of_day(rng)
            end = start + duration
            if start < low or end > min(high, self.clock.horizon):
                continue
            if not all(c.is_free(start, end) and start >= c.window_start for c in members):
                continue
            outing += 1
            for i, child in enumerate(members):
                offset = 0 if i == 0 else rng.randint(0, 20)
                back = end + (0 if i == 0 else rng.randint(0, 90))
                back = min(back, self.clock.horizon)
                child.reserve(start + offset, back)
                self.episodes.append(EpisodePlan(child, start + offset, back, outing=outing))
            made += 1

    def _co_resident_pairs(
        self, active: list[ChildPlan]
    ) -> list[tuple[ChildPlan, ChildPlan, int, int]]:
        """Pairs of children placed in the same home at the same time, with the overlap."""
        found: list[tuple[ChildPlan, ChildPlan, int, int]] = []
        stays: list[tuple[ChildPlan, PlacementPlan]] = [
            (c, p) for c in active for p in c.placements if p.home is not None
        ]
        for i, (a, pa) in enumerate(stays):
            for b, pb in stays[i + 1 :]:
                if a is b or pa.home is not pb.home:
                    continue
                low = max(pa.start, pb.start, self.clock.start_date)
                high = min(pa.end or self.clock.today, pb.end or self.clock.today)
                if (high - low).days < 60:
                    continue
                start = max(self.clock.minute_of(low) + 1440, a.window_start, b.window_start)
                end = self.clock.minute_of(high) - 1440
                if end - start > 30 * 1440:
                    found.append((a, b, start, end))
        found.sort(key=lambda f: (-(f[3] - f[2]), f[0].index, f[1].index))
        return found

    def _planned(self, child: ChildPlan) -> list[EpisodePlan]:
        return [e for e in self.episodes if e.child is child]

    def _plan_individual(self, rng: random.Random, child: ChildPlan) -> None:
        need = child.wanted - len(self._planned(child))
        low_day = child.window_start // 1440 + 1
        high_day = self.clock.horizon // 1440 - 1
        for _ in range(need):
            for attempt in range(400):
                duration = _duration(rng) if attempt < 200 else rng.randint(30, 240)
                day = rng.randint(low_day, high_day)
                start = day * 1440 + _time_of_day(rng)
                end = start + duration
                fits = start >= child.window_start and end <= self.clock.horizon
                if fits and child.is_free(start, end):
                    break
            else:
                raise ValueError(f"No room for another episode for child {child.index}")
            child.reserve(start, end)
            self.episodes.append(EpisodePlan(child, start, end))

    # -- writing ----------------------------------------------------------------------

    def write_organisations(self) -> None:
        force = Organisation.objects.create(
            kind=OrganisationKind.POLICE, name=FORCE_NAME, code=FORCE_CODE
        )
        self.orgs["force"] = force
        for spec in COUNCILS:
            self.orgs[spec.key] = Organisation.objects.create(
                kind=OrganisationKind.COUNCIL, name=spec.name, code=spec.code, police_force=force
            )
        for home in HOMES:
            self.orgs[home.key] = Organisation.objects.create(
                kind=OrganisationKind.CARE_PROVIDER,
                name=home.name,
                code=home.code,
                area_council=self.orgs[home.council],
            )
        self.orgs["rhi"] = Organisation.objects.create(
            kind=OrganisationKind.RHI_PROVIDER, name=RHI_NAME, code=RHI_CODE
        )
        self.orgs["national"] = Organisation.objects.create(
            kind=OrganisationKind.NATIONAL, name=NATIONAL_NAME, code=NATIONAL_CODE
        )

    def write_users(self) -> None:
        rng = self.rng("users")
        password = make_password(settings.HOMEWARD_DEMO_PASSWORD)
        where = {
            "force": self.orgs["force"],
            "council": self.orgs[self.main_council.key],
            "home": self.orgs[self.care_home.key],
            "rhi": self.orgs["rhi"],
            "national": self.orgs["national"],
        }
        wanted: list[tuple[str, str, Organisation]] = []
        for username, role, org_key in ROLE_USERS:
            if username != "social.worker":
                wanted.append((username, role, where[org_key]))
        for spec in COUNCILS:
            wanted.extend(
                (username, Role.SOCIAL_WORKER, self.orgs[spec.key])
                for username in social_worker_usernames(spec, spec is self.main_council)
            )
            if spec is not self.main_council:
                coordinator = Role.COUNCIL_MISSING_COORDINATOR
                wanted.append((coordinator_username(spec), coordinator, self.orgs[spec.key]))
        wanted.sort(key=lambda w: _login_order(w[0]))
        for username, role, org in wanted:
            sex = rng.choice((Sex.FEMALE, Sex.MALE))
            user = User(
                username=username,
                first_name=first_name(rng, sex),
                last_name=surname(rng, 0 if rng.random() < 0.7 else 1),
                email=f"{username}@demo.homeward.example",
                password=password,
            )
            user.save()
            self.users[username] = user
            self.memberships[username] = Membership.objects.create(
                user=user, organisation=org, role=role
            )

    def write_children(self) -> None:
        rows = [
            Child(
                first_name=c.first_name,
                last_name=c.last_name,
                date_of_birth=c.dob,
                sex=c.sex,
                ethnicity=c.ethnicity,
                upn=c.upn,
                nhs_number=c.nhs_number,
                responsible_council=self.orgs[c.council.key],
            )
            for c in self.children
        ]
        Child.objects.bulk_create(rows)
        for plan, row in zip(self.children, rows, strict=True):
            plan.row = row
        aliases, identifiers, statuses, placements, allocations = [], [], [], [], []
        for c in self.children:
            assert c.row is not None
            aliases += [ChildAlias(child=c.row, name=name) for name in c.aliases]
            identifiers.append(
                ChildIdentifier(
                    child=c.row,
                    organisation=self.orgs[c.council.key],
                    value=f"{c.council.case_prefix}{104000 + c.index * 7:07d}",
                )
            )
            statuses += [
                LegalStatus(child=c.row, status=s.status, start_date=s.start, end_date=s.end)
                for s in c.statuses
            ]
            for p in c.placements:
                p.row = Placement(
                    child=c.row,
                    placement_type=p.placement_type,
                    provider=self.orgs[p.home.key] if p.home else None,
                    host_council=self.orgs[p.host.key],
                    postcode_district=p.district,
                    start_date=p.start,
                    end_date=p.end,
                )
                placements.append(p.row)
            allocations += [
                WorkerAllocation(
                    child=c.row,
                    worker=self.users[a.worker],
                    organisation=self.orgs[c.council.key],
                    start_date=a.start,
                    end_date=a.end,
                )
                for a in c.allocations
            ]
        ChildAlias.objects.bulk_create(aliases)
        ChildIdentifier.objects.bulk_create(identifiers)
        LegalStatus.objects.bulk_create(statuses)
        Placement.objects.bulk_create(placements)
        WorkerAllocation.objects.bulk_create(allocations)

    # -- aftercare (safe and well checks, return interviews) -------------------------

    def plan_aftercare(self) -> None:
        """What record_return, record_check and the interview services would have written.

        Each return gets a safe and well check (done, or not done with a reason) and is
        covered by a return interview: the child's interview still open at the return, or
        a new one due 72 hours later. About two thirds of interviews done are done in time
        (audits found councils at about 63%)."""
        rng = self.rng("aftercare")
        latest: dict[int, InterviewPlan] = {}
        for plan in self.episodes:
            if plan.end is None:
                continue
            plan.check = self._plan_check(rng, plan.end)
            current = latest.get(plan.child.index)
            if current is None or (current.closed is not None and current.closed <= plan.end):
                current = self._plan_interview(rng, plan.child, plan.end)
                latest[plan.child.index] = current
                self.interviews.append(current)
            current.episodes.append(plan)
            plan.interview = current

    def _plan_check(self, rng: random.Random, returned: int) -> CheckPlan | None:
        horizon = self.clock.horizon
        if rng.random() < 0.9:
            late = rng.random() < 0.1
            conducted = returned + (
                rng.randint(20 * 60, 72 * 60) if late else rng.randint(30, 1200)
            )
            recorded = conducted + rng.randint(10, 240)
            return CheckPlan(True, conducted, recorded) if recorded <= horizon else None
        recorded = returned + rng.randint(60, 48 * 60)
        return CheckPlan(False, None, recorded) if recorded <= horizon else None

    def _plan_interview(self, rng: random.Random, child: ChildPlan, returned: int) -> InterviewPlan:
        horizon = self.clock.horizon
        interview = InterviewPlan(child=child, first_return=returned)
        if rng.random() < 0.07:
            decided = returned + rng.randint(24 * 60, 96 * 60)
            if decided <= horizon:
                interview.status = InterviewStatus.NOT_OFFERED
                interview.outcome = InterviewOutcome.NOT_OFFERED
                interview.decided = interview.closed = decided
            return interview
        offered = returned + rng.randint(2 * 60, 60 * 60)
        if offered > horizon:
            return interview
        interview.status, interview.offered = InterviewStatus.OFFERED, offered
        decided = offered + rng.randint(0, 24 * 60)
        if decided > horizon:
            return interview
        interview.decided = decided
        if rng.random() < 0.22:
            interview.status = InterviewStatus.DECLINED
            interview.outcome = InterviewOutcome.DECLINED
            interview.closed = decided
            return interview
        interview.status, interview.outcome = InterviewStatus.ACCEPTED, InterviewOutcome.ACCEPTED
        in_time = rng.random() < 0.66
        target = returned + (
            rng.randint(6 * 60, 71 * 60) if in_time else rng.randint(73 * 60, 8 * 1440)
        )
        done = max(target, decided + rng.randint(30, 180))
        if done <= horizon:
            interview.status = InterviewStatus.DONE
            interview.done = interview.closed = done
        return interview

    def write_aftercare(self) -> None:
        rng = self.rng("aftercare-words")
        at = self.clock.at
        force, rhi = self.orgs["force"], self.orgs["rhi"]
        # Two councils commission the independent provider; Sedgecombe does its own.
        CouncilSettings.objects.bulk_create(
            CouncilSettings(
                council=self.orgs[c.key], interview_provider=None if c.key == "sedgecombe" else rhi
            )
            for c in COUNCILS
        )
        officer = self.users["police.officer"]
        checks = []
        for plan in self.episodes:
            check = plan.check
            if check is None or plan.row is None:
                continue
            episode = plan.row
            checks.append(
                SafeAndWellCheck(
                    episode=episode,
                    status=CheckStatus.DONE if check.done else CheckStatus.NOT_DONE,
                    conducted_at=at(check.conducted) if check.conducted is not None else None,
                    officer_name=officer.get_full_name() if check.done else "",
                    location=rng.choice(_CHECK_LOCATIONS) if check.done else "",
                    child_account=rng.choice(_CHECK_ACCOUNTS) if check.done else "",
                    injuries_or_harm=episode.harm_indicators if check.done else "",
                    disclosures=(
                        [rng.choice(Disclosure.values)]
                        if check.done and episode.harm_indicators and rng.random() < 0.5
                        else []
                    ),
                    shared_with="Responsible council's missing coordinator; allocated social worker"
                    if check.done
                    else "",
                    not_done_reason="" if check.done else rng.choice(_CHECK_NOT_DONE),
                    organisation=force,
                    recorded_by=officer,
                    recorded_at=at(check.recorded),
                )
            )
        SafeAndWellCheck.objects.bulk_create(checks)

        rows = []
        for interview in self.interviews:
            council = self.orgs[interview.child.council.key]
            provider = council if interview.child.council.key == "sedgecombe" else rhi
            interviewer = (
                self.users["rhi.worker"].get_full_name()
                if provider == rhi
                else f"{first_name(rng, rng.choice(Sex.values))} {surname(rng)}"
            )
            row = ReturnInterview(
                child=interview.child.row,
                council=council,
                provider=provider,
                status=interview.status,
                due_at=at(interview.first_return) + INTERVIEW_DUE,
                created_at=at(interview.first_return),
                version=1
                + sum(
                    x is not None for x in (interview.offered, interview.decided, interview.done)
                ),
            )
            if interview.offered is not None:
                row.offered_at = at(interview.offered)
                row.offered_by = interviewer
                row.offer_method = weighted(
                    rng, {"phone": 0.45, "in_person": 0.3, "text": 0.2, "letter": 0.05}
                )
            if interview.outcome:
                row.outcome = interview.outcome
                if interview.outcome == InterviewOutcome.NOT_OFFERED:
                    row.outcome_reason = rng.choice(_INTERVIEW_NOT_OFFERED)
                elif interview.outcome == InterviewOutcome.DECLINED:
                    row.outcome_reason = rng.choice(_INTERVIEW_DECLINED)
            if interview.done is not None:
                row.done_at = at(interview.done)
                row.done_location = rng.choice(_INTERVIEW_PLACES)
                row.interviewer_name = interviewer
                row.interviewer_kind = (
                    InterviewerKind.INDEPENDENT if rng.random() < 0.9 else InterviewerKind.TRUSTED
                )
                row.child_account = rng.choice(_INTERVIEW_ACCOUNTS)
                row.push_factors = sorted(set(rng.sample(PushFactor.values, rng.randint(0, 2))))
                row.pull_factors = sorted(set(rng.sample(PullFactor.values, rng.randint(1, 2))))
                row.risks_found = sorted(
                    set(rng.sample(RiskFound.values, rng.choice((0, 0, 0, 1, 1, 2))))
                )
                row.what_would_help = rng.choice(_WHAT_WOULD_HELP)
                row.actions = rng.choice(_INTERVIEW_ACTIONS)
                row.shared_with = "Allocated social worker; missing coordinator"
                row.quote_consent = rng.random() < 0.4
            if interview.closed is not None:
                row.closed_at = at(interview.closed)
            interview.row = row
            rows.append(row)
        ReturnInterview.objects.bulk_create(rows)
        through = ReturnInterview.episodes.through
        through.objects.bulk_create(
            through(returninterview_id=interview.row.pk, episode_id=e.row.pk)
            for interview in self.interviews
            for e in interview.episodes
            if interview.row is not None and e.row is not None
        )
        ReturnInterview.objects.update(updated_at=Coalesce("closed_at", "offered_at", "created_at"))

    def write_episodes(self) -> None:
        rng = self.rng("details")
        references: set[str] = set()
        serials: dict[int, int] = {}
        built: list[_Built] = []
        for plan in self.episodes:
            reference = _reference(rng)
            while reference in references:
                reference = _reference(rng)
            references.add(reference)
            built.append(self._build_episode(rng, plan, reference))
        # Police references follow the order the force received the reports.
        for item in sorted(built, key=lambda b: (b.episode.reported_at, b.episode.reference)):
            if item.police_reference:
                year = timezone.localtime(item.episode.reported_at, self.clock.zone).year
                serials[year] = serials.get(year, 0) + rng.randint(3, 40)
                item.episode.police_reference = f"{FORCE_CODE}/{serials[year]:05d}/{year % 100}"
        # The rows below point at these episodes; they take the ids once inserted.
        Episode.objects.bulk_create([b.episode for b in built])
        for plan, item in zip(self.episodes, built, strict=True):
            plan.row = item.episode
        RiskAssessment.objects.bulk_create([r for b in built for r in b.risks])
        ClassificationChange.objects.bulk_create([r for b in built for r in b.classifications])
        TimelineEntry.objects.bulk_create([r for b in built for r in b.timeline])
        links = self._links()
        through = Episode.went_missing_with.through
        through.objects.bulk_create(
            [through(from_episode_id=a.pk, to_episode_id=b.pk) for a, b in links]
            + [through(from_episode_id=b.pk, to_episode_id=a.pk) for a, b in links]
        )
        # Rows the database stamps with "now" get the time they describe instead.
        TimelineEntry.objects.update(recorded_at=F("occurred_at"))
        Episode.objects.update(
            created_at=F("reported_at"),
            updated_at=Coalesce("closed_at", "returned_at", "reported_at"),
        )

    def _links(self) -> list[tuple[Episode, Episode]]:
        by_outing: dict[int, list[Episode]] = {}
        for plan in self.episodes:
            if plan.outing is not None and plan.row is not None:
                by_outing.setdefault(plan.outing, []).append(plan.row)
        pairs: list[tuple[Episode, Episode]] = []
        for outing in sorted(by_outing):
            members = by_outing[outing]
            for i, a in enumerate(members):
                pairs.extend((a, b) for b in members[i + 1 :])
        return pairs

    def _build_episode(self, rng: random.Random, plan: EpisodePlan, reference: str) -> _Built:
        """One episode and the rows the services would have written for it."""
        child = plan.child
        assert child.row is not None
        at = self.clock.at
        day = self.clock.local_date(plan.start)
        placement = child.placement_on(day) if child.status_on(day) == LAC else None
        town = rng.choice((placement.host if placement else child.council).towns)
        words = {
            "town": town,
            "street": rng.choice(_STREETS),
            "landmark": rng.choice(_LANDMARKS),
            "n": str(rng.randint(2, 98)),
        }
        where = self._where(rng, child, placement, words)
        classification = Classification.MISSING
        if (
            where.missing_from == MissingFrom.PLACEMENT
            and self._strictly_looked_after(child, day)
            and rng.random() < 0.3
        ):
            classification = Classification.AWAY
        worker = child.worker_on(day)
        reporter = self._reporter(rng, where, worker)
        reporter_org = self.memberships[reporter.username].organisation
        end = plan.end if plan.end is not None else self.clock.horizon
        delay = _REPORT_DELAY.get(where.reporter_type, (20, 240))
        reported = plan.start + min(rng.randint(*delay), max(5, (end - plan.start) // 2))
        grade = self._initial_grade(rng, child, day)
        episode = Episode(
            reference=reference,
            child=child.row,
            status=EpisodeStatus.MISSING,
            classification=classification,
            reported_at=at(reported),
            reported_by=reporter,
            reporting_organisation=reporter_org,
            reporter_type=where.reporter_type,
            reporter_name=where.reporter_name,
            last_seen_at=at(plan.start),
            last_seen_location=where.location,
            missing_from=where.missing_from,
            circumstances=rng.choice(_CIRCUMSTANCES[MissingFrom(where.missing_from)]).format(
                **words
            ),
            clothing=_clothing(rng),
            police_force=self.orgs["force"],
            placement=placement.row if placement else None,
            risk_grade=grade,
            version=1,
        )
        # Nearly every missing report has a police reference; some "away" ones do not.
        away = classification == Classification.AWAY
        item = _Built(episode, police_reference=rng.random() < (0.6 if away else 0.96))
        item.risks.append(
            RiskAssessment(
                episode=episode,
                grade=grade,
                rationale=rng.choice(_INITIAL_RATIONALE[RiskGrade(grade)]),
                decided_by=reporter,
                decided_by_organisation=reporter_org,
                decided_at=at(reported),
            )
        )
        item.classifications.append(
            ClassificationChange(
                episode=episode,
                classification=classification,
                changed_at=at(reported),
                changed_by=reporter,
                reason="Initial report",
            )
        )
        item.timeline.append(
            TimelineEntry(
                episode=episode,
                kind=TimelineKind.REPORT,
                occurred_at=at(reported),
                summary=f"Reported missing by {ReporterType(where.reporter_type).label.lower()}. "
                f"Risk graded {RiskGrade(grade).label.lower()}.",
                location=where.location,
                recorded_by=reporter,
                recorded_by_organisation=reporter_org,
            )
        )

        span = end - reported
        changes: list[tuple[int, str]] = []
        if span > 8 * 60 and rng.random() < 0.3:
            changes.append((reported + rng.randint(60, span - 30), "regrade"))
            if span > 24 * 60 and rng.random() < 0.3:
                changes.append((reported + rng.randint(60, span - 30), "regrade"))
        if (
            where.missing_from == MissingFrom.PLACEMENT
            and span > 4 * 60
            and self._strictly_looked_after(child, day)
            and rng.random() < 0.12
        ):
            changes.append((reported + rng.randint(30, span - 30), "classification"))
        for minute, what in sorted(changes):
            if what == "regrade":
                self._regrade(rng, item, minute, reported, words)
            else:
                self._reclassify(item, minute, reporter)
        self._activity(rng, item, reported, end, words, where.home, worker)
        if plan.end is not None:
            self._return_and_close(rng, item, plan, words, where.home, placement, worker)
        item.timeline.sort(key=lambda e: e.occurred_at)
        return item

    def _where(
        self,
        rng: random.Random,
        child: ChildPlan,
        placement: PlacementPlan | None,
        words: dict[str, str],
    ) -> _Where:
        """Where the child went missing from, and who noticed."""
        town, street = words["town"], words["street"]
        home = placement.home if placement else None
        if placement is not None:
            missing_from = weighted(rng, {"placement": 0.88, "school": 0.07, "other": 0.05})
        else:
            missing_from = weighted(rng, {"home": 0.85, "school": 0.08, "other": 0.07})
        if missing_from == MissingFrom.PLACEMENT and placement is not None:
            if home is not None:
                location = f"{home.name}, {home.street}, {self.councils[home.council].towns[1]}"
                reporter = ReporterType.HOME_STAFF
            elif placement.placement_type.startswith("U"):
                location, reporter = f"Foster home, {street}, {town}", ReporterType.CARER
            elif placement.placement_type == PlacementType.P1:
                location, reporter = f"Parent's home, {street}, {town}", ReporterType.PARENT
            else:
                location = f"Supported accommodation, {street}, {town}"
                reporter = ReporterType.SOCIAL_WORKER
        elif missing_from == MissingFrom.HOME:
            location = f"Home address, {words['n']} {street}, {town}"
            reporter = ReporterType.PARENT if rng.random() < 0.85 else ReporterType.OTHER
        elif missing_from == MissingFrom.SCHOOL:
            council = placement.host if placement else child.council
            location, reporter = rng.choice(council.schools), ReporterType.SCHOOL
        else:
            location = f"{words['landmark'].capitalize()}, {town}"
            reporter = (
                ReporterType.HOME_STAFF
                if home
                else (ReporterType.CARER if placement else ReporterType.PARENT)
            )
        name = ""
        if reporter == ReporterType.PARENT:
            relation = weighted(
                rng, {"mother": 0.6, "father": 0.25, "grandmother": 0.1, "aunt": 0.05}
            )
            sex = Sex.MALE if relation == "father" else Sex.FEMALE
            name = f"{first_name(rng, sex)} {child.last_name} ({relation})"
        elif reporter == ReporterType.CARER:
            name = f"{first_name(rng, rng.choice(Sex.values))} {surname(rng)} (carer)"
        return _Where(missing_from, location, reporter, name, home)

    def _reporter(self, rng: random.Random, where: _Where, worker: str | None) -> User:
        """Who entered the report: the home's own staff, the social worker, or the police
        call handler taking the call from a parent, carer, school or another home."""
        if where.home is self.care_home and where.reporter_type == ReporterType.HOME_STAFF:
            return self.users["care.staff" if rng.random() < 0.7 else "care.manager"]
        if where.reporter_type == ReporterType.SOCIAL_WORKER and worker:
            return self.users[worker]
        return self.users["police.handler"]

    def _regrade(
        self, rng: random.Random, item: _Built, minute: int, reported: int, words: dict[str, str]
    ) -> None:
        episode, at = item.episode, self.clock.at
        previous = RiskGrade(episode.risk_grade)
        order = list(RiskGrade)
        position = order.index(previous)
        up = position == 0 or (position < len(order) - 1 and rng.random() < 0.6)
        new = order[position + 1] if up else order[position - 1]
        decider = self.users["police.coordinator" if rng.random() < 0.5 else "police.officer"]
        obtained = max(reported, minute - rng.randint(5, 120))
        episode.risk_grade = new
        episode.version += 1
        item.risks.append(
            RiskAssessment(
                episode=episode,
                grade=new,
                rationale=rng.choice(_UP_RATIONALE if up else _DOWN_RATIONALE),
                information_used=rng.choice(_CALLS if up else _SIGHTINGS).format(**words),
                information_source=rng.choice(_SOURCES),
                information_obtained_at=at(obtained),
                decided_by=decider,
                decided_by_organisation=self.orgs["force"],
                decided_at=at(minute),
            )
        )
        item.timeline.append(
            TimelineEntry(
                episode=episode,
                kind=TimelineKind.REGRADE,
                occurred_at=at(minute),
                summary=f"Risk re-graded from {previous.label.lower()} to {new.label.lower()}.",
                recorded_by=decider,
                recorded_by_organisation=self.orgs["force"],
            )
        )

    def _reclassify(self, item: _Built, minute: int, reporter: User) -> None:
        episode, at = item.episode, self.clock.at
        if episode.classification == Classification.AWAY:
            new = Classification.MISSING
            reason = "No longer at the address where they were thought to be; whereabouts unknown."
        else:
            new = Classification.AWAY
            reason = "Whereabouts now known: at a friend's address; carer in contact."
        who = self.users["police.officer"] if reporter.username == "police.handler" else reporter
        episode.classification = new
        episode.version += 1
        item.classifications.append(
            ClassificationChange(
                episode=episode,
                classification=new,
                changed_at=at(minute),
                changed_by=who,
                reason=reason,
            )
        )
        item.timeline.append(
            TimelineEntry(
                episode=episode,
                kind=TimelineKind.CLASSIFICATION,
                occurred_at=at(minute),
                summary=f"Classification changed to {new.label.lower()}: {reason}",
                recorded_by=who,
                recorded_by_organisation=self.memberships[who.username].organisation,
            )
        )

    def _activity(
        self,
        rng: random.Random,
        item: _Built,
        reported: int,
        end: int,
        words: dict[str, str],
        home: HomeSpec | None,
        worker: str | None,
    ) -> None:
        """Sightings, calls and actions while the child is missing."""
        span = end - reported
        if span <= 20:
            return
        hours = span / 60
        if hours < 3:
            entries = rng.randint(0, 1)
        elif hours < 12:
            entries = rng.randint(1, 2)
        elif hours < 48:
            entries = rng.randint(2, 4)
        else:
            entries = rng.randint(3, 8)
        for _ in range(entries):
            minute = reported + rng.randint(5, span - 5)
            kind = weighted(rng, {"sighting": 0.3, "call": 0.35, "action": 0.35})
            texts = {"sighting": _SIGHTINGS, "call": _CALLS, "action": _ACTIONS}[kind]
            roll = rng.random()
            if roll < 0.6 or not worker:
                who = self.users["police.officer" if rng.random() < 0.8 else "police.handler"]
            elif home is self.care_home and roll < 0.8:
                who = self.users["care.staff"]
            else:
                who = self.users[worker]
            item.timeline.append(
                TimelineEntry(
                    episode=item.episode,
                    kind=kind,
                    occurred_at=self.clock.at(minute),
                    summary=rng.choice(texts).format(**words),
                    location=f"{words['landmark'].capitalize()}, {words['town']}"
                    if kind == TimelineKind.SIGHTING
                    else "",
                    recorded_by=who,
                    recorded_by_organisation=self.memberships[who.username].organisation,
                )
            )

    def _return_and_close(
        self,
        rng: random.Random,
        item: _Built,
        plan: EpisodePlan,
        words: dict[str, str],
        home: HomeSpec | None,
        placement: PlacementPlan | None,
        worker: str | None,
    ) -> None:
        """The return (as record_return writes it) and, unless recent, the close."""
        assert plan.end is not None
        episode, at, end = item.episode, self.clock.at, plan.end
        method = weighted(
            rng,
            {
                ReturnMethod.RETURNED_SELF: 0.45,
                ReturnMethod.FOUND_BY_POLICE: 0.2,
                ReturnMethod.FOUND_BY_CARER: 0.2,
                ReturnMethod.BROUGHT_BACK: 0.12,
                ReturnMethod.OTHER: 0.03,
            },
        )
        if method == ReturnMethod.RETURNED_SELF:
            found = "the placement" if placement else "home"
        else:
            found = rng.choice(_FOUND).format(**words)
        episode.status = EpisodeStatus.RETURNED
        episode.returned_at = at(end)
        episode.return_method = method
        episode.found_location = found
        if plan.outing is not None:
            others = [
                e.child.name
                for e in self.episodes
                if e.outing == plan.outing and e.child is not plan.child
            ]
            episode.found_with = "With " + " and ".join(others)
        else:
            episode.found_with = weighted(
                rng,
                {
                    "": 0.35,
                    "Alone": 0.35,
                    "With friends": 0.2,
                    "With an adult not known to carers": 0.1,
                },
            )
        episode.harm_indicators = rng.choice(_HARM) if rng.random() < 0.08 else ""
        episode.version += 1
        if home is self.care_home and method != ReturnMethod.FOUND_BY_POLICE:
            recorder = self.users["care.staff"]
        else:
            recorder = self.users[rng.choice(("police.officer", "police.handler"))]
        item.timeline.append(
            TimelineEntry(
                episode=episode,
                kind=TimelineKind.RETURN,
                occurred_at=at(end),
                summary=f"{ReturnMethod(method).label}. Found at {found}.",
                location=found,
                recorded_by=recorder,
                recorded_by_organisation=self.memberships[recorder.username].organisation,
            )
        )
        # Closed once the safe and well check and the return interview are recorded.
        closed = end + rng.randint(4 * 60, 4 * 1440)
        check, interview = plan.check, plan.interview
        if check is None or interview is None or interview.closed is None:
            return
        closed = max(closed, check.recorded, interview.closed) + rng.randint(10, 600)
        if closed > self.clock.horizon:
            return  # returned recently: not closed yet
        roll = rng.random()
        if roll < 0.2 and worker:
            closer = self.users[worker]
        elif roll < 0.3 and home is self.care_home:
            closer = self.users["care.manager"]
        else:
            closer = self.users["police.officer" if roll < 0.75 else "police.coordinator"]
        episode.status = EpisodeStatus.CLOSED
        episode.closed_at = at(closed)
        episode.closed_by = closer
        episode.version += 1
        item.timeline.append(
            TimelineEntry(
                episode=episode,
                kind=TimelineKind.CLOSE,
                occurred_at=at(closed),
                summary="Episode closed.",
                recorded_by=closer,
                recorded_by_organisation=self.memberships[closer.username].organisation,
            )
        )

    def _strictly_looked_after(self, child: ChildPlan, day: date) -> bool:
        """Looked after on the day and the day either side (no boundary ambiguity)."""
        return all(child.status_on(day + timedelta(days=d)) == LAC for d in (-1, 0, 1))

    def _initial_grade(self, rng: random.Random, child: ChildPlan, day: date) -> str:
        weights = {"very_low": 0.06, "low": 0.44, "medium": 0.40, "high": 0.10}
        if child.age_on(day) < 13:
            weights = {"very_low": 0.02, "low": 0.30, "medium": 0.48, "high": 0.20}
        elif child.wanted >= 15:
            weights = {"very_low": 0.05, "low": 0.35, "medium": 0.42, "high": 0.18}
        return weighted(rng, weights)

    # -- run --------------------------------------------------------------------------

    def run(self, children: int, episodes: int) -> DemoResult:
        started = time_module.monotonic()
        self.plan_children(children)
        self.plan_allocations()
        self.choose_care_home()
        self.plan_episodes(episodes)
        self.give_the_demo_worker_a_caseload()
        with transaction.atomic():
            self.write_organisations()
            self.write_users()
            self.write_children()
            by_child: dict[int, list[EpisodePlan]] = {}
            for e in self.episodes:
                by_child.setdefault(e.child.index, []).append(e)
            current = []
            for plan in self.children:
                assert plan.row is not None
                placement = plan.current_placement
                plan.row.current_placement = placement.row if placement else None
                first = min(
                    [s.start for s in plan.statuses]
                    + [self.clock.local_date(e.start) for e in by_child.get(plan.index, [])]
                    + [self.clock.today - timedelta(days=1)]
                )
                plan.row.created_at = datetime.combine(
                    max(first, self.clock.start_date - timedelta(days=365)),
                    time(9, 0),
                    tzinfo=self.clock.zone,
                )
                current.append(plan.row)
            Child.objects.bulk_update(current, ["current_placement", "created_at"])
            self.plan_aftercare()
            self.write_episodes()
            self.write_aftercare()
            # The statistics, in the same transaction: the dashboards, board reports and
            # national figures count the demo's history as soon as it is committed.
            facts.refresh_children([plan.row.pk for plan in self.children if plan.row], lock=False)
            # One honest event: the audit log is a hash chain of what happened when, so
            # the history is not back-filled into it.
            audit.record(
                Actor(user=None, membership=None, channel=CHANNEL_CLI),
                "load_demo",
                "demo",
                details={"seed": self.seed, "children": children, "episodes": episodes},
            )
        return DemoResult(
            seed=self.seed,
            seconds=time_module.monotonic() - started,
            counts=counts(),
            logins=existing_logins(),
            other_social_workers=other_social_workers(),
            other_coordinators=other_coordinators(),
        )


@dataclass
class _Where:
    missing_from: str
    location: str
    reporter_type: str
    reporter_name: str
    home: HomeSpec | None


# Minutes from last seen to the report, by who noticed.
_REPORT_DELAY: dict[str, tuple[int, int]] = {
    ReporterType.PARENT: (60, 480),
    ReporterType.HOME_STAFF: (30, 180),
    ReporterType.CARER: (45, 240),
}


@dataclass
class _Built:
    episode: Episode
    police_reference: bool = True
    risks: list[RiskAssessment] = field(default_factory=list)
    classifications: list[ClassificationChange] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


_ETHNICITY_MIX: dict[str, float] = {
    Ethnicity.WBRI: 62,
    Ethnicity.WOTH: 5,
    Ethnicity.WIRI: 1,
    Ethnicity.WROM: 1,
    Ethnicity.WIRT: 0.5,
    Ethnicity.MWBC: 5,
    Ethnicity.MWBA: 2,
    Ethnicity.MWAS: 2,
    Ethnicity.MOTH: 3,
    Ethnicity.AIND: 2,
    Ethnicity.APKN: 3,
    Ethnicity.ABAN: 1,
    Ethnicity.AOTH: 2,
    Ethnicity.BCRB: 2,
    Ethnicity.BAFR: 4,
    Ethnicity.BOTH: 1.5,
    Ethnicity.CHNE: 0.5,
    Ethnicity.OOTH: 2,
    Ethnicity.REFU: 0.5,
    Ethnicity.NOBT: 1,
}
# About half looked after at some point in the window; some child in need or protection.
_PROFILES = {
    "lac_long": 0.30,
    "lac_entered": 0.12,
    "lac_left": 0.08,
    "cp": 0.08,
    "cin": 0.12,
    "none": 0.30,
}
_PROFILE_WEIGHT = {
    "lac_long": 3.0,
    "lac_entered": 2.5,
    "lac_left": 2.5,
    "cp": 1.8,
    "cin": 1.5,
    "none": 1.0,
}
# Most children go missing in the afternoon and evening.
_HOUR_WEIGHTS = (2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 3, 2, 2, 2, 2, 2, 3, 5, 7, 7, 8, 8, 8, 7, 5, 3)


def _time_of_day(rng: random.Random, latest_hour: int = 23) -> int:
    hours = list(range(latest_hour + 1))
    hour = rng.choices(hours, weights=_HOUR_WEIGHTS[: latest_hour + 1])[0]
    return hour * 60 + rng.randint(0, 59)


def _duration(rng: random.Random) -> int:
    """Minutes missing: about 90% under two days, a long tail to two weeks."""
    roll = rng.random()
    if roll < 0.33:
        return rng.randint(45, 360)
    if roll < 0.63:
        return rng.randint(360, 960)
    if roll < 0.90:
        return rng.randint(960, 47 * 60)
    if roll < 0.98:
        return rng.randint(49 * 60, 5 * 1440)
    return rng.randint(5 * 1440, 14 * 1440)


def _clothing(rng: random.Random) -> str:
    return (
        f"{rng.choice(_COLOURS).capitalize()} {rng.choice(_TOPS)}, "
        f"{rng.choice(_COLOURS)} {rng.choice(_BOTTOMS)}, {rng.choice(_SHOES)}"
    )


def _reference(rng: random.Random) -> str:
    return "HW-" + "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


def _apportion(total: int, shares: list[float]) -> list[int]:
    """Largest remainder: whole numbers in proportion to ``shares`` summing to ``total``."""
    exact = [total * s / sum(shares) for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _login_order(username: str) -> tuple[int, str]:
    if username in DEMO_USERNAMES:
        return DEMO_USERNAMES.index(username), username
    return len(DEMO_USERNAMES), username


# --- public entry points ---------------------------------------------------------------


def has_data() -> bool:
    """The demo loads only into an empty database: one without any organisation."""
    return Organisation.objects.exists()


def load(
    *,
    seed: int = DEFAULT_SEED,
    children: int = DEFAULT_CHILDREN,
    episodes: int = DEFAULT_EPISODES,
    now: datetime | None = None,
) -> DemoResult:
    if children < 1:
        raise ValueError("--children must be at least 1")
    if episodes < 0 or episodes > children * MAX_EPISODES_PER_CHILD:
        raise ValueError(
            f"--episodes must be between 0 and {MAX_EPISODES_PER_CHILD} per child "
            f"({children * MAX_EPISODES_PER_CHILD} for {children} children)"
        )
    if has_data():
        raise ValueError("The database already has organisations: load the demo into an empty one")
    return Generator(seed, now).run(children, episodes)


def complete_statistics() -> bool:
    """A database loaded before loads made their own statistics holds episodes that no
    figure counts: make every fact and total again from the records. Says whether it had
    to (a count of episodes against their facts)."""
    from homeward.insights.models import EpisodeFact

    if EpisodeFact.objects.count() == Episode.objects.count():
        return False
    facts.rebuild()
    return True


def existing_logins() -> list[DemoLogin]:
    """The one-per-role demo logins present in the database, in role order."""
    logins = []
    for username in DEMO_USERNAMES:
        user = User.objects.filter(username=username).first()
        membership = user.active_membership() if user else None
        if user is not None and membership is not None:
            logins.append(
                DemoLogin(
                    username=username,
                    role=membership.role,
                    organisation=membership.organisation.name,
                    name=user.get_full_name(),
                )
            )
    return logins


def other_social_workers() -> list[str]:
    return list(
        User.objects.filter(memberships__role=Role.SOCIAL_WORKER, username__contains=".sw")
        .order_by("username")
        .values_list("username", flat=True)
    )


def other_coordinators() -> list[str]:
    """The other councils' missing coordinators (the host councils' logins)."""
    return list(
        User.objects.filter(
            memberships__role=Role.COUNCIL_MISSING_COORDINATOR,
            username__in=[coordinator_username(c) for c in COUNCILS],
        )
        .order_by("username")
        .values_list("username", flat=True)
    )


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "children": Child.objects.count(),
        "placements": Placement.objects.count(),
        "episodes": Episode.objects.count(),
        "open episodes": Episode.objects.filter(status=EpisodeStatus.MISSING).count(),
        "timeline entries": TimelineEntry.objects.count(),
        "safe and well checks": SafeAndWellCheck.objects.count(),
        "return interviews": ReturnInterview.objects.count(),
    }
