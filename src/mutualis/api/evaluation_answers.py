"""Answering a QCD evaluation through the API: the same services and rights as the answer page (a referent
of the evaluated entity, while the campaign is open); a refusal writes nothing."""

import json

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mutualis.core.filters import as_id
from mutualis.core.locking import EditConflict
from mutualis.evaluations.models import CampaignStatus, Evaluation
from mutualis.evaluations.services.answers import evaluation_answer, evaluation_not_concerned, may_answer

from .locking import CONFLICT_RESPONSE, conflict_response, errors_of


class MarksField(serializers.DictField):
    """Marks keyed by criterion id. Documented as 1 to 4, but any value is handed to the service, whose
    refusal names the criterion (« La note du critère « Délais » doit être comprise entre 1 et 4 »)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=4), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("Objet attendu : {« identifiant du critère » : note de 1 à 4}.")
        marks, unreadable = {}, []
        for key, value in data.items():
            criterion = as_id(key)
            if criterion is None:
                unreadable.append(str(key))
                continue
            # Only a JSON integer is a mark: true or 3.0 would pass `in (1, 2, 3, 4)` in Python.
            marks[criterion] = value if type(value) is int else json.dumps(value, ensure_ascii=False)
        if unreadable:
            raise serializers.ValidationError(
                f"Identifiant de critère attendu (un entier), reçu : {', '.join(unreadable)}."
            )
        return marks


class AnswerRequestSerializer(serializers.Serializer):
    marks = MarksField(
        required=False,
        help_text="Une note de 1 à 4 pour chaque critère de la campagne, sous l'identifiant du critère.",
    )
    not_concerned = serializers.BooleanField(
        required=False,
        default=False,
        help_text="L'entité n'a pas vraiment utilisé le contrat sur la période : la raison va dans "
        "« comment », obligatoire ; pas de notes.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Facultative : la version de l'évaluation lue. Si elle a été enregistrée depuis, la "
        "réponse est refusée (409) au lieu d'écraser celle d'un autre.",
    )

    def validate(self, data):
        if data["not_concerned"] and data.get("marks"):
            raise serializers.ValidationError(
                {"marks": ["Pas de notes avec « non concerné » : choisissez l'un ou l'autre."]}
            )
        return data


def refusal(evaluation: Evaluation) -> str:
    if evaluation.campaign.status != CampaignStatus.OPEN:
        return f"La campagne « {evaluation.campaign} » est close : l'évaluation ne peut plus changer."
    return "Seul un référent achats de l'entité évaluée répond à cette évaluation."


def _answer(actor, evaluation, data) -> None:
    if data["not_concerned"]:
        evaluation_not_concerned(actor=actor, evaluation=evaluation, reason=data["comment"])
    else:
        evaluation_answer(
            actor=actor, evaluation=evaluation, marks=data.get("marks", {}), comment=data["comment"]
        )


def service_errors(error: ValidationError) -> dict:
    errors = errors_of(error)
    if NON_FIELD_ERRORS in errors:  # the API names a reason that is not one field's "detail"
        errors["detail"] = errors.pop(NON_FIELD_ERRORS)
    return errors


ANSWER_DESCRIPTION = (
    "Les notes de 1 à 4 de chaque critère de la campagne (« marks », sous l'identifiant du critère), "
    "avec un commentaire facultatif ; ou « not_concerned » : true avec la raison dans « comment ». Une "
    "réponse peut être corrigée tant que la campagne est ouverte. Seul un référent achats de l'entité "
    "évaluée répond (403 sinon, ou si la campagne est close ; 404 pour une évaluation hors de son "
    "périmètre). Un refus n'enregistre rien : 400 avec, sous « criterion_<id> », le message qui nomme le "
    "critère en cause."
)
ANSWER_ERRORS = {
    400: OpenApiResponse(description="Note manquante ou hors de l'échelle, raison absente."),
    403: OpenApiResponse(description="Pas référent de l'entité évaluée, ou campagne close."),
    404: OpenApiResponse(description="Évaluation inconnue ou hors du périmètre."),
    409: CONFLICT_RESPONSE,
}


def answer_response(view, request) -> Response:
    """The answer action of the evaluations' viewset: the right first (nothing is read from a refused
    caller's body), then the body, then the service under the optional version check."""
    evaluation = view.get_object()
    if not may_answer(request.user, evaluation):
        raise PermissionDenied(refusal(evaluation))
    data = AnswerRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    expected = data.validated_data.get("version")
    try:
        with transaction.atomic():
            if expected is not None:
                # Locked until the answer is saved: nobody answers between the check and the write.
                current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
                if current.version != expected:
                    raise EditConflict(current, expected)
            _answer(request.user, evaluation, data.validated_data)
    except ValidationError as error:
        return Response(service_errors(error), status=status.HTTP_400_BAD_REQUEST)
    except EditConflict as conflict:
        return conflict_response(conflict)
    answered = view.optimise(Evaluation.objects.filter(pk=evaluation.pk)).get()
    return Response(view.get_serializer(answered).data)
