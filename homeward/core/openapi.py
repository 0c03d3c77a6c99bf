"""The OpenAPI additions that describe, once rather than per endpoint, the problem
responses, the Idempotency-Key header and the ETag response header."""

from typing import Any

from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.types import DictStrAny

from homeward.core.problems import PROBLEM_MEDIA_TYPE, Problem
from homeward.core.responses import Versioned


def _problem_response(description: str) -> DictStrAny:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


IDEMPOTENCY_KEY_PARAMETER: DictStrAny = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": (
        "A unique value (up to 200 printable characters) for this request. A retry with "
        "the same key and the same body returns the first result and changes nothing; "
        "the same key with a different body is refused with 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


class HomewardOpenAPISchema(OpenAPISchema):
    """Adds what ninja does not infer: problem responses, the Idempotency-Key header and
    the ETag response header."""

    def operation_details(self, operation: Operation) -> DictStrAny:
        result = super().operation_details(operation)
        self.schemas.setdefault("Problem", Problem.model_json_schema())
        responses: dict[Any, DictStrAny] = result["responses"]

        for status, model in operation.response_models.items():
            annotation = getattr(model, "model_fields", {}).get("response")
            kind = getattr(annotation, "annotation", None)
            if isinstance(kind, type) and issubclass(kind, Versioned) and status in responses:
                responses[status]["headers"] = {
                    "ETag": {
                        "description": 'The version of the record, quoted: "3". Send it '
                        "back in If-Match to change the record.",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                }

        parameters = result.setdefault("parameters", [])
        if getattr(operation.view_func, "idempotent", False):
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        versioned = any(
            p.get("in") == "header" and p.get("name", "").lower() == "if-match" for p in parameters
        )

        wanted = {
            401: "No valid bearer token",
            403: "Your role does not allow this",
            404: "Not found, or not yours to see",
            422: "Validation failed: `errors` names each field",
            429: "Too many requests with a wrong token from your address: wait for "
            "`Retry-After` seconds",
            500: "Unexpected error",
        }
        if "requestBody" in result:
            wanted[400] = "The body is not valid JSON"
            wanted[413] = "The body is larger than the service reads"
        if versioned:
            wanted[409] = "Stale edit: the body's version is not the current one"
            wanted[412] = "Stale edit: If-Match is not the current ETag"
            wanted[428] = "Neither If-Match nor a version was sent"
        if getattr(operation.view_func, "idempotent", False):
            in_use = "Another request with this Idempotency-Key is still being handled"
            wanted[409] = f"{wanted[409]}; or: {in_use}" if 409 in wanted else in_use
        for status, description in sorted(wanted.items()):
            responses.setdefault(status, _problem_response(description))
        responses[429]["headers"] = {
            "Retry-After": {
                "description": "Seconds until a token from your address is read again",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        }
        return result
