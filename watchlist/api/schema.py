"""OpenAPI schema customisation: the Bearer scheme, the error responses every
operation can give, and one path per route."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import IsAdminUser

ERROR_BODY = {
    "type": "object",
    "description": '`{"detail": "..."}`, or for validation errors one list of messages per bad field.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "watchlist.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <token>` (the `Token <token>` keyword is accepted too).",
        }


class WatchlistAutoSchema(AutoSchema):
    """Documents the error statuses DRF answers with, so that clients (and
    the schema-driven tests) know a 400, 401, 404 or 429 is part of the
    contract rather than a surprise."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self.method in ("POST", "PUT", "PATCH") or self._has_query_parameters():
            responses.setdefault("400", _error("Invalid input; each bad field is named"))
        if self.get_auth() and any(getattr(p, "requires_auth", True) for p in self.view.get_permissions()):
            responses.setdefault("401", _error("Missing or invalid token"))
        if any(isinstance(p, IsAdminUser) for p in self.view.get_permissions()):
            responses.setdefault("403", _error("Staff only"))
        if "{" in self.path:
            responses.setdefault("404", _error("No such object among yours"))
        elif self.method == "GET" and self._get_paginator():
            responses.setdefault("404", _error("No such page"))
        if self.view.get_throttles():
            responses.setdefault("429", _error("Too many requests; retry after the Retry-After delay"))
        return responses

    def _has_query_parameters(self) -> bool:
        return self.method == "GET" and bool(self.get_filter_backends() or self._get_paginator())


def drop_trailing_slash_twins(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: keep one path per route."""
    paths = {path for path, *_ in endpoints}
    return [e for e in endpoints if not (e[0].endswith("/") and e[0].rstrip("/") in paths)]


def forbid_unknown_request_fields(result, generator, request, public):
    """drf-spectacular postprocessing hook: request bodies reject unknown
    fields (StrictFieldsMixin), so say so in the schema."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
