"""REST API, version 1, with its OpenAPI schema and documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .base import describe
from .catalogue import PurchaseFamilyViewSet
from .contracts import ContractViewSet
from .evaluations import CampaignViewSet, EvaluationViewSet
from .gains import GainEstimateView
from .incidents import IncidentViewSet
from .indicators import IndicatorsView
from .locking import describe_patch
from .organisations import EntityViewSet
from .portal import router as portal_router
from .procedure import ProcedureEstimateView
from .procurements import ProcessMapView, ProjectViewSet
from .service_requests import ServiceRequestViewSet
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
            detail="Annuaire des fournisseurs, avec leur catégorie d'entreprise, leur statut inclusif (SIAE, "
            "EA/ESAT, ESS), leur commune (code INSEE) et s'ils sont établis dans le territoire.",
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
router.register(
    "incidents",
    describe(
        IncidentViewSet,
        plural="incidents d'exécution",
        singular="incident d'exécution",
        detail="Incidents survenus pendant l'exécution des contrats : entité qui l'a subi, titulaire en "
        "cause, nature, gravité, suivi et pénalités appliquées. Les pénalités ne sont jamais un gain "
        "achat : elles n'entrent pas dans le calcul des gains." + SCOPE,
    ),
    basename="incident",
)
router.register(
    "evaluation-campaigns",
    describe(
        CampaignViewSet,
        plural="campagnes d'évaluation fournisseurs",
        singular="campagne d'évaluation fournisseurs",
        detail="Campagnes d'évaluation qualité-coût-délai d'un contrat ou d'une famille sur une période, "
        "avec la grille de critères copiée au lancement, comme dans l'interface.",
    ),
    basename="evaluation-campaign",
)
router.register(
    "evaluations",
    describe(
        EvaluationViewSet,
        plural="évaluations",
        singular="évaluation",
        detail="L'évaluation d'un contrat par une entité dans une campagne : consommation sur la période, "
        "état, notes par critère et notes calculées." + SCOPE,
    ),
    basename="evaluation",
)
router.register(
    "service-requests",
    describe(
        ServiceRequestViewSet,
        plural="demandes d'accompagnement",
        singular="demande d'accompagnement",
        detail="Les demandes des clients internes à la cellule achats (modules demandés, état, acheteur en "
        "charge, date cible, retard), avec leur journal, leurs messages et les métadonnées de leurs pièces "
        "jointes. Comme dans l'interface : la cellule achats voit toutes les demandes, un client celles des "
        "entités pour lesquelles il demande (et les siennes) ; la gouvernance et le contrôle de gestion "
        "n'en voient aucune.",
    ),
    basename="service-request",
)

urlpatterns = [
    path("v1/procedure-estimate", ProcedureEstimateView.as_view(), name="procedure-estimate"),
    path("v1/gains/estimate", GainEstimateView.as_view(), name="gains-estimate"),
    path("v1/process-map/", ProcessMapView.as_view(), name="process-map"),
    path("v1/indicators/", IndicatorsView.as_view(), name="indicators"),
    # The public portal's API (no token), before the router's catch-all of v1/.
    path("v1/portail/", include(portal_router.urls)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
