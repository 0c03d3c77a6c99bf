"""Children through the API: search by body (never in the URL), read, create; every rule a
422 naming the field; nobody outside a relationship learns a child exists."""

from datetime import date, timedelta

import pytest

from homeward.audit.models import AuditEvent
from homeward.children.models import Child, ChildAlias, ChildIdentifier
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, OrganisationKind, Role
from tests import factories
from tests.apiclient import ApiClient, counts, token_for

CHILDREN = "/api/v1/children"
SEARCH = f"{CHILDREN}/search"
VALID_NHS = "9434765919"


def a_child(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "date_of_birth": (clock.now().date() - timedelta(days=365 * 13)).isoformat(),
        "sex": "2",
        "ethnicity": "BAFR",
    }
    body.update(overrides)
    return body


def valid_upn() -> str:
    from homeward.children.codes import UPN_LETTERS

    digits = "801234500001"
    total = sum(weight * int(ch) for weight, ch in zip(range(2, 14), digits, strict=True))
    return UPN_LETTERS[total % 23] + digits


class TestCreate:
    def test_a_council_adds_a_child_it_is_responsible_for(
        self, as_social_worker: ApiClient, council: Organisation
    ) -> None:
        response = as_social_worker.post(
            CHILDREN,
            a_child(
                upn=valid_upn(),
                nhs_number="943 476 5919",
                aliases=["Mara"],
                agency_reference="LCS-40113",
            ),
        )
        assert response.status == 201
        body = response.body
        assert response.headers["Location"] == f"{CHILDREN}/{body['id']}"
        assert response.headers["ETag"] == '"1"'
        assert body["responsible_council"]["id"] == council.pk
        assert body["nhs_number"] == VALID_NHS
        assert body["aliases"] == ["Mara"]
        assert body["identifiers"][0]["value"] == "LCS-40113"
        assert body["legal_status"] == "none"
        assert body["current_placement"] is None
        child = Child.objects.get(pk=body["id"])
        assert AuditEvent.objects.filter(
            action="create", object_type="child", child_id=child.pk, channel="api"
        ).exists()

    def test_a_reference_already_given_to_another_child_is_refused_by_field(
        self, as_social_worker: ApiClient
    ) -> None:
        assert as_social_worker.post(CHILDREN, a_child(agency_reference="LCS-1")).status == 201
        again = as_social_worker.post(
            CHILDREN, a_child(last_name="Tarrant", agency_reference="LCS-1")
        )
        assert again.status == 422
        assert "already uses this reference" in again.problem["errors"]["agency_reference"][0]
        assert not Child.objects.filter(last_name="Tarrant").exists()

    def test_the_police_must_name_the_responsible_council(
        self, as_police: ApiClient, council: Organisation
    ) -> None:
        missing = as_police.post(CHILDREN, a_child())
        assert missing.status == 422
        assert "responsible_council" in missing.problem["errors"]
        named = as_police.post(CHILDREN, a_child(responsible_council_id=council.pk))
        assert named.status == 201

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"first_name": "  "}, "first_name"),
            ({"first_name": "x" * 101}, "first_name"),
            ({"last_name": ""}, "last_name"),
            ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
            ({"date_of_birth": "2000-01-01"}, "date_of_birth"),
            ({"date_of_birth": "31/02/2015"}, "date_of_birth"),
            ({"sex": "9"}, "sex"),
            ({"ethnicity": "XXXX"}, "ethnicity"),
            ({"upn": "A12345678901X"}, "upn"),
            ({"nhs_number": "1234567890"}, "nhs_number"),
            ({"responsible_council_id": 2**64}, "responsible_council_id"),
            ({"aliases": ["ok", "x" * 201]}, "aliases.1"),
            ({"aliases": "Mara"}, "aliases"),
            ({"first_name": "A\x00"}, "first_name"),
            ({"nickname": "Mara"}, "nickname"),
        ],
    )
    def test_each_rule_is_a_422_naming_the_field_and_nothing_is_saved(
        self, as_social_worker: ApiClient, overrides: dict[str, object], field: str
    ) -> None:
        before = counts()
        response = as_social_worker.post(CHILDREN, a_child(**overrides), validate_request=False)
        assert response.status == 422, response.body
        assert field in response.problem["errors"], response.problem
        assert counts() == before
        assert not ChildAlias.objects.exists()
        assert not ChildIdentifier.objects.exists()

    def test_a_council_cannot_add_another_councils_child(self, as_social_worker: ApiClient) -> None:
        other = factories.CouncilFactory()
        response = as_social_worker.post(CHILDREN, a_child(responsible_council_id=other.pk))
        assert response.status == 422
        assert "responsible_council" in response.problem["errors"]

    def test_a_retried_create_makes_one_child(self, as_social_worker: ApiClient) -> None:
        key = {"Idempotency-Key": "new-child-0001"}
        first = as_social_worker.post(CHILDREN, a_child(), headers=key)
        retry = as_social_worker.post(CHILDREN, a_child(), headers=key)
        assert first.status == retry.status == 201
        assert retry.body == first.body
        assert retry.headers["Location"] == first.headers["Location"]
        assert Child.objects.count() == 1

    @pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.RHI_WORKER, Role.CARE_STAFF])
    def test_roles_that_may_not_add_children_get_403(
        self, api: ApiClient, council: Organisation, role: Role
    ) -> None:
        kind = {
            Role.BOARD_MEMBER: None,
            Role.RHI_WORKER: OrganisationKind.RHI_PROVIDER,
            Role.CARE_STAFF: OrganisationKind.CARE_PROVIDER,
        }[role]
        org = council if kind is None else factories.CouncilFactory(kind=kind, police_force=None)
        client = api.as_(token_for(factories.member(role, org)))
        response = client.post(CHILDREN, a_child(responsible_council_id=council.pk))
        assert response.status == 403
        assert Child.objects.count() == 0


