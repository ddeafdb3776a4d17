"""The public portal's read-only API (issue 19): planned purchases, consultations, awarded contracts and
members, for anyone, without a token. The same rows and filters as the portal's pages (portal/public.py,
portal/filters.py); serializers read the frozen public records, never model instances, so only the
whitelisted fields can be written out (a project's value as its bracket, never the estimate)."""

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, pagination, permissions, serializers, throttling, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mutualis.contracts.models import Contract
from mutualis.core.filters import as_id
from mutualis.organisations.models import Entity
from mutualis.portal import public
from mutualis.portal.filters import PortalContractFilterSet, PortalProjectFilterSet
from mutualis.procurements.models import Project


class PortalThrottle(throttling.AnonRateThrottle):
    """Per client address (behind NUM_PROXIES), one count for the whole portal API:
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["portal"] (MUTUALIS_PORTAL_API_RATE)."""

    scope = "portal"


class PortalPagination(pagination.PageNumberPagination):
    page_size = 20  # as the portal's pages


def absolute(context, name: str, pk: int) -> str:
    return context["request"].build_absolute_uri(reverse(name, args=[pk]))


class PortalNameSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="pk", allow_null=True, help_text="Identifiant du membre ; null pour un ancien membre."
    )
    name = serializers.CharField()


class PortalProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField(help_text="Cet achat dans l'API.")
    page = serializers.SerializerMethodField(help_text="La page de cet achat sur le portail.")
    object = serializers.CharField(help_text="Objet de l'achat.")
    is_consultation = serializers.BooleanField(help_text="Vrai quand la consultation est ouverte.")
    family = serializers.CharField(help_text="Famille d'achat.")
    family_code = serializers.CharField(help_text="Code de la famille d'achat.")
    cpv = serializers.CharField(help_text="Code CPV et son libellé.")
    buyer = PortalNameSerializer(allow_null=True, help_text="Le membre qui achète.")
    entities = PortalNameSerializer(many=True, help_text="Les membres concernés.")
    lots = serializers.ListField(child=serializers.CharField(), help_text="Numéro et intitulé des lots.")
    quarter = serializers.CharField(help_text="Trimestre de lancement prévu (2027-T1).")
    procedure = serializers.CharField(help_text="Procédure envisagée.")
    value_bracket = serializers.CharField(
        source="bracket",
        help_text="Valeur estimée par tranche, bornée par les seuils légaux en vigueur ; jamais le montant.",
    )
    contact = serializers.CharField(help_text="Contact publié par l'acheteur.")
    consultation_url = serializers.CharField(help_text="Lien vers la consultation (profil d'acheteur).")
    tender_deadline = serializers.DateField(allow_null=True, help_text="Date limite de remise des offres.")
    updated = serializers.DateTimeField(help_text="Dernière modification des informations publiées.")

    def get_url(self, record) -> str:
        return absolute(self.context, self.context["detail_route"], record.pk)

    def get_page(self, record) -> str:
        return absolute(self.context, "portal:project", record.pk)


class PortalHolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    identifier = serializers.CharField(help_text="SIRET ou autre identifiant des données essentielles.")


class PortalContractSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField(help_text="Ce marché dans l'API.")
    reference = serializers.CharField(help_text="Identifiant du marché dans les données essentielles.")
    object = serializers.CharField()
    nature = serializers.CharField()
    buyer = PortalNameSerializer()
    family = serializers.CharField()
    cpv = serializers.CharField(help_text="Code CPV et son libellé.")
    procedure = serializers.CharField()
    notification_date = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Montant HT notifié (donnée essentielle publique)."
    )
    duration_months = serializers.IntegerField(help_text="Durée en mois, reconductions comprises.")
    holders = PortalHolderSerializer(many=True)

    def get_url(self, record) -> str:
        return absolute(self.context, self.context["detail_route"], record.pk)


class PortalMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    page = serializers.SerializerMethodField(help_text="La page du membre sur le portail.")
    name = serializers.CharField()
    legal_name = serializers.CharField()
    kind = serializers.CharField()
    siret = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()

    def get_page(self, record) -> str:
        return absolute(self.context, "portal:entity", record.pk)


class PublicRecordsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Rows from a portal QuerySet, filtered by the page's filter set (a refused value is a 400 naming the
    parameter) and paginated on their ids; the serializer gets the public records of the page's rows only,
    in a fixed number of queries."""

    authentication_classes = []  # a token or a session changes nothing here: no one is known
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PortalThrottle]
    pagination_class = PortalPagination
    filter_backends = [DjangoFilterBackend]
    detail_route = ""

    def rows(self):
        raise NotImplementedError

    def records(self, pks) -> list:
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema only needs the model
            return self.model.objects.none()
        return self.rows()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail_route": self.detail_route}

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows.values_list("pk", flat=True))
        return self.get_paginated_response(self.get_serializer(self.records(page), many=True).data)


class RetrieveRecordMixin:
    """One record, if the list's rows hold it (a project no longer published is not found)."""

    def retrieve(self, request, *args, **kwargs):
        pk = as_id(self.kwargs["pk"])
        if pk is None or not self.rows().filter(pk=pk).exists():
            raise NotFound()
        [record] = self.records([pk])
        return Response(self.get_serializer(record).data)


SUMMARY = " Sans authentification, limité par adresse (MUTUALIS_PORTAL_API_RATE)."


def _described(viewset, *, plural: str, singular: str | None, detail: str):
    views = {"list": extend_schema(summary=f"Portail : {plural}", description=detail + SUMMARY)}
    if singular:
        views["retrieve"] = extend_schema(summary=f"Portail : {singular}", description=detail + SUMMARY)
    return extend_schema_view(**views)(viewset)


class PlannedViewSet(RetrieveRecordMixin, PublicRecordsViewSet):
    model = Project
    serializer_class = PortalProjectSerializer
    filterset_class = PortalProjectFilterSet
    detail_route = "api:portal-planned-detail"

    def rows(self):
        return public.planned_projects().order_by("planned_launch_quarter", "object", "pk")

    def records(self, pks):
        return public.project_records(pks)


class ConsultationViewSet(PlannedViewSet):
    detail_route = "api:portal-consultation-detail"

    def rows(self):
        return public.consultations().order_by("tender_deadline", "object", "pk")


class AwardedContractViewSet(RetrieveRecordMixin, PublicRecordsViewSet):
    model = Contract
    serializer_class = PortalContractSerializer
    filterset_class = PortalContractFilterSet
    detail_route = "api:portal-contract-detail"

    def rows(self):
        return public.awarded_contracts().order_by("-notification_date", "-pk")

    def records(self, pks):
        return public.contract_records(pks)


class MemberViewSet(PublicRecordsViewSet):
    model = Entity
    serializer_class = PortalMemberSerializer
    filter_backends = []

    def rows(self):
        return public.public_entities().order_by("name", "pk")

    def records(self, pks):
        return public.entity_records(public.public_entities().filter(pk__in=list(pks)).order_by("name", "pk"))


PUBLISHED = "Seuls les projets qu'un acheteur a publiés ; mêmes filtres que la page du portail."
router = SimpleRouter()
router.register(
    "achats-prevus",
    _described(
        PlannedViewSet,
        plural="achats prévus",
        singular="un achat prévu",
        detail="Les achats que les membres prévoient de lancer, avec leur valeur par tranche. " + PUBLISHED,
    ),
    basename="portal-planned",
)
router.register(
    "consultations",
    _described(
        ConsultationViewSet,
        plural="consultations en cours",
        singular="une consultation en cours",
        detail="Les consultations ouvertes, jusqu'à leur date limite. " + PUBLISHED,
    ),
    basename="portal-consultation",
)
router.register(
    "marches",
    _described(
        AwardedContractViewSet,
        plural="marchés attribués",
        singular="un marché attribué",
        detail="Les marchés notifiés dont la loi rend publiques les données essentielles (R2196-1).",
    ),
    basename="portal-contract",
)
router.register(
    "membres",
    _described(MemberViewSet, plural="membres du territoire", singular=None, detail="Les membres actifs."),
    basename="portal-member",
)
