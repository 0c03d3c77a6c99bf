"""Faults the DfE's SSDA903 rules would reject are refused when they are entered, with a
message that says what is wrong, and nothing is saved."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from homeward.children import services as children
from homeward.children.codes import LegalStatusKind
from homeward.children.models import Child, LegalStatus
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.episodes import services as episodes
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation
from tests import factories
from tests.interchange.conftest import at, report_and_return

pytestmark = pytest.mark.usefixtures("pinned")
LAC, CIN = LegalStatusKind.LOOKED_AFTER, LegalStatusKind.CHILD_IN_NEED


@pytest.fixture
def in_care(council: Organisation) -> Child:
    child = factories.ChildFactory(responsible_council=council, date_of_birth=date(2011, 3, 3))
    LegalStatus.objects.create(child=child, status=LAC, start_date=date(2024, 1, 1))
    return child


class TestCareCannotEndWhileTheChildIsMissing:
    """Rule 577: child ceased to be looked after but a missing period has no end date."""

    def test_ending_care_while_the_child_is_missing_now_is_refused(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        episode = report_and_return(social_worker, in_care, "2026-05-10 18:00", None)

        with pytest.raises(ValidationFailed) as caught:
            children.set_legal_status(social_worker, in_care, CIN, date(2026, 5, 14))

        assert caught.value.errors == {
            "start_date": [
                f"{in_care.full_name} has been missing since 10 May 2026 (episode "
                f"{episode.reference}): record their return before ending their care"
            ]
        }
        assert [(s.status, s.end_date) for s in in_care.legal_statuses.all()] == [(LAC, None)]

    def test_ending_care_on_a_day_the_child_was_away_is_refused(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        report_and_return(social_worker, in_care, "2026-04-01 18:00", "2026-04-06 10:00")

        with pytest.raises(ValidationFailed, match=r"give a date on or after 06/04/2026"):
            children.set_legal_status(social_worker, in_care, CIN, date(2026, 4, 3))

        assert in_care.legal_statuses.get().end_date is None

    def test_care_may_end_the_day_the_child_came_back(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        report_and_return(social_worker, in_care, "2026-04-01 18:00", "2026-04-06 10:00")

        children.set_legal_status(social_worker, in_care, CIN, date(2026, 4, 6))

        assert in_care.legal_statuses.get(status=LAC).end_date == date(2026, 4, 6)

    def test_a_change_between_two_kinds_of_care_is_not_an_ending(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        report_and_return(social_worker, in_care, "2026-05-10 18:00", None)

        children.set_legal_status(social_worker, in_care, LAC, date(2026, 5, 14))

        assert in_care.legal_statuses.count() == 2


class TestAnEpisodeBelongsToAChild:
    def test_last_seen_on_the_day_of_birth_is_refused(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        """Rule 586: a missing period starts on or before the date of birth."""
        baby = factories.ChildFactory(responsible_council=council, date_of_birth=date(2026, 5, 1))

        with pytest.raises(ValidationFailed) as caught:
            report_and_return(social_worker, baby, "2026-05-01 20:00", None)

        assert caught.value.errors["last_seen_at"] == [
            "Last seen must be after the child's date of birth"
        ]
        assert not Episode.objects.exists()

    def test_an_episode_cannot_start_on_or_after_the_18th_birthday(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        """Rule 580's situation: a child missing when care ends at 18. Homeward records
        children, so the episode must start before the birthday; one still open on it is
        ended there in the SSDA903 export (REC E8)."""
        adult = factories.ChildFactory(responsible_council=council, date_of_birth=date(2008, 5, 12))

        with pytest.raises(ValidationFailed) as caught:
            report_and_return(social_worker, adult, "2026-05-12 09:00", None)

        assert caught.value.errors["last_seen_at"] == [
            "The child turned 18 on 12 May 2026: Homeward records children, so an episode "
            "cannot start on or after their 18th birthday"
        ]
        assert not Episode.objects.exists()
        report_and_return(social_worker, adult, "2026-05-11 23:00", None)  # the day before


class TestOneEpisodeAtATime:
    """Rule 574: missing periods of one child must not overlap."""

    def test_moving_last_seen_back_into_an_earlier_episode_is_refused(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        first = report_and_return(social_worker, in_care, "2026-05-01 18:00", "2026-05-03 10:00")
        second = report_and_return(social_worker, in_care, "2026-05-10 18:00", None)

        with pytest.raises(ValidationFailed) as caught:
            episodes.update_episode(
                social_worker,
                second.reference,
                second.version,
                {"last_seen_at": at("2026-05-02 12:00")},
            )

        assert caught.value.errors["last_seen_at"] == [
            f"This overlaps episode {first.reference} (last seen 1 May 2026 at 18:00, returned "
            "3 May 2026 at 10:00): a child can only be missing once at a time"
        ]
        second.refresh_from_db()
        assert timezone.localtime(second.last_seen_at) == at("2026-05-10 18:00")

    def test_moving_last_seen_back_to_just_after_the_return_is_allowed(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        report_and_return(social_worker, in_care, "2026-05-01 18:00", "2026-05-03 10:00")
        second = report_and_return(social_worker, in_care, "2026-05-10 18:00", None)

        episodes.update_episode(
            social_worker, second.reference, None, {"last_seen_at": at("2026-05-03 10:30")}
        )

        second.refresh_from_db()
        assert timezone.localtime(second.last_seen_at) == at("2026-05-03 10:30")
        assert second.version == 2
        assert Episode.objects.count() == 2

    def test_reporting_a_past_episode_inside_a_returned_one_is_refused(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        first = report_and_return(social_worker, in_care, "2026-05-01 18:00", "2026-05-03 10:00")

        with pytest.raises(ValidationFailed, match=f"This overlaps episode {first.reference}"):
            report_and_return(social_worker, in_care, "2026-05-02 08:00", None)

        assert Episode.objects.count() == 1

    def test_an_episode_cannot_be_moved_before_the_child_was_born(
        self, social_worker: Actor, in_care: Child
    ) -> None:
        episode = report_and_return(social_worker, in_care, "2026-05-10 18:00", None)
        with pytest.raises(ValidationFailed, match="Last seen must be after the child's date"):
            episodes.update_episode(
                social_worker,
                episode.reference,
                None,
                {"last_seen_at": at("2011-03-03 10:00")},
            )
        assert Episode.objects.get().last_seen_at > at("2026-01-01 00:00")
