"""Procurement projects: where each stands on the process map, its history, and the moves along it,
allowed to the same roles as in the interface (the domain service decides)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from mutualis.contracts.enums import Procedure
from mutualis.core.locking import EditConflict
from mutualis.legal.vocabulary import ProcedureKind
from mutualis.organisations.roles import Perm, Role
from mutualis.procurements.filters import ProjectApiFilterSet
from mutualis.procurements.models import (
    Criterion,
    Lot,
    ProcessMap,
    Project,
    Stage,
    StageCode,
    StageTransition,
    TransitionAction,
)
from mutualis.procurements.services import project_transition

from .base import HasPerm, ScopedReadOnlyViewSet
from .locking import CONFLICT_RESPONSE, conflict_response, errors_of, version_field

# `procedure` is already the name of the contracts' DECP procedure enum: giving the same field name
# other choices (or these choices another name) would rename or duplicate that enum in the schema, so
# the computed and the retained procedures are documented as text.
COMPUTED_PROCEDURE = "Procédure que la valeur estimée impose : " + ", ".join(ProcedureKind.values) + "."
DECP_PROCEDURE = "Procédure du DECP (les valeurs de la procédure des contrats) : " + ", ".join(
    Procedure.values
)


class NamedRefSerializer(serializers.Serializer):
    """A related record by its id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class FamilyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()


class StageRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["code", "label", "responsible_role"]


class ProjectStageSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=StageCode.choices, source="stage.code")
    label = serializers.CharField(source="stage.label")
    responsible_role = serializers.ChoiceField(choices=Role.choices, source="stage.responsible_role")
    entered_on = serializers.DateField(source="stage_entered_on")
    due_on = serializers.DateField(
        source="stage_due_on", allow_null=True, help_text="Aucune si 0 jour prévu."
    )


class ProjectLotSerializer(serializers.ModelSerializer):
    awarded_supplier = NamedRefSerializer(source="awarded_offer.supplier", default=None, allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    contract_url = serializers.HyperlinkedRelatedField(
        source="contract", view_name="api:contract-detail", read_only=True, allow_null=True
    )

    class Meta:
        model = Lot
        fields = [
            "number",
            "title",
            "estimated_value",
            "status",
            "awarded_on",
            "awarded_supplier",
            "notified_on",
            "contract",
            "contract_url",
        ]


class ProjectCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["label", "kind", "weight"]


class ProjectSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    family = FamilyRefSerializer()
    cpv = serializers.CharField(source="cpv_id", allow_null=True)
    entities = NamedRefSerializer(many=True)
    purchasing_group = NamedRefSerializer(allow_null=True)
    buyer_entity = NamedRefSerializer(allow_null=True)
    buyer = UserRefSerializer(allow_null=True)
    legal_officer = UserRefSerializer(allow_null=True)
    procedure = serializers.CharField(help_text=COMPUTED_PROCEDURE)
    contract_procedure = serializers.CharField(help_text="Retenue. " + DECP_PROCEDURE)
    stage = ProjectStageSerializer(source="*")
    is_late = serializers.BooleanField(help_text="Encore dans l'étape après son échéance.")
    process_map_version = serializers.IntegerField(source="process_map.version")
    replaces = serializers.IntegerField(
        source="replaces_id",
        read_only=True,
        allow_null=True,
        help_text="Le contrat du registre que le projet remplace (situation de référence du gain achat).",
    )
    lots = ProjectLotSerializer(many=True)
    criteria = ProjectCriterionSerializer(many=True)
    version = version_field(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "reference",
            "object",
            "family",
            "cpv",
            "entities",
            "purchasing_group",
            "buyer_entity",
            "buyer",
            "legal_officer",
            "estimated_value",
            "procedure",
            "procedure_explanation",
            "thresholds_version",
            "contract_procedure",
            "procedure_override_reason",
            "is_emergency",
            "emergency_justification",
            "planned_launch_quarter",
            "launched_on",
            "published_on",
            "tender_deadline",
            "time_limit_reduction",
            "time_limit_reduction_reason",
            "status",
            "stage",
            "is_late",
            "process_map_version",
            "replaces",
            "lots",
            "criteria",
            "version",
        ]


class StageTransitionSerializer(serializers.ModelSerializer):
    from_stage = StageRefSerializer()
    to_stage = StageRefSerializer(allow_null=True, help_text="Aucune si le projet est terminé ou sans suite.")
    by = UserRefSerializer(allow_null=True)

    class Meta:
        model = StageTransition
        fields = ["id", "action", "from_stage", "to_stage", "by", "at", "comment", "was_late"]


class ProjectTransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=TransitionAction.choices)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Obligatoire pour un renvoi à l'étape précédente et une déclaration sans suite.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Facultative : la version du projet lue. Si le projet a été enregistré depuis, le passage "
        "est refusé (409) au lieu de s'appliquer à un état que vous n'avez pas vu.",
    )


class ProjectTransitionResultSerializer(serializers.Serializer):
    transition = StageTransitionSerializer()
    project = ProjectSerializer()


