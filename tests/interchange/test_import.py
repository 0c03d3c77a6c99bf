"""Importing a council's SSDA903 Header and Episodes tables."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from homeward.audit.models import AuditEvent
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, ChildIdentifier, LegalStatus, Placement
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.core.errors import AccessDenied
from homeward.insights.models import EpisodeFact
from homeward.interchange import services
from homeward.interchange.models import Ssda903Episode
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.insights import recount
from tests.interchange.conftest import report_and_return

CLI = Actor(user=None, membership=None, channel=CHANNEL_CLI)
pytestmark = pytest.mark.usefixtures("pinned")

HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
A100,1,03/07/2010,WBRI,UN1,,
B200,2,14/02/2011,BAFR,,,
"""
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    """A100,10/01/2024,S,C2,N1,K2,PR4,15/03/2024,X1,,QM1,QE2,SC990114
A100,15/03/2024,L,C1,N1,K2,PR4,01/09/2025,X1,CHANGE,QM1,QE2,SC990114
A100,01/09/2025,P,C1,N1,U6,PR1,,,,QM1,QM1 4AB,
B200,01/05/2023,S,V2,N4,U4,PR1,01/12/2024,E13,,QM4,QM4,
"""
)


@pytest.fixture
def council(db: None) -> Organisation:
    police = factories.PoliceForceFactory()
    return factories.CouncilFactory(code="714", police_force=police)


@pytest.fixture
def home(council: Organisation) -> Organisation:
    return factories.CareProviderFactory(code="SC990114", area_council=factories.CouncilFactory())


def write(tmp_path: Path, header: str = HEADER, episodes: str = EPISODES) -> tuple[Path, Path]:
    (tmp_path / "header.csv").write_text(header, encoding="utf-8")
    (tmp_path / "episodes.csv").write_text(episodes, encoding="utf-8")
    return tmp_path / "header.csv", tmp_path / "episodes.csv"


