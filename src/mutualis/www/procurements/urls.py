from django.urls import path

from . import board, interests, offer_prices, offers, process_map, projects, reports

app_name = "procurements"

urlpatterns = [
    path("", projects.ProjectListView.as_view(), name="project_list"),
    path("tableau/", board.BoardView.as_view(), name="board"),
    path("mes-taches/", board.MyTasksView.as_view(), name="my_tasks"),
    path("nouveau/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/modifier/", projects.ProjectUpdateView.as_view(), name="project_update"),
    path("<int:pk>/etape/", projects.ProjectTransitionView.as_view(), name="project_transition"),
    path("<int:pk>/interets/", interests.InterestExportView.as_view(), name="interest_export"),
    path(
        "depuis-besoins/<int:campaign>/<int:family>/",
        projects.ProjectFromNeedsView.as_view(),
        name="project_from_needs",
    ),
    # Lots, criteria grid, offers, award and notification
    path("<int:project>/lots/nouveau/", offers.LotCreateView.as_view(), name="lot_create"),
    path("lots/<int:pk>/modifier/", offers.LotUpdateView.as_view(), name="lot_update"),
    path("lots/<int:pk>/supprimer/", offers.LotDeleteView.as_view(), name="lot_delete"),
    path("<int:project>/criteres/nouveau/", offers.CriterionCreateView.as_view(), name="criterion_create"),
    path("criteres/<int:pk>/modifier/", offers.CriterionUpdateView.as_view(), name="criterion_update"),
    path("criteres/<int:pk>/supprimer/", offers.CriterionDeleteView.as_view(), name="criterion_delete"),
    path("lots/<int:lot>/offres/nouvelle/", offers.OfferCreateView.as_view(), name="offer_create"),
    path("offres/<int:pk>/modifier/", offers.OfferUpdateView.as_view(), name="offer_update"),
    path("offres/<int:pk>/supprimer/", offers.OfferDeleteView.as_view(), name="offer_delete"),
    path("offres/<int:pk>/prix/", offer_prices.OfferPriceScheduleView.as_view(), name="offer_price_schedule"),
    path(
        "offres/<int:pk>/prix/import/",
        offer_prices.OfferPriceScheduleImportView.as_view(),
        name="offer_price_schedule_import",
    ),
    path("lots/<int:pk>/negociation/", offers.LotNegotiationView.as_view(), name="lot_negotiate"),
    path("lots/<int:pk>/attribuer/", offers.LotAwardView.as_view(), name="lot_award"),
    path("lots/<int:pk>/infructueux/", offers.LotUnsuccessfulView.as_view(), name="lot_unsuccessful"),
    path("lots/<int:pk>/notifier/", offers.LotNotifyView.as_view(), name="lot_notify"),
    # Offer analysis report
    path("<int:pk>/analyse.pdf", reports.AnalysisPdfView.as_view(), name="analysis_pdf"),
    path("<int:pk>/analyse.xlsx", reports.AnalysisXlsxView.as_view(), name="analysis_xlsx"),
    # Process map
    path("carte-des-processus/", process_map.ProcessMapView.as_view(), name="process_map"),
    path(
        "carte-des-processus/nouvelle-version/",
        process_map.ProcessMapDraftCreateView.as_view(),
        name="process_map_draft_create",
    ),
    path(
        "carte-des-processus/<int:pk>/modifier/",
        process_map.ProcessMapDraftView.as_view(),
        name="process_map_draft",
    ),
    path(
        "carte-des-processus/<int:pk>/publier/",
        process_map.ProcessMapPublishView.as_view(),
        name="process_map_publish",
    ),
]