class TestRead:
    def test_read_is_audited(
        self, as_social_worker: ApiClient, social_worker: Actor, child: Child
    ) -> None:
        response = as_social_worker.get(f"{CHILDREN}/{child.pk}")
        assert response.status == 200
        assert response.body["first_name"] == child.first_name
        assert response.headers["ETag"] == f'"{child.version}"'
        assert AuditEvent.objects.filter(
            action="view", object_type="child", child_id=child.pk, user=social_worker.user
        ).exists()

    def test_placement_and_legal_status_are_shown(
        self, as_social_worker: ApiClient, child: Child, council: Organisation
    ) -> None:
        home = factories.CareProviderFactory()
        host = factories.CouncilFactory()
        factories.looked_after(child)
        factories.place(child, provider=home, host=host, start=date(2025, 1, 6))
        body = as_social_worker.get(f"{CHILDREN}/{child.pk}").body
        assert body["legal_status"] == "looked_after"
        assert body["current_placement"]["provider"]["id"] == home.pk
        assert body["current_placement"]["host_council"]["id"] == host.pk
        assert body["current_placement"]["out_of_area"] is True

    @pytest.mark.parametrize("child_id", ["999999", "abc", "0", "-1", str(2**70), "1.5"])
    def test_unknown_or_malformed_ids_are_404(
        self, as_social_worker: ApiClient, child_id: str
    ) -> None:
        response = as_social_worker.get(f"{CHILDREN}/{child_id}", validate_request=False)
        assert response.status == 404
        assert response.content_type == "application/problem+json"

    def test_another_councils_child_is_404_with_no_identity(
        self, api: ApiClient, child: Child
    ) -> None:
        stranger = api.as_(
            token_for(factories.member(Role.SOCIAL_WORKER, factories.CouncilFactory()))
        )
        response = stranger.get(f"{CHILDREN}/{child.pk}")
        assert response.status == 404
        assert child.first_name not in response.raw.decode()
        assert child.last_name not in response.raw.decode()
        assert response.problem["detail"] == "No child was found."

    @pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.NATIONAL_ANALYST])
    def test_aggregate_roles_reach_no_identity(
        self, api: ApiClient, council: Organisation, child: Child, role: Role
    ) -> None:
        org = council
        if role == Role.NATIONAL_ANALYST:
            org = factories.CouncilFactory(kind=OrganisationKind.NATIONAL, police_force=None)
        client = api.as_(token_for(factories.member(role, org)))
        read = client.get(f"{CHILDREN}/{child.pk}")
        search = client.post(SEARCH, {"q": child.last_name})
        assert (read.status, search.status) == (404, 403)
        for response in (read, search):
            assert child.first_name not in response.raw.decode()
            assert child.last_name not in response.raw.decode()
        assert not AuditEvent.objects.filter(child_id=child.pk).exists()


