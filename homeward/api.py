"""The REST API: /api/v1/..., OpenAPI at /api/openapi.json. Filled in by the API work."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Homeward API",
    version="1.0.0",
    description="One live record of every episode in which a child goes missing.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)
