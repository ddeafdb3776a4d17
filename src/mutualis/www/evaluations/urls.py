"""Pages of the supplier evaluation, under /execution/: the incidents, the QCD campaigns and grids."""

from django.urls import path

from . import answers, campaigns, grids, incidents, panel, supplier_results

app_name = "evaluations"

urlpatterns = [
    path("incidents/", incidents.IncidentListView.as_view(), name="incident_list"),
    path("incidents/nouveau/", incidents.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", incidents.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/modifier/", incidents.IncidentUpdateView.as_view(), name="incident_update"),
    path(
        "incidents/<int:pk>/transition/",
        incidents.IncidentTransitionView.as_view(),
        name="incident_transition",
    ),
    path("evaluations/", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("evaluations/nouvelle/", campaigns.CampaignCreateView.as_view(), name="campaign_create"),
    path("evaluations/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign_detail"),
    path(
        "evaluations/<int:pk>/transition/",
        campaigns.CampaignTransitionView.as_view(),
        name="campaign_transition",
    ),
    path("evaluations/<int:pk>/relance/", campaigns.CampaignRemindView.as_view(), name="campaign_remind"),
    path("evaluations/reponse/<int:pk>/", answers.EvaluationAnswerView.as_view(), name="evaluation_answer"),
    path("evaluations/grilles/", grids.GridListView.as_view(), name="grid_list"),
    path("evaluations/grilles/famille/", grids.FamilyGridCreateView.as_view(), name="grid_family_create"),
    path("evaluations/grilles/<int:pk>/", grids.GridDetailView.as_view(), name="grid_detail"),
    path("evaluations/grilles/<int:pk>/modifier/", grids.GridUpdateView.as_view(), name="grid_update"),
    # The family's panel and what is sent to a supplier about its evaluation (issue 17, parts 4 and 5).
    path("evaluations/panel/", panel.PanelView.as_view(), name="panel"),
    path(
        "evaluations/<int:pk>/fournisseur/<int:supplier_pk>/",
        supplier_results.SupplierResultView.as_view(),
        name="supplier_result",
    ),
    path(
        "evaluations/<int:pk>/fournisseur/<int:supplier_pk>/pdf/",
        supplier_results.SupplierPdfView.as_view(),
        name="supplier_pdf",
    ),
    path(
        "evaluations/<int:pk>/fournisseur/<int:supplier_pk>/observations/",
        supplier_results.SupplierCommentView.as_view(),
        name="supplier_comment",
    ),
]
