"""``homeward link``: a council's CSV list linked against itself, and a run over the
database that links the sure pairs, queues the likely ones and respects decisions."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.children.models import Child
from homeward.core import clock
from homeward.linkage.models import LinkRun, MatchCandidate, RecordLink
from tests import factories

HEADER = "record_id,first_name,surname,other_names,dob,sex,postcode,nhs_number,upn,local_id\n"


def test_a_csv_list_is_linked_and_bad_rows_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        HEADER
        + "a,Elizabeth,Ashford,,2012-03-07,2,QA1 2BC,9990000018,,\n"
        + "b,Beth,Ashford,,2012-07-03,2,QA1,9990000018,,\n"
        + "c,Tomas,Brackley,,2010-05-20,1,QB2,,,\n"
        + ",No,Id,,2010-01-01,1,,,,\n"
        + "d,Bad,Date,,2010-13-40,1,,,,\n"
        + "e,Bad,Sex,,2010-01-01,X,,,,\n"
        + "f,Bad,Nhs,,2010-01-01,1,,9990000019,,\n"
        + "c,Again,Dup,,2010-01-01,1,,,,\n"
    )
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError, match="5 bad rows"):
        call_command("link", "--input", str(source), "--output", str(target))
    rows = {r["record_id"]: r for r in csv.DictReader(target.open())}
    assert set(rows) == {"a", "b", "c"}
    assert rows["a"]["person_id"] == rows["b"]["person_id"] != rows["c"]["person_id"]
    assert float(rows["a"]["match_probability"]) > 0.99
    assert "nhs_number" in rows["a"]["grounds"].split()
    assert "Ashford" not in target.read_text()  # grounds are fields, never values


def test_bad_rows_are_named_by_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "a,A,B,,2010-02-30,1,,,,\n")
    with pytest.raises(CommandError):
        call_command("link", "--input", str(source), "--output", str(tmp_path / "o.csv"))
    assert "row 2, dob: not a date" in capsys.readouterr().err


def _child(first: str, nhs: str) -> Child:
    child = factories.ChildFactory(
        first_name=first, last_name="Ashford", date_of_birth=date(2012, 3, 7), nhs_number=nhs
    )
    return child


@pytest.mark.django_db
def test_a_run_links_sure_pairs_and_respects_a_not_same_decision() -> None:
    a = _child("Elizabeth", "9990000018")
    b = _child("Elizabeth", "9990000018")
    c = _child("Rosina", "")
    d = _child("Rosina", "")
    MatchCandidate.objects.create(
        left_id=min(c.pk, d.pk), right_id=max(c.pk, d.pk), probability=0.9, match_weight=3,
        source="run", status="not_same", found_at=clock.now(),
    )  # fmt: skip
    call_command("link")
    run = LinkRun.objects.get()
    assert run.status == "done"
    assert run.records == 4
    live = RecordLink.objects.filter(unlinked_at__isnull=True)
    assert {(x.left_id, x.right_id) for x in live} == {(min(a.pk, b.pk), max(a.pk, b.pk))}
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.person_id == b.person_id
    assert MatchCandidate.objects.get(left_id=min(c.pk, d.pk)).status == "not_same"
