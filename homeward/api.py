"""The REST API: /api/v1/..., OpenAPI at /api/openapi.json, browsable docs at /api/docs.

Every operation needs a bearer token (homeward.organisations.api.BearerToken). Errors are
RFC 9457 problem documents (homeward.core.api). The docs page loads Swagger UI from this
service's own static files, never from a CDN."""

from ninja import Swagger

from homeward.aftercare.api import router as aftercare_router
from homeward.children.api import router as children_router
from homeward.core.api import HomewardAPI
from homeward.episodes.api import router as episodes_router
from homeward.organisations.api import BearerToken

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

api.add_router("/v1/children", children_router)
api.add_router("/v1/episodes", episodes_router)
api.add_router("/v1", aftercare_router)
