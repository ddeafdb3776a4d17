"""API writes carry the version of the record they start from; a stale one answers 409 with what changed.

The version travels in the body (`version`, given by every read), not in an If-Match header: a client
that PATCHes what it read sends it back without knowing HTTP caching.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from mutualis.core.locking import EditConflict

VERSION_HELP = (
    "Version de la fiche, augmentée à chaque enregistrement. Une modification renvoie celle qu'elle a "
    "lue : si quelqu'un a enregistré la fiche entre-temps, elle est refusée (409) au lieu d'écraser ses "
    "changements."
)


def version_field(*, read_only: bool = False) -> serializers.IntegerField:
    """The record's version: given by every read, required back by a PATCH (read_only where none)."""
    if read_only:
        return serializers.IntegerField(read_only=True, help_text=VERSION_HELP)
    return serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


CONFLICT = inline_serializer(
    "EditConflict",
    fields={
        "detail": serializers.CharField(help_text="Qui a modifié la fiche, et quand."),
        "version": serializers.IntegerField(help_text="La version actuelle, à renvoyer pour la remplacer."),
        "changes": inline_serializer(
            "EditConflictChange",
            fields={
                "field": serializers.CharField(help_text="Libellé du champ."),
                "old": serializers.CharField(help_text="Valeur dans la version que vous aviez lue."),
                "new": serializers.CharField(help_text="Valeur actuelle."),
            },
            many=True,
        ),
    },
)
CONFLICT_RESPONSE = OpenApiResponse(
    CONFLICT, description="La fiche a été modifiée depuis la version envoyée : rien n'a été enregistré."
)


def conflict_response(conflict: EditConflict) -> Response:
    report = conflict.report()
    body = {
        "detail": report.message,
        "version": report.version,
        "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in report.changes],
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


def errors_of(error: ValidationError) -> dict:
    """The domain's refusal, as the API reports it: per field, or the list of reasons."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"detail": error.messages}


class ServicePatchMixin(mixins.UpdateModelMixin):
    """PATCH through the domain's named service (`service(actor=, <model name>=record)`), checked against
    the version the client sends; PUT is not offered."""

    service = None

    def perform_update(self, serializer):
        record = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(record, name, value)
        service = type(self).service  # a plain function, not bound to the view
        serializer.instance = service(actor=self.request.user, **{record._meta.model_name: record})

    def partial_update(self, request, *args, **kwargs):
        if "version" not in request.data:
            return Response({"version": ["Ce champ est obligatoire."]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            return super().partial_update(request, *args, **kwargs)
        except EditConflict as conflict:
            return conflict_response(conflict)
        except ValidationError as error:
            return Response(errors_of(error), status=status.HTTP_400_BAD_REQUEST)


def describe_patch(viewset, *, singular: str):
    """OpenAPI text of a PATCH endpoint: version required, 409 on conflict."""
    return extend_schema_view(
        partial_update=extend_schema(
            summary=f"Modifier un {singular}",
            description=(
                "Seuls les champs envoyés changent. « version » est obligatoire : celle de la fiche lue. "
                "Si la fiche a été enregistrée depuis, la réponse est 409 avec les champs modifiés et la "
                "version actuelle ; rien n'est enregistré."
            ),
            responses={
                200: viewset.serializer_class,
                400: OpenApiResponse(description="Valeurs refusées, ou version absente."),
                403: OpenApiResponse(description="Le rôle ne permet pas de modifier cette fiche."),
                409: CONFLICT_RESPONSE,
            },
        )
    )(viewset)