class ProcessStageSerializer(serializers.ModelSerializer):
    procedures = serializers.ListField(
        child=serializers.CharField(), help_text="Celles où l'étape s'applique. " + DECP_PROCEDURE
    )

    class Meta:
        model = Stage
        fields = [
            "code",
            "label",
            "position",
            "responsible_role",
            "expected_days",
            "procedures",
            "description",
        ]


class ProcessMapSerializer(serializers.ModelSerializer):
    stages = ProcessStageSerializer(many=True)

    class Meta:
        model = ProcessMap
        fields = ["id", "version", "label", "notes", "published_at", "stages"]


def with_details(queryset):
    """Everything the payload shows, in a fixed number of queries."""
    lots = Prefetch("lots", queryset=Lot.objects.select_related("awarded_offer__supplier"))
    return queryset.select_related(
        "family", "stage", "process_map", "purchasing_group", "buyer_entity", "buyer", "legal_officer"
    ).prefetch_related("entities", lots, "criteria")


class ProjectViewSet(ScopedReadOnlyViewSet):
    """Procurement projects with their lots, criteria and current stage (an entity role sees the projects
    that concern its entities or its groups); their stage history, and the moves along the map."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectApiFilterSet
    ordering_fields = ["planned_launch_quarter", "stage_due_on", "estimated_value", "object"]

    @property
    def required_perm(self):
        return Perm.MANAGE_PROJECTS if self.request.method == "POST" else Perm.VIEW_PROJECTS

    def optimise(self, queryset):
        return with_details(queryset) if self.action in {"list", "retrieve"} else queryset

    @extend_schema(
        summary="Historique des étapes d'un projet",
        description="Chaque passage d'étape, du plus ancien au plus récent : action, étapes de départ et "
        "d'arrivée, auteur, date, commentaire, et s'il a eu lieu après l'échéance de l'étape.",
        filters=False,
        responses={200: StageTransitionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def transitions(self, request, pk=None):
        project = self.get_object()
        rows = project.transitions.select_related("from_stage", "to_stage", "by")
        return Response(StageTransitionSerializer(rows, many=True).data)

    @extend_schema(
        summary="Faire avancer, renvoyer ou classer sans suite un projet",
        description=(
            "« advance » valide l'étape en cours si ses préalables sont remplis, « send_back » renvoie à "
            "l'étape précédente, « abandon » déclare le projet sans suite ; le commentaire est obligatoire "
            "pour les deux dernières. Comme dans l'interface, seuls le rôle responsable de l'étape (et "
            "l'administrateur) la valident ou la renvoient, l'acheteur ou l'administrateur déclarent sans "
            "suite ; il faut en outre le droit de gérer les projets. Un refus donne les raisons, en "
            "français : 400 avec « detail » (préalables manquants) ou l'erreur du champ en cause."
        ),
        request=ProjectTransitionRequestSerializer,
        responses={
            201: ProjectTransitionResultSerializer,
            # The body (reasons under "detail", or under the field in cause) is the shared FieldErrors.
            400: OpenApiResponse(description="Préalables non remplis ou commentaire manquant."),
            403: OpenApiResponse(description="Le rôle ne permet pas cette action à cette étape."),
            404: OpenApiResponse(description="Projet inconnu ou hors du périmètre."),
            409: CONFLICT_RESPONSE,
        },
    )
    @transitions.mapping.post
    def transition(self, request, pk=None):
        project = self.get_object()
        data = ProjectTransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("version")
        try:
            with transaction.atomic():
                if expected is not None:
                    # Locked until the move is saved: nobody saves the project between check and move.
                    current = Project.objects.select_for_update().get(pk=project.pk)
                    if current.version != expected:
                        raise EditConflict(current, expected)
                moved = project_transition(
                    actor=request.user,
                    project=project,
                    action=data.validated_data["action"],
                    comment=data.validated_data["comment"],
                )
        except ValidationError as error:
            return Response(errors_of(error), status=status.HTTP_400_BAD_REQUEST)
        except EditConflict as conflict:
            return conflict_response(conflict)
        result = {
            "transition": moved.last_transition,
            "project": with_details(Project.objects.filter(pk=project.pk)).get(),
        }
        context = self.get_serializer_context()
        return Response(
            ProjectTransitionResultSerializer(result, context=context).data, status=status.HTTP_201_CREATED
        )


class ProcessMapView(APIView):
    """The version of the process map new projects start with."""

    permission_classes = [HasPerm]
    required_perm = Perm.VIEW_PROJECTS

    @extend_schema(
        summary="Carte des processus en vigueur",
        description="La dernière version publiée de la carte des processus achats, celle des nouveaux "
        "projets : ses étapes dans l'ordre, le rôle responsable de chacune, sa durée prévue (0 : pas "
        "d'échéance) et les procédures auxquelles elle s'applique. Les projets en cours gardent la version "
        "avec laquelle ils ont commencé.",
        responses={200: ProcessMapSerializer, 404: OpenApiResponse(description="Aucune carte publiée.")},
    )
    def get(self, request):
        current = ProcessMap.objects.current()
        if current is None:
            raise NotFound("Aucune carte des processus publiée.")
        return Response(ProcessMapSerializer(current).data)
