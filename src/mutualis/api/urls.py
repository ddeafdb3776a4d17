"""REST API, version 1, with its OpenAPI schema and documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .base import describe
from .catalogue import PurchaseFamilyViewSet
from .contracts import ContractViewSet
from .gains import GainEstimateView
from .indicators import IndicatorsView
from .locking import describe_patch
from .organisations import EntityViewSet
from .procedure import ProcedureEstimateView
from .procurements import ProcessMapView, ProjectViewSet
from .suppliers import SupplierViewSet

app_name = "api"

SCOPE = " Un rôle d'établissement ne voit que son périmètre, comme dans l'interface."
router = DefaultRouter()
router.register(
    "entities",
    describe(
        EntityViewSet,
        plural="entités membres",
        singular="membre",
        detail="Entités membres du territoire." + SCOPE,
    ),
    basename="entity",
)
router.register(
    "suppliers",
    describe_patch(
        describe(
            SupplierViewSet,
            plural="fournisseurs",
            singular="fournisseur",
            detail="Annuaire des fournisseurs.",
        ),
        singular="fournisseur",
    ),
    basename="supplier",
)
router.register(
    "purchase-families",
    describe(
        PurchaseFamilyViewSet,
        plural="familles d'achat",
        singular="famille d'achat",
        detail="Nomenclature des familles homogènes, avec leurs codes CPV.",
    ),
    basename="purchase-family",
)
router.register(
    "contracts",
    describe(
        ContractViewSet,
        plural="contrats",
        singular="contrat",
        detail="Registre des contrats et lots, avec titulaires, entités utilisatrices et avenants." + SCOPE,
    ),
    basename="contract",
)
router.register(
    "projects",
    describe(
        ProjectViewSet,
        plural="projets d'achat",
        singular="projet d'achat",
        detail="Projets d'achat avec leurs lots, critères d'attribution et étape en cours sur la carte des "
        "processus (échéance, retard)." + SCOPE,
    ),
    basename="project",
)

urlpatterns = [
    path("v1/procedure-estimate", ProcedureEstimateView.as_view(), name="procedure-estimate"),
    path("v1/gains/estimate", GainEstimateView.as_view(), name="gains-estimate"),
    path("v1/process-map/", ProcessMapView.as_view(), name="process-map"),
    path("v1/indicators/", IndicatorsView.as_view(), name="indicators"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
