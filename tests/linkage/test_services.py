"""Linking two records as one child, unlinking them, and the review queue's decisions."""

from __future__ import annotations

import pytest

from homeward.audit.models import AuditEvent
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.events.models import DomainEvent
from homeward.linkage import services
from homeward.linkage.models import MatchCandidate, RecordLink
from homeward.organisations.models import Organisation, Role
from tests import factories
from tests.linkage.conftest import EVIDENCE


def queued(left: Child, right: Child, probability: float = 0.9) -> MatchCandidate:
    candidate = services.queue_match(
        left.pk,
        right.pk,
        probability=probability,
        match_weight=6.0,
        evidence=EVIDENCE,
        source=MatchCandidate.Source.RUN,
    )
    assert candidate is not None
    return candidate


def person(record: Child) -> int:
    return Child.objects.values_list("person_id", flat=True).get(pk=record.pk)


class TestLink:
    def test_deciding_same_makes_both_records_one_person(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        candidate = queued(child, police_record)
        services.decide_match(coordinator, candidate.pk, same=True, reason="Same NHS number")
        assert (
            person(child)
            == person(police_record)
            == min(child.own_person_id, police_record.own_person_id)
        )
        link = RecordLink.objects.get()
        assert (link.linked_by, link.reason, link.evidence) == (
            coordinator.user,
            "Same NHS number",
            EVIDENCE,
        )
        candidate.refresh_from_db()
        assert candidate.status == MatchCandidate.Status.SAME
        assert AuditEvent.objects.filter(action="link_records").count() == 1
        assert DomainEvent.objects.filter(name="person.records_linked").count() == 1

    def test_each_record_keeps_its_own_data(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        before = {c.pk: (c.first_name, c.responsible_council_id) for c in (child, police_record)}
        services.decide_match(
            coordinator, queued(child, police_record).pk, same=True, reason="Same child"
        )
        after = {
            c.pk: (c.first_name, c.responsible_council_id)
            for c in Child.objects.filter(pk__in=before)
        }
        assert after == before

    def test_a_council_holding_neither_record_cannot_see_the_pair(
        self, child: Child, police_record: Child
    ) -> None:
        stranger = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
        with pytest.raises(NotFound):
            services.decide_match(
                stranger, queued(child, police_record).pk, same=True, reason="Looks alike"
            )
        assert person(child) != person(police_record)

    def test_a_social_worker_may_not_decide(
        self, social_worker: Actor, child: Child, police_record: Child
    ) -> None:
        with pytest.raises(AccessDenied):
            services.decide_match(
                social_worker, queued(child, police_record).pk, same=True, reason="Same"
            )

    def test_a_person_cannot_link_a_record_they_could_not_see_without_a_candidate(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        with pytest.raises(NotFound):
            services.link_records(coordinator, child.pk, police_record.pk, reason="Mine")
        assert not RecordLink.objects.exists()

    def test_a_reason_is_needed(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        with pytest.raises(ValidationFailed) as raised:
            services.decide_match(
                coordinator, queued(child, police_record).pk, same=True, reason=" "
            )
        assert raised.value.errors == {"reason": ["Say why you decided this"]}

    def test_a_stale_decision_is_refused(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        candidate = queued(child, police_record)
        services.decide_match(coordinator, candidate.pk, same=False, reason="Different mother")
        with pytest.raises(Exception, match="decided this pair"):
            services.decide_match(
                coordinator, candidate.pk, same=True, reason="Same", version=candidate.version
            )


class TestUnlink:
    def test_unlinking_restores_both_records_exactly(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        before = {c.pk: c.person_id for c in (child, police_record)}
        services.decide_match(coordinator, queued(child, police_record).pk, same=True, reason="x")
        changed = services.unlink_record(coordinator, police_record.pk, reason="Twin sister")
        assert {c.pk: c.person_id for c in Child.objects.filter(pk__in=before)} == before
        assert changed == [max(before, key=lambda pk: before[pk])]
        link = RecordLink.objects.get()
        assert (link.unlinked_by, link.unlink_reason) == (coordinator.user, "Twin sister")
        assert AuditEvent.objects.filter(action="unlink_record").count() == 1

    def test_an_unlinked_pair_is_not_linked_again_by_a_run(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        services.decide_match(coordinator, queued(child, police_record).pk, same=True, reason="x")
        services.unlink_record(coordinator, child.pk, reason="Different children")
        assert (
            services.queue_match(
                child.pk,
                police_record.pk,
                probability=0.95,
                match_weight=7,
                evidence=[],
                source=MatchCandidate.Source.RUN,
            )
            is None
        )
        with pytest.raises(ValidationFailed):
            services.link_records(
                Actor.system(), child.pk, police_record.pk, reason="Run", automatic=True
            )
        assert person(child) != person(police_record)

    def test_unlinking_the_middle_of_a_chain_separates_all_three(
        self, coordinator: Actor, child: Child, police_record: Child, council: Organisation
    ) -> None:
        third = factories.ChildFactory(responsible_council=council)
        for a, b in ((child, police_record), (police_record, third)):
            services.link_records(Actor.system(), a.pk, b.pk, reason="Run", automatic=True)
        assert len({person(c) for c in (child, police_record, third)}) == 1
        services.unlink_record(coordinator, police_record.pk, reason="Not the same")
        assert [person(c) for c in (child, police_record, third)] == [
            c.own_person_id for c in (child, police_record, third)
        ]

    def test_a_record_that_is_not_linked_cannot_be_unlinked(
        self, coordinator: Actor, child: Child
    ) -> None:
        with pytest.raises(ValidationFailed):
            services.unlink_record(coordinator, child.pk, reason="x")


class TestQueue:
    def test_a_pair_decided_not_same_stays_decided(
        self, coordinator: Actor, child: Child, police_record: Child
    ) -> None:
        candidate = queued(child, police_record)
        services.decide_match(coordinator, candidate.pk, same=False, reason="Different school")
        assert (
            services.queue_match(
                police_record.pk,
                child.pk,
                probability=0.99,
                match_weight=9,
                evidence=[],
                source=MatchCandidate.Source.RUN,
            )
            is None
        )
        assert services.decided_pairs() == (set(), {services.ordered(child.pk, police_record.pk)})

    def test_a_waiting_pair_takes_the_new_scores(self, child: Child, police_record: Child) -> None:
        first = queued(child, police_record, probability=0.85)
        again = queued(police_record, child, probability=0.91)
        assert again.pk == first.pk
        assert MatchCandidate.objects.get().probability == 0.91


class TestOneChildMissingOnce:
    def test_a_report_from_either_record_meets_the_childs_open_episode(
        self, coordinator: Actor, child: Child, police_record: Child, police_officer: Actor
    ) -> None:
        from homeward.episodes.models import Episode, TimelineKind

        episode = factories.report(police_officer, police_record)
        services.decide_match(
            coordinator, queued(child, police_record).pk, same=True, reason="Same child"
        )
        again = factories.report(coordinator, child, hours_ago=2)
        assert again.pk == episode.pk
        assert Episode.objects.filter(child__person_id=child.person_id).count() == 1
        assert episode.timeline.filter(kind=TimelineKind.FURTHER_REPORT).count() == 1
