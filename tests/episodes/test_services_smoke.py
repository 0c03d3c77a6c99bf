from homeward.episodes.models import EpisodeStatus
from tests.factories import report


def test_social_worker_reports_and_police_then_see_it(social_worker, child, police_officer):
    episode = report(social_worker, child)
    assert episode.status == EpisodeStatus.MISSING
    assert episode.police_force == child.responsible_council.police_force
