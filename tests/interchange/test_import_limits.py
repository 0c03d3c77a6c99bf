"""An SSDA903 file with a value far too long for any 903 column (Python's csv module
refuses a field over 128 KiB): the import says which file, row and column, and stops
cleanly, with nothing saved and no traceback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from homeward.children.models import Child
from homeward.interchange import services
from homeward.organisations.models import Organisation
from tests import factories
from tests.interchange.test_import import CLI, EPISODES, HEADER, write

pytestmark = pytest.mark.usefixtures("pinned")

HUGE = "Z" * (5 * 1024 * 1024)


@pytest.fixture
def council(db: None) -> Organisation:
    return factories.CouncilFactory(code="714", police_force=factories.PoliceForceFactory())


def test_a_five_megabyte_value_is_a_row_and_column_problem(
    council: Organisation, tmp_path: Path
) -> None:
    lines = EPISODES.splitlines()
    fields = lines[2].split(",")
    fields[6] = HUGE  # PLACE_PROVIDER
    episodes = "\n".join([*lines[:2], ",".join(fields), *lines[3:]]) + "\n"

    with pytest.raises(services.ImportRejected) as caught:
        services.import_903(CLI, council, *write(tmp_path, episodes=episodes))

    [problem] = [p for p in caught.value.problems if p.file == "episodes.csv"]
    assert (problem.row, problem.column) == (3, "PLACE_PROVIDER")
    assert "more than 131,072 characters" in problem.message
    assert len(str(problem)) < 300
    assert Child.objects.count() == 0


def test_the_command_lists_it_and_fails_without_a_traceback(
    council: Organisation, tmp_path: Path
) -> None:
    header = HEADER + f'C300,1,03/07/2010,"{HUGE}",,,\n'
    paths = write(tmp_path, header=header)
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_903", *map(str, paths), "--council", "714", stderr=err)
    assert "header.csv, row 4, column ETHNIC: This value is more than" in err.getvalue()
    assert Child.objects.count() == 0