class TestSearch:
    def test_search_by_name_date_of_birth_and_identifier(
        self, as_social_worker: ApiClient, council: Organisation
    ) -> None:
        child = factories.ChildFactory(
            responsible_council=council,
            first_name="Keira",
            last_name="Blackwood",
            nhs_number=VALID_NHS,
        )
        factories.ChildFactory(
            responsible_council=council,
            first_name="Tom",
            last_name="Ash",
            date_of_birth=child.date_of_birth - timedelta(days=40),
        )
        for query in ("keira black", child.date_of_birth.strftime("%d/%m/%Y"), "943 476 5919"):
            response = as_social_worker.post(SEARCH, {"q": query})
            assert response.status == 200
            assert [c["id"] for c in response.body["items"]] == [child.pk], query
            assert response.body["count"] == 1
        assert AuditEvent.objects.filter(action="search_result", child_id=child.pk).count() == 3

    def test_only_children_the_user_may_see_are_found(self, as_social_worker: ApiClient) -> None:
        elsewhere = factories.ChildFactory(first_name="Keira", last_name="Blackwood")
        response = as_social_worker.post(SEARCH, {"q": "Blackwood"})
        assert response.body["items"] == []
        assert not AuditEvent.objects.filter(child_id=elsewhere.pk).exists()

    @pytest.mark.parametrize(
        ("body", "field"),
        [({"q": "   "}, "q"), ({}, "q"), ({"q": "x" * 201}, "q"), ({"q": 7}, "q")],
    )
    def test_a_bad_search_is_a_422_naming_q(
        self, as_social_worker: ApiClient, body: dict[str, object], field: str
    ) -> None:
        response = as_social_worker.post(SEARCH, body, validate_request=False)
        assert response.status == 422
        assert field in response.problem["errors"]

    def test_search_is_never_a_get_with_personal_data_in_the_url(
        self, as_social_worker: ApiClient
    ) -> None:
        response = as_social_worker.client.get(
            SEARCH,
            {"q": "Blackwood"},
            headers={"Authorization": f"Bearer {as_social_worker.token}"},
        )
        assert response.status_code == 405
        operations = as_social_worker.spec.spec / "paths" / SEARCH
        assert list(operations.keys()) == ["post"]


class TestResponsibleCouncilNotKnown:
    def test_not_known_goes_to_the_forces_area_council_provisionally(
        self, api: ApiClient, police: Organisation, council: Organisation
    ) -> None:
        handler = api.as_(token_for(factories.member(Role.POLICE_CALL_HANDLER, police)))
        body = {
            "first_name": "Ardene",
            "last_name": "Wolvercote",
            "date_of_birth": "2013-04-02",
            "sex": "1",
            "responsible_council_not_known": True,
        }
        added = handler.post(CHILDREN, body)
        assert added.status == 201
        assert added.body["responsible_council"]["id"] == council.pk
        assert added.body["responsible_council_provisional"] is True

    def test_a_force_of_several_councils_names_the_area(
        self, api: ApiClient, police: Organisation, council: Organisation
    ) -> None:
        second = factories.CouncilFactory(police_force=police)
        handler = api.as_(token_for(factories.member(Role.POLICE_CALL_HANDLER, police)))
        body = {
            "first_name": "Ardene",
            "last_name": "Wolvercote",
            "date_of_birth": "2013-04-02",
            "sex": "1",
            "responsible_council_not_known": True,
        }
        refused = handler.post(CHILDREN, body)
        assert refused.status == 422
        assert "area_council" in refused.problem["errors"]
        added = handler.post(CHILDREN, {**body, "area_council_id": second.pk})
        assert added.body["responsible_council"]["id"] == second.pk
