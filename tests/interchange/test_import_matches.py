"""An import looks for each child it creates, with a name, among every other agency's
records: likely matches go to the review queue, and the children can be found before
anyone adds them again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from homeward.children.models import ChildIdentifier
from homeward.core.actor import Actor
from homeward.interchange import services
from homeward.linkage import search
from homeward.linkage.models import MatchCandidate
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.interchange.test_import import CLI, write
from tests.linkage.helpers import held

pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def council(db: None) -> Organisation:
    return factories.CouncilFactory(code="714", police_force=factories.PoliceForceFactory())


def names(tmp_path: Path) -> Path:
    path = tmp_path / "names.csv"
    path.write_text(
        "CHILD,FIRST_NAME,LAST_NAME\nA100,Tamsin,Oakley\nB200,Precious,Adeyemi\n",
        encoding="utf-8",
    )
    return path


def test_a_child_the_police_already_recorded_is_queued_for_review(
    council: Organisation, tmp_path: Path
) -> None:
    force = factories.PoliceForceFactory()
    police_record = held("Tamsyn", "Oakley", date(2010, 7, 3), sex="1", added_by_organisation=force)

    result = services.import_903(CLI, council, *write(tmp_path), names=names(tmp_path))

    a100 = ChildIdentifier.objects.get(value="A100").child
    candidate = MatchCandidate.objects.get()
    assert {candidate.left_id, candidate.right_id} == {a100.pk, police_record.pk}
    assert candidate.source == MatchCandidate.Source.IMPORT
    assert candidate.probability > 0.5
    assert {e["label"] for e in candidate.evidence} >= {"Date of birth matches"}
    assert all(set(e) == {"field", "label", "level", "weight"} for e in candidate.evidence)
    assert result.matches_queued == 1
    assert "1 likely matches with other records queued for review" in result.summary()


def test_imported_children_are_found_before_anyone_adds_them_again(
    council: Organisation, tmp_path: Path
) -> None:
    services.import_903(CLI, council, *write(tmp_path), names=names(tmp_path))
    handler = Actor.for_user(
        factories.member(Role.POLICE_CALL_HANDLER, factories.PoliceForceFactory())
    )
    found = search.find(
        handler,
        search.Query(
            first_name="Presious",
            last_name="Adeyemi",
            other_names=[],
            date_of_birth=date(2011, 2, 14),
        ),
    )
    b200 = ChildIdentifier.objects.get(value="B200").child
    assert [m.child_id for m in found] == [b200.pk]
    assert found[0].held_by == council.name


def test_children_without_names_are_not_queued_against_each_other(
    council: Organisation, tmp_path: Path
) -> None:
    header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA100,1,03/07/2010,WBRI,UN1,,\n"
    other = factories.CouncilFactory(code="715", police_force=factories.PoliceForceFactory())
    services.import_903(CLI, council, *write(tmp_path, header=header, episodes=EPISODE))
    (tmp_path / "second").mkdir()
    services.import_903(CLI, other, *write(tmp_path / "second", header=header, episodes=EPISODE))
    assert not MatchCandidate.objects.exists()


EPISODE = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    "A100,10/01/2024,S,C2,N1,K2,PR1,,,,QM1,QE2,\n"
)
