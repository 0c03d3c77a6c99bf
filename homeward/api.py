"""The REST API: /api/v1/..., OpenAPI at /api/openapi.json, browsable docs at /api/docs.

Every operation needs a bearer token (homeward.organisations.api.BearerToken). Errors are
RFC 9457 problem documents (homeward.core.api). The docs page loads Swagger UI from this
service's own static files, never from a CDN."""

from django.http import HttpRequest, HttpResponse
from ninja import Schema, Swagger

from homeward import navigation
from homeward.aftercare.api import router as aftercare_router
from homeward.case_audits.api import router as case_audits_router
from homeward.children.api import router as children_router
from homeward.core.api import HomewardAPI, actor_of, respond
from homeward.episodes.api import router as episodes_router
from homeward.linkage.api import matches_router
from homeward.linkage.api import router as linkage_router
from homeward.organisations.api import BearerToken
from homeward.safeguarding.api import router as safeguarding_router
from homeward.themes.api import router as themes_router

api = HomewardAPI(
    title="Homeward API",
    version="1.0.0",
    description=(
        "One live record of every episode in which a child goes missing.\n\n"
        "Authenticate with `Authorization: Bearer <token>`. Errors are RFC 9457 problem "
        "documents (`application/problem+json`); validation failures list each field in "
        "`errors`. Changes to an episode need the version you last saw: send its ETag in "
        "`If-Match` (a stale one gives 412) or `version` in the body (409); neither gives "
        "428. POSTs accept an `Idempotency-Key` header so that a retry changes nothing twice."
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from ninja's bundled static files; no call to the public validator.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    urls_namespace="api",
    auth=BearerToken(),
)

api.add_router("/v1/children", matches_router)  # before /{child_id}
api.add_router("/v1/children", children_router)
api.add_router("/v1/episodes", episodes_router)
api.add_router("/v1", aftercare_router)
api.add_router("/v1", linkage_router)
api.add_router("/v1", safeguarding_router)
api.add_router("/v1", themes_router)
api.add_router("/v1", case_audits_router)


class MeOut(Schema):
    """The token's user, their organisation and role, what they may do (the same flags
    the pages test) and where their work is (the links on their home page)."""

    username: str
    name: str
    organisation: navigation.OrganisationSummary | None
    role: str | None
    role_label: str | None
    may: navigation.May
    work: list[navigation.WorkLink]


@api.get(
    "/v1/me",
    response={200: MeOut},
    summary="Who you are, and what you may do",
    description="Your organisation and role, each thing your role lets you do (`may`, the "
    "flags the web pages draw their menu and buttons from) and the pages of your work "
    "(`work`, as on your home page). Holds no child's data.",
    tags=["me"],
)
def me(request: HttpRequest) -> HttpResponse:
    return respond(MeOut.model_validate(navigation.me(actor_of(request))))
