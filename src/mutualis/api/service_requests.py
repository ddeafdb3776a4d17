"""Internal clients' requests through the API, with the rights of their pages: the same scope (the team's
queue, a client's own entities), the same services (request_submit, request_update, request_assign,
message_post) and the same workflow (REQUEST), so the API can neither see nor do more than the interface.
Files stay behind the page's checked download link: the API gives their metadata and that link."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.filters import ServiceRequestFilterSet
from mutualis.clients.models import (
    RequestAttachment,
    RequestMessage,
    RequestTransition,
    ServiceModule,
    ServiceRequest,
)
from mutualis.clients.services.requests import (
    message_post,
    request_assign,
    request_submit,
    request_transition,
    request_update,
)
from mutualis.clients.workflow import REQUEST, may_amend
from mutualis.core.locking import EditConflict
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm

from .base import ScopedReadOnlyViewSet
from .fields import ExactDecimalField
from .locking import CONFLICT_RESPONSE, conflict_response, errors_of, version_field
from .procurements import FamilyRefSerializer, NamedRefSerializer, UserRefSerializer

MOVES = [t.name for t in REQUEST.transitions]
MOVES_HELP = "Les actions du workflow : " + ", ".join(
    f"{t.name} (« {t.label} »)" for t in REQUEST.transitions
)


class TextField(serializers.CharField):
    """Text only: a number or a list is refused rather than turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ModuleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class LogRowSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(allow_null=True)

    class Meta:
        model = RequestTransition
        fields = ["name", "from_status", "to_status", "by", "at", "comment"]
        extra_kwargs = {
            "name": {
                "help_text": "L'action : submit (dépôt), une action du workflow, delete_file "
                "(pièce jointe supprimée, nommée dans le commentaire)."
            }
        }


class MessageSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(allow_null=True)

    class Meta:
        model = RequestMessage
        fields = ["id", "author", "body", "at"]


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    uploaded_by = UserRefSerializer(allow_null=True)
    download_url = serializers.SerializerMethodField(
        help_text="Le lien de téléchargement de l'interface (session ouverte ; droits vérifiés) : le "
        "contenu du fichier n'est jamais dans la réponse JSON."
    )

    class Meta:
        model = RequestAttachment
        fields = ["id", "name", "uploaded_by", "uploaded_at", "download_url"]

    def get_download_url(self, attachment) -> str:
        url = reverse("clients:attachment_download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ServiceRequestSerializer(serializers.ModelSerializer):
    entity = NamedRefSerializer()
    family = FamilyRefSerializer()
    modules = ModuleRefSerializer(many=True)
    requested_by = UserRefSerializer(allow_null=True)
    assigned_to = UserRefSerializer(allow_null=True)
    is_late = serializers.BooleanField(help_text="Ouverte et sa date cible passée.")
    version = version_field(read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "entity",
            "requested_by",
            "modules",
            "object",
            "family",
            "estimated_amount",
            "wished_date",
            "status",
            "assigned_to",
            "taken_on",
            "target_date",
            "delivered_on",
            "decline_reason",
            "is_late",
            "created_at",
            "version",
        ]


class ServiceRequestDetailSerializer(ServiceRequestSerializer):
    actions = serializers.SerializerMethodField(
        help_text="Les actions du workflow que l'utilisateur peut faire maintenant (comme les boutons de "
        "la page)."
    )
    transitions = LogRowSerializer(many=True, help_text="Le journal, du plus ancien au plus récent.")
    messages = MessageSerializer(many=True)
    attachments = AttachmentSerializer(many=True)

    class Meta(ServiceRequestSerializer.Meta):
        fields = [*ServiceRequestSerializer.Meta.fields, "actions", "transitions", "messages", "attachments"]

    def get_actions(self, service_request) -> list[str]:
        return [t.name for t in REQUEST.available(service_request, self.context["request"].user)]


class CreateSerializer(serializers.Serializer):
    modules = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ServiceModule.objects.all(), help_text="Les modules de l'offre demandés."
    )
    entity = serializers.PrimaryKeyRelatedField(
        queryset=Entity.objects.all(), help_text="L'entité pour laquelle la demande est faite."
    )
    object = TextField(max_length=500)
    family = serializers.PrimaryKeyRelatedField(queryset=PurchaseFamily.objects.all())
    estimated_amount = ExactDecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="Montant estimé HT (€)."
    )
    wished_date = serializers.DateField(required=False, allow_null=True)


class AmendSerializer(serializers.Serializer):
    object = TextField(max_length=500, required=False)
    estimated_amount = ExactDecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="Montant estimé HT (€)."
    )
    wished_date = serializers.DateField(required=False, allow_null=True)
    version = version_field()


class TransitionRequestSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=MOVES, help_text=MOVES_HELP)
    comment = TextField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Obligatoire pour décliner (le motif, dit au client) ; facultatif sinon (le motif d'un "
        "retrait).",
    )


class AssignSerializer(serializers.Serializer):
    buyer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), help_text="Une personne active de la cellule achats."
    )
    target_date = serializers.DateField(
        required=False, allow_null=True, help_text="Facultative : la date cible convenue (pas dans le passé)."
    )


class MessageRequestSerializer(serializers.Serializer):
    body = TextField(max_length=5000)


REFUSED_TO_CLIENT = "Cette action revient à la cellule achats."
REFUSED_AMEND = "Seuls le demandeur et le référent achats de son entité modifient une demande."
REFUSED_ASSIGN = "Seule la cellule achats confie une demande."
REFUSED_WITHDRAW = "Seuls le demandeur et le référent achats de son entité retirent une demande."
NOT_FOUND = OpenApiResponse(description="Demande inconnue ou hors du périmètre.")


