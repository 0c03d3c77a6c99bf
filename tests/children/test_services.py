from datetime import date, timedelta
from typing import Any

import pytest

from homeward.audit.models import AuditEvent
from homeward.children import services, visibility
from homeward.children.codes import PlacementType
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.organisations import policy
from homeward.organisations.models import Organisation, Role
from tests import factories


def details(**overrides: Any) -> services.ChildDetails:
    values: dict[str, Any] = {
        "first_name": "Ardene",
        "last_name": "Wolvercote",
        "date_of_birth": clock.now().date() - timedelta(days=365 * 13),
        "sex": "2",
        "ethnicity": "WBRI",
    }
    values.update(overrides)
    return services.ChildDetails(**values)


class TestCreate:
    def test_council_creates_a_child_it_is_responsible_for(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        child = services.create_child(
            social_worker, details(aliases=["Dee"], agency_reference="CASE-77")
        )
        assert child.responsible_council == council
        assert list(child.aliases.values_list("name", flat=True)) == ["Dee"]
        assert child.identifiers.get().value == "CASE-77"
        assert AuditEvent.objects.filter(action="create", child_id=child.pk).exists()

    def test_bad_nhs_number_names_the_field_and_saves_nothing(self, social_worker: Actor) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.create_child(social_worker, details(nhs_number="9434765918"))
        assert "check digit" in error.value.errors["nhs_number"][0]
        assert not Child.objects.exists()

    def test_adults_and_the_unborn_are_refused(self, social_worker: Actor) -> None:
        today = clock.now().date()
        with pytest.raises(ValidationFailed) as error:
            services.create_child(
                social_worker, details(date_of_birth=today.replace(year=today.year - 18))
            )
        assert "under 18" in error.value.errors["date_of_birth"][0]
        with pytest.raises(ValidationFailed) as error:
            services.create_child(social_worker, details(date_of_birth=today + timedelta(days=1)))
        assert "past" in error.value.errors["date_of_birth"][0]

    def test_a_council_cannot_create_another_councils_child(self, social_worker: Actor) -> None:
        other = factories.CouncilFactory()
        with pytest.raises(ValidationFailed) as error:
            services.create_child(social_worker, details(responsible_council_id=other.pk))
        assert "responsible_council" in error.value.errors

    def test_care_staff_cannot_create_children(self, council: Organisation) -> None:
        staff = factories.actor(Role.CARE_STAFF, factories.CareProviderFactory())
        with pytest.raises(AccessDenied):
            services.create_child(staff, details(responsible_council_id=council.pk))


class TestSearch:
    def test_finds_by_name_alias_dob_and_identifier_only_among_visible(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        mine = services.create_child(
            social_worker,
            details(nhs_number="9434765919", aliases=["Tilly"], agency_reference="LA-4411"),
        )
        factories.ChildFactory(
            first_name="Ardene",
            last_name="Wolvercote",
            responsible_council=factories.CouncilFactory(),
        )
        for query in (
            "ardene wolver",
            "Tilly",
            mine.date_of_birth.strftime("%d/%m/%Y"),
            "943 476 5919",
            "LA-4411",
        ):
            assert services.search_children(social_worker, query) == [mine], query

    def test_each_result_is_an_audited_read(
        self, social_worker: Actor, council: Organisation
    ) -> None:
        children = factories.ChildFactory.create_batch(
            2, responsible_council=council, last_name="Fenby"
        )
        services.search_children(social_worker, "Fenby")
        audited = set(
            AuditEvent.objects.filter(action="search_result").values_list("child_id", flat=True)
        )
        assert audited == {c.pk for c in children}

    def test_empty_search_is_a_clear_error(self, social_worker: Actor) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.search_children(social_worker, "   ")
        assert "q" in error.value.errors

    def test_aggregate_roles_cannot_search(self, council: Organisation) -> None:
        factories.ChildFactory(responsible_council=council, last_name="Fenby")
        for role in (Role.BOARD_MEMBER, Role.NATIONAL_ANALYST):
            with pytest.raises(AccessDenied):
                services.search_children(factories.actor(role, council), "Fenby")


class TestPlacementsAndAccess:
    def test_a_move_ends_the_old_homes_access(self, council: Organisation) -> None:
        manager = factories.actor(Role.COUNCIL_MANAGER, council)
        old_home = factories.CareProviderFactory()
        new_home = factories.CareProviderFactory()
        host = factories.CouncilFactory()
        child = factories.ChildFactory(responsible_council=council)
        start = clock.now().date() - timedelta(days=100)
        services.start_placement(
            manager,
            child,
            placement_type=PlacementType.K2,
            host_council=host,
            start_date=start,
            provider=old_home,
            postcode_district="LS6",
        )
        old_staff = factories.actor(Role.CARE_STAFF, old_home)
        host_worker = factories.actor(Role.SOCIAL_WORKER, host)
        assert visibility.can(old_staff, policy.Action.SEE_IDENTITY, child)
        assert visibility.can(host_worker, policy.Action.SEE_IDENTITY, child)

        services.start_placement(
            manager,
            child,
            placement_type=PlacementType.U4,
            host_council=council,
            start_date=start + timedelta(days=50),
            provider=new_home,
        )
        child.refresh_from_db()
        assert not visibility.can(old_staff, policy.Action.SEE_IDENTITY, child)
        assert not visibility.can(host_worker, policy.Action.SEE_IDENTITY, child)
        assert visibility.can(
            factories.actor(Role.CARE_STAFF, new_home), policy.Action.SEE_IDENTITY, child
        )
        first = child.placements.order_by("start_date").first()
        assert first.end_date == start + timedelta(days=50)

    def test_placement_rules(self, council: Organisation) -> None:
        manager = factories.actor(Role.COUNCIL_MANAGER, council)
        child = factories.ChildFactory(responsible_council=council)
        with pytest.raises(ValidationFailed) as error:
            services.start_placement(
                manager,
                child,
                placement_type="ZZ",
                host_council=council,
                start_date=clock.now().date() + timedelta(days=2),
                postcode_district="NOT A POSTCODE",
            )
        assert set(error.value.errors) == {"placement_type", "start_date", "postcode_district"}
        assert not child.placements.exists()

    def test_another_council_cannot_place_the_child(self, council: Organisation) -> None:
        child = factories.ChildFactory(responsible_council=council)
        stranger = factories.actor(Role.COUNCIL_MANAGER, factories.CouncilFactory())
        with pytest.raises(NotFound):
            services.start_placement(
                stranger,
                child,
                placement_type="K2",
                host_council=council,
                start_date=date(2025, 1, 1),
            )


def test_reading_a_child_is_audited(social_worker: Actor, child: Child) -> None:
    services.read_child(social_worker, child.pk)
    event = AuditEvent.objects.get(action="view", child_id=child.pk)
    assert (event.user, event.organisation, event.channel) == (
        social_worker.user,
        social_worker.organisation,
        "ui",
    )


# --- adding a child, then reporting them missing: one journey for whoever adds them --------


@pytest.fixture
def call_handler(police: Organisation) -> Actor:
    return factories.actor(Role.POLICE_CALL_HANDLER, police)


class TestAddThenReport:
    def test_a_call_handler_adds_a_child_and_reports_them_missing(
        self, call_handler: Actor, council: Organisation, police: Organisation
    ) -> None:
        child = services.create_child(
            call_handler, details(responsible_council_id=council.pk, agency_reference="NOM-1")
        )
        assert child.added_by_organisation == police
        assert not child.responsible_council_provisional
        # The force can open the record it has just made, and report the child.
        assert services.read_child(call_handler, child.pk) == child
        episode = factories.report(call_handler, child)
        assert episode.police_force == police
        create = AuditEvent.objects.get(action="create", child_id=child.pk)
        assert create.organisation == police
        assert create.details == {"responsible_council": council.pk, "provisional": False}

    def test_the_report_keeps_the_access_after_the_adding_window(
        self, monkeypatch: pytest.MonkeyPatch, call_handler: Actor, council: Organisation
    ) -> None:
        child = services.create_child(call_handler, details(responsible_council_id=council.pk))
        factories.report(call_handler, child)
        later = clock.now() + policy.ADDED_CHILD_ACCESS + timedelta(hours=1)
        monkeypatch.setattr(clock, "now", lambda: later)
        assert visibility.can(call_handler, policy.Action.REPORT, child)

    def test_without_a_report_the_adding_access_ends(
        self, monkeypatch: pytest.MonkeyPatch, call_handler: Actor, council: Organisation
    ) -> None:
        child = services.create_child(call_handler, details(responsible_council_id=council.pk))
        assert services.access_from_adding_ends(child) == (
            child.created_at + policy.ADDED_CHILD_ACCESS
        )
        later = clock.now() + policy.ADDED_CHILD_ACCESS + timedelta(minutes=1)
        monkeypatch.setattr(clock, "now", lambda: later)
        with pytest.raises(NotFound):
            services.read_child(call_handler, child.pk)
        # The council still sees its child.
        assert visibility.can(
            factories.actor(Role.SOCIAL_WORKER, council), policy.Action.SEE_IDENTITY, child
        )

    def test_adding_a_child_opens_no_other_child_to_the_force(
        self, call_handler: Actor, council: Organisation
    ) -> None:
        neighbour = factories.ChildFactory(responsible_council=council)
        services.create_child(call_handler, details(responsible_council_id=council.pk))
        assert not visibility.can(call_handler, policy.Action.SEE_IDENTITY, neighbour)
        assert neighbour not in services.search_children(call_handler, neighbour.last_name)
        # Another force's call handler gets nothing from this force's addition.
        other = factories.actor(Role.POLICE_CALL_HANDLER, factories.PoliceForceFactory())
        assert not visibility.visible_children(other).exists()


class TestResponsibleCouncilNotKnown:
    def test_the_forces_only_council_holds_the_record_provisionally(
        self, call_handler: Actor, council: Organisation
    ) -> None:
        child = services.create_child(call_handler, details(responsible_council_not_known=True))
        assert child.responsible_council == council
        assert child.responsible_council_provisional
        event = AuditEvent.objects.get(action="create", child_id=child.pk)
        assert event.details == {"responsible_council": council.pk, "provisional": True}

    def test_a_force_covering_several_councils_is_asked_which_area(
        self, call_handler: Actor, police: Organisation
    ) -> None:
        council = factories.CouncilFactory(police_force=police)
        other = factories.CouncilFactory(police_force=police)
        with pytest.raises(ValidationFailed) as error:
            services.create_child(call_handler, details(responsible_council_not_known=True))
        assert "whose area the child is in now" in error.value.errors["area_council"][0]
        child = services.create_child(
            call_handler, details(responsible_council_not_known=True, area_council_id=other.pk)
        )
        assert child.responsible_council == other
        assert child.responsible_council_provisional
        assert services.area_councils(police) == sorted([council, other], key=lambda c: c.name)

    def test_the_area_council_must_be_in_the_forces_area(
        self, call_handler: Actor, council: Organisation
    ) -> None:
        elsewhere = factories.CouncilFactory()
        with pytest.raises(ValidationFailed) as error:
            services.create_child(
                call_handler,
                details(responsible_council_not_known=True, area_council_id=elsewhere.pk),
            )
        assert "Select a council in" in error.value.errors["area_council"][0]
        assert not Child.objects.exists()

    def test_a_council_or_not_known_but_not_both_and_not_neither(
        self, call_handler: Actor, council: Organisation
    ) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.create_child(
                call_handler,
                details(responsible_council_not_known=True, responsible_council_id=council.pk),
            )
        assert "not both" in error.value.errors["responsible_council"][0]
        with pytest.raises(ValidationFailed) as error:
            services.create_child(call_handler, details())
        assert error.value.errors["responsible_council"] == [
            "Select the council responsible for the child, or Not known"
        ]

    def test_a_council_always_knows_it_is_responsible(self, social_worker: Actor) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.create_child(social_worker, details(responsible_council_not_known=True))
        assert (
            "only add children it is responsible for"
            in error.value.errors["responsible_council"][0]
        )


class TestConfirmResponsibleCouncil:
    @pytest.fixture
    def provisional(self, call_handler: Actor, council: Organisation) -> Child:
        return services.create_child(call_handler, details(responsible_council_not_known=True))

    def test_the_holding_council_confirms_itself(
        self, provisional: Child, council: Organisation
    ) -> None:
        coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
        assert list(services.awaiting_confirmation(coordinator)) == [provisional]
        child = services.confirm_responsible_council(coordinator, provisional.pk, council.pk)
        assert child.responsible_council == council
        assert not child.responsible_council_provisional
        assert child.version == provisional.version + 1
        assert not services.awaiting_confirmation(coordinator).exists()
        event = AuditEvent.objects.get(action="confirm_responsible_council")
        assert event.details == {"from": council.pk, "to": council.pk}

    def test_passing_the_record_on_moves_the_access(
        self, provisional: Child, council: Organisation, call_handler: Actor
    ) -> None:
        coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, council)
        factories.report(call_handler, provisional)
        elsewhere = factories.CouncilFactory()
        services.confirm_responsible_council(coordinator, provisional.pk, elsewhere.pk)
        assert not visibility.can(coordinator, policy.Action.SEE_IDENTITY, provisional)
        assert visibility.can(
            factories.actor(Role.SOCIAL_WORKER, elsewhere), policy.Action.SEE_IDENTITY, provisional
        )
        assert visibility.can(call_handler, policy.Action.SEE_IDENTITY, provisional)  # its report

    def test_only_the_holding_council_confirms_and_only_once(
        self, provisional: Child, council: Organisation, call_handler: Actor
    ) -> None:
        with pytest.raises(NotFound):
            services.confirm_responsible_council(
                factories.actor(Role.COUNCIL_MANAGER, factories.CouncilFactory()),
                provisional.pk,
                council.pk,
            )
        with pytest.raises(AccessDenied):  # the force that added the child sees it
            services.confirm_responsible_council(call_handler, provisional.pk, council.pk)
        manager = factories.actor(Role.COUNCIL_MANAGER, council)
        with pytest.raises(ValidationFailed) as error:
            services.confirm_responsible_council(manager, provisional.pk, "nonsense")
        assert error.value.errors == {
            "responsible_council": ["Select the council responsible for the child"]
        }
        services.confirm_responsible_council(manager, provisional.pk, council.pk)
        with pytest.raises(ValidationFailed) as error:
            services.confirm_responsible_council(manager, provisional.pk, council.pk)
        assert "already confirmed" in error.value.errors["responsible_council"][0]
