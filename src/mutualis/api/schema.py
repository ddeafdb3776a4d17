"""What the OpenAPI schema says beyond the serializers: the error answers every operation can give, and the
exact values the shared filters accept. Shared here rather than repeated on each view, so that a new
endpoint is documented like the others (tests/api/test_schema_contract.py holds the API to it)."""

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

from mutualis.core.filters import (
    ID_MESSAGE,
    MAX_ID,
    YES_NO,
    YES_NO_MESSAGE,
    CodeOrIdFilter,
    RecordFilter,
    YesNoFilter,
)

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "La raison, en français."}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Sous le nom de chaque paramètre ou champ refusé, ses messages en français ; sous "
    "« detail », une raison qui ne tient pas à un seul champ (préalables d'une étape, corps illisible).",
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
    },
}
UNAUTHORIZED = "Jeton absent, inconnu ou désactivé (en-tête « Authorization: Token … »)."
FORBIDDEN = "Le rôle de l'utilisateur ne donne pas accès à cette opération."
NOT_FOUND = "Objet inconnu ou hors du périmètre de l'utilisateur."
PAGE_NOT_FOUND = "Page au-delà de la dernière (ou numéro de page invalide)."
BAD_REQUEST = "Paramètre ou donnée refusé ; la réponse nomme chacun et dit pourquoi."
THROTTLED = "Trop de requêtes : réessayer après le nombre de secondes donné par l'en-tête Retry-After."


class ApiSchema(AutoSchema):
    """Adds the error answers an operation can give (400, 401, 403, 404, 429), with their bodies."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (schema, description) in self._error_answers().items():
            documented = self._get_response_for_code(
                OpenApiResponse(self._component(*schema), description=description), code
            )
            if code == "429":
                documented["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
            # An operation may describe an error itself: it keeps its words and gets the body.
            explicit = responses.setdefault(code, documented)
            explicit.setdefault("content", documented["content"])
        return responses

    def _error_answers(self) -> dict:
        view, answers = self.view, {}
        is_list = self._is_list_view() and self.method == "GET"
        reads_query = getattr(view, "query_serializer", None) is not None  # a GET checking its query
        if (
            self.method in {"POST", "PUT", "PATCH"}
            or (is_list and getattr(view, "filterset_class", None))
            or reads_query
        ):
            answers["400"] = (("FieldErrors", FIELD_ERRORS), BAD_REQUEST)
        if not all(issubclass(rule, permissions.AllowAny) for rule in view.permission_classes):
            answers["401"] = (("Error", ERROR), UNAUTHORIZED)
            answers["403"] = (("Error", ERROR), FORBIDDEN)
        if "{" in self.path:
            answers["404"] = (("Error", ERROR), NOT_FOUND)
        elif is_list and self._get_paginator():
            answers["404"] = (("Error", ERROR), PAGE_NOT_FOUND)
        if getattr(view, "throttle_classes", None):
            answers["429"] = (("Error", ERROR), THROTTLED)
        return answers

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component.ref


class StrictFilterExtension(DjangoFilterExtension):
    """The shared filters' exact values: ids within the keys' range, the yes/no spellings, id or code, and
    the empty choice (all)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        label = str(filter_field.label or field_name)
        if isinstance(filter_field, CodeOrIdFilter):
            schema, hint = {"type": "string"}, "Par son code ou son identifiant."
        elif isinstance(filter_field, RecordFilter):
            schema, hint = {"type": "integer", "minimum": 1, "maximum": MAX_ID}, ID_MESSAGE
        elif isinstance(filter_field, YesNoFilter):
            schema, hint = {"type": "string", "enum": ["", *YES_NO]}, YES_NO_MESSAGE
        elif isinstance(filter_field, django_filters.ChoiceFilter):
            # Empty means all, as on the page (its « Tous »): the schema lists it among the values.
            for parameter in parameters:
                values = parameter["schema"].get("enum")
                if values is not None and "" not in values:
                    parameter["schema"]["enum"] = ["", *values]
            return parameters
        else:
            return parameters
        for parameter in parameters:
            parameter["schema"] = schema
            parameter["description"] = f"{label}. {hint}"
        return parameters


def require_version_on_patch(result, generator, request, public):
    """Postprocessing hook: a PATCH body is partial (every field optional) except `version`, which the
    view requires (api/locking.py): the schema says so, or clients learn it from a 400."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Patched") and "version" in component.get("properties", {}):
            component["required"] = sorted({*component.get("required", []), "version"})
    return result