def _refusal(name: str) -> str:
    return REFUSED_WITHDRAW if name == "withdraw" else REFUSED_TO_CLIENT


def _bad_request(error: ValidationError, field: str | None = None) -> Response:
    """The service's refusal; a reason that is no single field's goes under `field` when one is named."""
    errors = errors_of(error)
    if field and "detail" in errors:
        errors.setdefault(field, []).extend(errors.pop("detail"))
    return Response(errors, status=status.HTTP_400_BAD_REQUEST)


def with_details(queryset):
    return queryset.select_related("entity", "family", "requested_by", "assigned_to").prefetch_related(
        "modules", "transitions__by", "messages__author", "attachments__uploaded_by"
    )


class ServiceRequestViewSet(ScopedReadOnlyViewSet):
    """Requests as their pages show them (ServiceRequest.objects.for_user), and their writes."""

    queryset = ServiceRequest.objects.all()
    serializer_class = ServiceRequestSerializer
    filterset_class = ServiceRequestFilterSet
    required_perm = Perm.REQUEST_SERVICES
    ordering_fields = ["created_at", "target_date", "wished_date"]

    def get_serializer_class(self):
        return ServiceRequestSerializer if self.action == "list" else ServiceRequestDetailSerializer

    def optimise(self, queryset):
        if self.action == "list":
            return queryset.select_related(
                "entity", "family", "requested_by", "assigned_to"
            ).prefetch_related("modules")
        return queryset

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        service_request = with_details(ServiceRequest.objects.filter(pk=pk)).get()
        return Response(self.get_serializer(service_request).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object().pk)

    @extend_schema(
        summary="Demander l'accompagnement de la cellule achats",
        description="Comme le formulaire de l'interface : au moins un module proposé, une entité pour "
        "laquelle on peut demander, l'objet et la famille d'achat. Un refus n'enregistre rien : 400 avec le "
        "message sous le nom du champ en cause.",
        request=CreateSerializer,
        responses={201: ServiceRequestDetailSerializer},
    )
    def create(self, request):
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        modules = fields.pop("modules")
        try:
            created = request_submit(actor=request.user, request=ServiceRequest(**fields), modules=modules)
        except ValidationError as error:
            return _bad_request(error)
        return self._detail(created.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une demande encore transmise",
        description="Le demandeur (ou le référent achats de son entité) corrige l'objet, le montant "
        "estimé ou la date souhaitée tant que la cellule achats ne l'a pas prise en charge. « version » est "
        "obligatoire : si la demande a été enregistrée depuis, 409 ; rien n'est enregistré.",
        request=AmendSerializer,
        responses={200: ServiceRequestDetailSerializer, 409: CONFLICT_RESPONSE},
    )
    def partial_update(self, request, pk=None):
        service_request = self.get_object()
        if not may_amend(request.user, service_request):  # the right first: a refused body is not read
            raise PermissionDenied(REFUSED_AMEND)
        data = AmendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(service_request, name, value)
        try:
            request_update(actor=request.user, request=service_request)
        except DjangoPermissionDenied:
            raise PermissionDenied(REFUSED_AMEND) from None
        except ValidationError as error:
            return _bad_request(error)
        except EditConflict as conflict:
            return conflict_response(conflict)
        return self._detail(service_request.pk)

    @extend_schema(
        summary="Faire avancer une demande dans son workflow",
        description="« transition » : take (prendre en charge), start, deliver, decline (commentaire "
        "obligatoire : le motif) par la cellule achats ; withdraw (retirer, commentaire facultatif) par le "
        "demandeur ou le référent achats de son entité tant qu'elle est transmise. Les mêmes contrôles que "
        "les boutons de la page : 403 si l'action n'est pas la vôtre, 400 (sous « transition » ou "
        "« comment ») si l'état de la demande ne la permet pas ou si le motif manque.",
        request=TransitionRequestSerializer,
        responses={200: ServiceRequestDetailSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def transitions(self, request, pk=None):
        service_request = self.get_object()
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data["transition"]
        try:
            request_transition(
                actor=request.user, request=service_request, name=name, comment=data.validated_data["comment"]
            )
        except DjangoPermissionDenied:
            raise PermissionDenied(_refusal(name)) from None
        except ValidationError as error:
            return _bad_request(error, "transition")
        return self._detail(service_request.pk)

    @extend_schema(
        summary="Confier une demande à un acheteur",
        description="La cellule achats seule (403 sinon) confie une demande ouverte à une personne active de "
        "la cellule, et peut fixer la date cible convenue.",
        request=AssignSerializer,
        responses={200: ServiceRequestDetailSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def assign(self, request, pk=None):
        if not access_for(request.user).has(Perm.MANAGE_SERVICE_REQUESTS):
            raise PermissionDenied(REFUSED_ASSIGN)
        service_request = self.get_object()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            request_assign(actor=request.user, request=service_request, **data.validated_data)
        except DjangoPermissionDenied:
            raise PermissionDenied(REFUSED_ASSIGN) from None
        except ValidationError as error:
            return _bad_request(error)
        return self._detail(service_request.pk)

    @extend_schema(
        summary="Écrire un message sur une demande",
        description="Le client et la cellule achats seulement ; l'autre partie est prévenue.",
        request=MessageRequestSerializer,
        responses={201: MessageSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def messages(self, request, pk=None):
        service_request = self.get_object()
        data = MessageRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = message_post(
                actor=request.user, request=service_request, body=data.validated_data["body"]
            )
        except DjangoPermissionDenied:
            raise PermissionDenied("Seuls le client et la cellule achats écrivent sur une demande.") from None
        except ValidationError as error:
            return _bad_request(error)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
