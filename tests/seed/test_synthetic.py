"""``homeward generate``: deterministic, shaped like the national figures, and every row
keeps the rules the services keep."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from homeward.aftercare.models import CheckStatus, InterviewStatus, ReturnInterview
from homeward.audit.models import AuditEvent
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child
from homeward.children.services import eighteenth_birthday
from homeward.core.actor import CHANNEL_CLI, Actor
from homeward.episodes.models import Episode, EpisodeStatus, TimelineKind
from homeward.interchange import services
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.seed import synthetic
from homeward.seed.synthetic import GenerateResult
from tests.factories import returned_at
from tests.insights import recount
from tests.interchange.conftest import NOW, YEAR, run_validator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned")]


class Rollback(Exception):
    pass


def digest() -> list[tuple[object, ...]]:
    return list(
        Episode.objects.order_by("pk").values_list(
            "reference",
            "child__first_name",
            "child__last_name",
            "child__date_of_birth",
            "last_seen_at",
            "returned_at",
            "classification",
            "status",
        )
    )


def generated(seed: int, episodes: int = 300) -> list[tuple[object, ...]]:
    try:
        with transaction.atomic():
            synthetic.generate(episodes=episodes, seed=seed, councils=2, now=NOW)
            rows = digest()
            raise Rollback
    except Rollback:
        return rows


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    first = generated(5)
    assert len(first) == 300
    assert generated(5) == first
    assert generated(6) != first


@pytest.fixture
def made() -> GenerateResult:
    return synthetic.generate(episodes=3000, seed=11, councils=3, years=2, now=NOW)


def test_sizes_and_organisations(made: GenerateResult) -> None:
    assert made.episodes == Episode.objects.count() == 3000
    assert Organisation.objects.filter(kind=OrganisationKind.COUNCIL).count() == 3
    assert Organisation.objects.filter(kind=OrganisationKind.POLICE).count() == 1
    codes = set(
        Organisation.objects.filter(kind=OrganisationKind.COUNCIL).values_list("code", flat=True)
    )
    assert codes == {"101", "102", "103"}  # no real council has these LA numbers
    load = AuditEvent.objects.get(action="generate")
    assert (load.channel, load.details["seed"], load.details["episodes"]) == ("cli", 11, 3000)


def test_every_row_keeps_the_services_rules(made: GenerateResult) -> None:
    now = NOW
    by_child: dict[int, list[Episode]] = defaultdict(list)
    episodes = Episode.objects.select_related("child").prefetch_related(
        "classification_history",
        "risk_history",
        "timeline",
        "return_interviews",
        "child__legal_statuses",
    )
    for episode in episodes:
        by_child[episode.child_id].append(episode)
        child = episode.child
        seen = timezone.localtime(episode.last_seen_at).date()
        assert child.date_of_birth < seen < eighteenth_birthday(child.date_of_birth)
        assert episode.last_seen_at <= episode.reported_at <= now
        if episode.classification == "A" or any(
            c.classification == "A" for c in episode.classification_history.all()
        ):
            assert child.legal_status_on(seen) == LegalStatusKind.LOOKED_AFTER
        assert episode.classification_history.all()[0].reason == "Initial report"
        assert episode.risk_history.count() == 1
        kinds = [t.kind for t in episode.timeline.all()]
        assert kinds[0] == TimelineKind.REPORT
        if episode.status == EpisodeStatus.MISSING:
            assert episode.returned_at is None
            assert episode.closed_at is None
            continue
        assert episode.last_seen_at <= returned_at(episode) <= now
        assert TimelineKind.RETURN in kinds
        interviews = list(episode.return_interviews.all())
        assert len(interviews) == 1
        assert interviews[0].child_id == child.pk
        if episode.status == EpisodeStatus.CLOSED:
            # Closed only once the check and the interview are recorded.
            assert episode.closed_at is not None
            assert interviews[0].closed_at is not None
            assert episode.safe_and_well_check.recorded_at <= episode.closed_at <= now
            assert interviews[0].status in {
                InterviewStatus.DONE,
                InterviewStatus.DECLINED,
                InterviewStatus.NOT_OFFERED,
            }
            assert interviews[0].closed_at <= episode.closed_at
            assert kinds[-1] == TimelineKind.CLOSE
    for child_episodes in by_child.values():
        ordered = sorted(child_episodes, key=lambda e: e.last_seen_at)
        assert sum(e.status == EpisodeStatus.MISSING for e in ordered) <= 1
        for before, after in itertools.pairwise(ordered):
            assert before.returned_at is not None, "only a child's last episode may be open"
            assert before.returned_at < after.last_seen_at, "episodes of a child overlap"
    for child in Child.objects.all():
        assert child.age_on(now.date()) < 18


def test_the_shape_follows_the_national_figures(made: GenerateResult) -> None:
    episodes = list(Episode.objects.all())
    returned = [e for e in episodes if e.returned_at is not None]
    short = sum(returned_at(e) - e.last_seen_at <= timedelta(hours=48) for e in returned)
    assert short / len(returned) > 0.85  # "90% lasting 2 days or less"
    per_child = Counter(e.child_id for e in episodes)
    assert 6.0 < len(episodes) / len(per_child) < 7.6  # 6.8 per child who went missing
    top = sorted(per_child.values(), reverse=True)[: max(1, len(per_child) // 10)]
    assert sum(top) / len(episodes) > 0.4  # repeat missing concentrated in few children
    assert sum(n == 1 for n in per_child.values()) / len(per_child) > 0.3
    classes = Counter(e.classification for e in episodes)
    assert classes["M"] / len(episodes) > 0.7
    assert classes["A"] > 0
    assert 0 < sum(e.status == EpisodeStatus.MISSING for e in episodes) < len(episodes) * 0.02
    checks = Counter(
        e.safe_and_well_check.status for e in returned if hasattr(e, "safe_and_well_check")
    )
    assert checks[CheckStatus.DONE] / len(returned) > 0.8
    done = ReturnInterview.objects.filter(status=InterviewStatus.DONE)
    in_time = sum(bool(i.within_72_hours) for i in done) / done.count()
    assert 0.55 < in_time < 0.72  # about 63% within 72 hours


def test_a_generated_councils_return_passes_the_dfe_missing_rules(
    made: GenerateResult, tmp_path: Path
) -> None:
    council = Organisation.objects.get(kind=OrganisationKind.COUNCIL, code="101")
    cli = Actor(user=None, membership=None, channel=CHANNEL_CLI)
    export = services.export_903(cli, council, YEAR, tmp_path)
    assert len(export.missing) > 50

    report = run_validator(tmp_path, YEAR)

    assert report["failed"] == []
    assert report["errors"] == []


def test_the_figures_are_a_recount_from_the_generated_records(made: GenerateResult) -> None:
    """The load makes its statistics in its own transaction: no `homeward rebuild-facts`."""
    assert recount.assert_figures_are_a_recount() == 3000
    assert made.statistics_seconds > 0


def test_the_command_reports_its_speed_and_refuses_a_database_with_data() -> None:
    out = StringIO()
    call_command("generate", episodes=200, seed=2, stdout=out)
    assert "Generated 200 episodes" in out.getvalue()
    assert "episodes a second" in out.getvalue()
    assert "making their statistics" in out.getvalue()
    assert recount.assert_facts_and_totals_are_a_recount() == 200
    with pytest.raises(CommandError, match="generate into an empty database"):
        call_command("generate", episodes=10, seed=2)
    with pytest.raises(ValueError, match="--councils must be between 1 and 160"):
        synthetic.generate(episodes=10, seed=1, councils=0)