def test_children_periods_of_care_and_placements_are_made(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    result = services.import_903(CLI, council, *write(tmp_path))

    assert (result.children_created, result.periods_created, result.placements_created) == (
        2,
        2,
        3,
    )
    a100 = ChildIdentifier.objects.get(organisation=council, value="A100").child
    assert a100.full_name == "Unnamed 903 CHILD A100"  # the 903 has no names
    assert (a100.date_of_birth, a100.sex, a100.ethnicity, a100.upn) == (
        date(2010, 7, 3),
        "1",
        "WBRI",
        "",
    )
    assert a100.responsible_council == council
    statuses = [(s.status, s.start_date, s.end_date) for s in a100.legal_statuses.all()]
    assert statuses == [(LegalStatusKind.LOOKED_AFTER, date(2024, 1, 10), None)]
    placements = [
        (
            p.placement_type,
            p.start_date,
            p.end_date,
            p.host_council,
            p.provider,
            p.postcode_district,
        )
        for p in a100.placements.order_by("start_date")
    ]
    # The change of legal status on 15/03/2024 is not a new placement. The home is known
    # by its URN, so the host is the council it is in.
    assert placements == [
        ("K2", date(2024, 1, 10), date(2025, 9, 1), home.area_council, home, "QE2"),
        ("U6", date(2025, 9, 1), None, council, None, "QM1"),
    ]
    assert a100.current_placement == a100.placements.get(start_date=date(2025, 9, 1))
    b200 = ChildIdentifier.objects.get(organisation=council, value="B200").child
    assert [(s.start_date, s.end_date) for s in b200.legal_statuses.all()] == [
        (date(2023, 5, 1), date(2024, 12, 1))
    ]
    assert b200.current_placement is None
    assert Ssda903Episode.objects.filter(child=a100).count() == 3


def test_importing_the_same_files_again_changes_nothing(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    files = write(tmp_path)
    services.import_903(CLI, council, *files)
    counts = [m.objects.count() for m in (Child, LegalStatus, Placement, Ssda903Episode)]

    again = services.import_903(CLI, council, *files)

    assert again.unchanged
    assert (again.children_created, again.children_matched) == (0, 2)
    assert [m.objects.count() for m in (Child, LegalStatus, Placement, Ssda903Episode)] == counts


def test_next_years_file_closes_what_was_open(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    services.import_903(CLI, council, *write(tmp_path))
    later = EPISODES.replace(
        "A100,01/09/2025,P,C1,N1,U6,PR1,,,,QM1,QM1 4AB,",
        "A100,01/09/2025,P,C1,N1,U6,PR1,20/01/2026,E4A,,QM1,QM1 4AB,",
    )

    result = services.import_903(CLI, council, *write(tmp_path, episodes=later))

    assert (result.periods_updated, result.placements_updated) == (1, 1)
    a100 = ChildIdentifier.objects.get(value="A100").child
    assert a100.legal_statuses.get().end_date == date(2026, 1, 20)


def test_a_names_file_gives_the_children_their_names(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    names = tmp_path / "names.csv"
    names.write_text("CHILD,FIRST_NAME,LAST_NAME\nA100,Tamsin,Oakley\n", encoding="utf-8")

    services.import_903(CLI, council, *write(tmp_path), names=names)

    assert ChildIdentifier.objects.get(value="A100").child.full_name == "Tamsin Oakley"
    assert ChildIdentifier.objects.get(value="B200").child.first_name == "Unnamed"


def test_every_bad_row_is_reported_with_file_row_and_column_and_nothing_is_saved(
    council: Organisation, tmp_path: Path
) -> None:
    header = HEADER + "C300,3,31/02/2012,WXYZ,X123,,\n"
    episodes = EPISODES + (
        "C300,01/01/2020,S,C2,N1,K2,PR1,,,,,,\n"
        "B200,01/06/2024,S,C2,N1,Q9,PR1,,,,,,\n"
        "A100,1/9/2025,P,C1,N1,U6,PR1,01/08/2025,,,,ZZZ,\n"
    )

    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(CLI, council, *write(tmp_path, header, episodes))

    problems = [str(p) for p in caught.value.problems]
    assert "header.csv, row 4, column SEX: '3' is not a SEX code (one of 1, 2)" in problems
    assert (
        "header.csv, row 4, column DOB: '31/02/2012' is not a date in the form dd/mm/yyyy"
        in problems
    )
    assert any(p.startswith("header.csv, row 4, column ETHNIC: 'WXYZ' is not") for p in problems)
    assert any(
        p.startswith("header.csv, row 4, column UPN: 'X123' is not a valid UPN") for p in problems
    )
    assert any(
        p.startswith("episodes.csv, row 7, column PLACE: 'Q9' is not a PLACE") for p in problems
    )
    assert (
        "episodes.csv, row 8, column DECOM: '1/9/2025' is not a date in the form dd/mm/yyyy"
        in problems
    )
    assert (
        "episodes.csv, row 8, column PL_POST: 'ZZZ' is not a postcode district like LS6 or M1"
        in problems
    )
    assert caught.value.message.startswith("Nothing was imported")
    assert Child.objects.count() == 0
    assert LegalStatus.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import_903").exists()


def test_overlapping_episodes_and_episodes_outside_childhood_are_refused(
    council: Organisation, tmp_path: Path
) -> None:
    episodes = EPISODES + (
        "B200,01/11/2024,P,V2,N4,U4,PR1,,,,,,\n"  # overlaps row 5 (to 01/12/2024)
        "A100,01/01/2009,S,C2,N1,U6,PR1,02/01/2009,E8,,,,\n"  # before birth
    )

    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(CLI, council, *write(tmp_path, episodes=episodes))

    problems = [str(p) for p in caught.value.problems]
    assert (
        "episodes.csv, row 6, column DECOM: Starts (01/11/2024) before CHILD B200's episode on "
        "row 5 ends (01/12/2024): episodes cannot overlap" in problems
    )
    assert (
        "episodes.csv, row 7, column DECOM: The episode starts (01/01/2009) on or before the "
        "child's date of birth (03/07/2010)" in problems
    )
    assert Child.objects.count() == 0


def test_care_still_open_after_the_18th_birthday_is_refused(
    council: Organisation, tmp_path: Path
) -> None:
    header = HEADER.replace("B200,2,14/02/2011", "B200,2,14/02/2008")
    episodes = EPISODES.replace("01/12/2024,E13", ",")

    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(CLI, council, *write(tmp_path, header, episodes))

    assert [str(p) for p in caught.value.problems] == [
        "episodes.csv, row 5, column DEC: The episode has no end date but the child turned 18 "
        "on 14/02/2026, when care ends: give the date it ended and why (REC)"
    ]


def test_a_missing_column_names_the_file_and_what_was_found(
    council: Organisation, tmp_path: Path
) -> None:
    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(
            CLI, council, *write(tmp_path, header="CHILD,SEX,DOB\nA1,1,01/01/2012\n")
        )

    assert str(caught.value.problems[0]) == (
        "header.csv, row 1: Missing column ETHNIC (found: CHILD, SEX, DOB)"
    )


def test_an_existing_child_is_matched_by_the_councils_child_id(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    known = factories.ChildFactory(
        responsible_council=council, date_of_birth=date(2010, 7, 3), first_name="Tamsin"
    )
    ChildIdentifier.objects.create(child=known, organisation=council, value="A100")
    LegalStatus.objects.create(
        child=known, status=LegalStatusKind.CHILD_IN_NEED, start_date=date(2023, 1, 1)
    )

    result = services.import_903(CLI, council, *write(tmp_path))

    assert (result.children_created, result.children_matched) == (1, 1)
    known.refresh_from_db()
    assert known.first_name == "Tamsin"
    # The child in need status ended when care began.
    assert [
        (s.status, s.start_date, s.end_date) for s in known.legal_statuses.order_by("start_date")
    ] == [
        (LegalStatusKind.CHILD_IN_NEED, date(2023, 1, 1), date(2024, 1, 10)),
        (LegalStatusKind.LOOKED_AFTER, date(2024, 1, 10), None),
    ]


def test_a_child_whose_date_of_birth_differs_in_homeward_is_refused(
    council: Organisation, tmp_path: Path
) -> None:
    known = factories.ChildFactory(responsible_council=council, date_of_birth=date(2010, 7, 4))
    ChildIdentifier.objects.create(child=known, organisation=council, value="A100")

    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(CLI, council, *write(tmp_path))

    assert [str(p) for p in caught.value.problems] == [
        "header.csv, row 2, column DOB: Homeward already has CHILD A100 with date of birth "
        "04/07/2010, not 03/07/2010"
    ]
    assert Child.objects.count() == 1  # B200 was not kept either


def test_a_period_of_care_overlapping_homewards_own_record_is_refused(
    council: Organisation, tmp_path: Path
) -> None:
    known = factories.ChildFactory(responsible_council=council, date_of_birth=date(2011, 2, 14))
    ChildIdentifier.objects.create(child=known, organisation=council, value="B200")
    LegalStatus.objects.create(
        child=known,
        status=LegalStatusKind.CHILD_PROTECTION,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 6, 1),
    )

    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(CLI, council, *write(tmp_path))

    assert [str(p) for p in caught.value.problems] == [
        "episodes.csv, row 5, column DECOM: Homeward already records CHILD B200 as child "
        "protection plan from 01/01/2024 to 01/06/2024, which overlaps this period of care "
        "(01/05/2023 to 01/12/2024): correct one of them first"
    ]
    assert Child.objects.count() == 1
    assert Placement.objects.count() == 0


def test_the_import_is_one_audit_event_by_the_command_line(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    before = AuditEvent.objects.count()

    services.import_903(CLI, council, *write(tmp_path))

    new = AuditEvent.objects.filter(sequence__gt=before)
    assert [(e.action, e.channel, e.user_id) for e in new] == [("import_903", "cli", None)]
    assert new[0].details["children_created"] == 2


def test_a_practitioner_from_another_council_may_not_import(
    council: Organisation, tmp_path: Path
) -> None:
    stranger = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
    with pytest.raises(AccessDenied):
        services.import_903(stranger, council, *write(tmp_path))


def test_the_command_lists_every_problem_and_fails(council: Organisation, tmp_path: Path) -> None:
    header, episodes = write(tmp_path, episodes=EPISODES + "Z999,01/01/2020,S,C2,N1,K2,PR1,,,,,,\n")
    err = StringIO()

    with pytest.raises(CommandError, match="Nothing was imported: 1 problem found"):
        call_command("import_903", str(header), str(episodes), council="714", stderr=err)

    assert "episodes.csv, row 6, column CHILD: CHILD Z999 is not in header.csv" in err.getvalue()


def test_the_command_imports_and_says_so_then_says_nothing_changed(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    header, episodes = write(tmp_path)
    out = StringIO()
    call_command("import_903", str(header), str(episodes), council="714", stdout=out)
    assert "2 children created, 0 matched" in out.getvalue()

    out = StringIO()
    call_command("import_903", str(header), str(episodes), council="714", stdout=out)
    assert "Nothing changed" in out.getvalue()


class TestCareCannotEndWhileTheChildIsMissing:
    """Rule 577, refused on import as it is when care is ended in the service: the row with
    the DEC, the episode, and the date care may end."""

    HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA100,1,03/07/2010,WBRI,UN1,,\n"

    @pytest.fixture
    def known(self, council: Organisation) -> Child:
        child = factories.ChildFactory(responsible_council=council, date_of_birth=date(2010, 7, 3))
        ChildIdentifier.objects.create(child=child, organisation=council, value="A100")
        LegalStatus.objects.create(
            child=child, status=LegalStatusKind.LOOKED_AFTER, start_date=date(2024, 1, 10)
        )
        return child

    @pytest.fixture
    def worker(self, council: Organisation) -> Actor:
        return factories.actor(Role.SOCIAL_WORKER, council)

    def episodes(self, dec: str) -> str:
        return (
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
            f"PL_POST,URN\nA100,10/01/2024,S,C2,N1,U6,PR1,{dec},E4A,,QM1,QM1,\n"
        )

    def test_care_ending_while_the_child_is_missing_now_is_refused(
        self, known: Child, worker: Actor, tmp_path: Path
    ) -> None:
        episode = report_and_return(worker, known, "2026-05-10 18:00", None)

        with pytest.raises(services.ImportRejected) as caught:
            services.import_903(
                CLI,
                known.responsible_council,
                *write(tmp_path, self.HEADER, self.episodes("14/05/2026")),
            )

        assert [str(p) for p in caught.value.problems] == [
            f"episodes.csv, row 2, column DEC: CHILD A100 has been missing since 10 May 2026 "
            f"(episode {episode.reference}): care cannot end while a child is missing, so record "
            "their return in Homeward before importing care that ends on 14/05/2026"
        ]
        assert [s.end_date for s in known.legal_statuses.all()] == [None]
        assert not Ssda903Episode.objects.exists()

    def test_care_ending_on_a_day_the_child_was_away_is_refused(
        self, known: Child, worker: Actor, tmp_path: Path
    ) -> None:
        episode = report_and_return(worker, known, "2026-04-01 18:00", "2026-04-06 10:00")

        with pytest.raises(services.ImportRejected) as caught:
            services.import_903(
                CLI,
                known.responsible_council,
                *write(tmp_path, self.HEADER, self.episodes("03/04/2026")),
            )

        assert [str(p) for p in caught.value.problems] == [
            f"episodes.csv, row 2, column DEC: CHILD A100 was missing from 1 April 2026 to "
            f"6 April 2026 (episode {episode.reference}): care cannot end while a child is "
            "missing, so give a DEC on or after 06/04/2026"
        ]
        assert [s.end_date for s in known.legal_statuses.all()] == [None]

    def test_care_may_end_the_day_the_child_came_back(
        self, known: Child, worker: Actor, tmp_path: Path
    ) -> None:
        report_and_return(worker, known, "2026-04-01 18:00", "2026-04-06 10:00")

        services.import_903(
            CLI,
            known.responsible_council,
            *write(tmp_path, self.HEADER, self.episodes("06/04/2026")),
        )

        assert [s.end_date for s in known.legal_statuses.all()] == [date(2026, 4, 6)]


def test_the_figures_count_what_the_import_changed(
    council: Organisation, home: Organisation, tmp_path: Path
) -> None:
    """A child known to Homeward as in need went missing; the 903 file says they were
    looked after then: once imported, the figures count a looked-after child's episode,
    and every figure equals a recount from the records."""
    known = factories.ChildFactory(responsible_council=council, date_of_birth=date(2010, 7, 3))
    ChildIdentifier.objects.create(child=known, organisation=council, value="A100")
    LegalStatus.objects.create(
        child=known, status=LegalStatusKind.CHILD_IN_NEED, start_date=date(2023, 1, 1)
    )
    worker = factories.actor(Role.SOCIAL_WORKER, council)
    episode = report_and_return(worker, known, "2025-06-10 18:00", "2025-06-11 09:00")
    fact = EpisodeFact.objects.get(episode_id=episode.pk)
    assert fact.legal_status == LegalStatusKind.CHILD_IN_NEED

    services.import_903(CLI, council, *write(tmp_path))

    fact.refresh_from_db()
    assert fact.legal_status == LegalStatusKind.LOOKED_AFTER
    assert recount.assert_figures_are_a_recount() == 1
