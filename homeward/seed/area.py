"""The demo area's organisations and logins: three councils, one police force, three
children's homes, a return-interview provider, a national body, and one login for every
role.

Every name, place and code is invented: LA numbers no real council has, homes' URNs
starting SC99, postcodes with the letter Q, which no real UK postcode area starts with.
``social.worker`` is the main council's allocated worker of the children a new user meets
first, and every other council has a missing coordinator (``eastwold.coordinator``...), so
a report about a child placed out of area reaches the host council's login too.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeward.organisations.models import Role, User


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
    ("inspector", Role.INSPECTOR, "national"),
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


def login_order(username: str) -> tuple[int, str]:
    if username in DEMO_USERNAMES:
        return DEMO_USERNAMES.index(username), username
    return len(DEMO_USERNAMES), username


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    name: str = ""

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


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
