from django.urls import path

from . import prices, timeline, views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="contract_list"),
    path("utilisables/", views.UsableContractListView.as_view(), name="usable_list"),
    path("echeancier/", timeline.TimelineView.as_view(), name="timeline"),
    path("nouveau/", views.ContractCreateView.as_view(), name="contract_create"),
    path("import/", views.ContractImportView.as_view(), name="contract_import"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("<int:pk>/modifier/", views.ContractUpdateView.as_view(), name="contract_update"),
    path("<int:pk>/avenants/nouveau/", views.AmendmentCreateView.as_view(), name="amendment_create"),
    path("<int:pk>/reconductions/", views.RenewalDecisionCreateView.as_view(), name="renewal_decide"),
    path("<int:pk>/documents/nouveau/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("<int:pk>/prix/", prices.PriceScheduleView.as_view(), name="price_schedule"),
    path("<int:pk>/prix/import/", prices.PriceScheduleImportView.as_view(), name="price_schedule_import"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/supprimer/", views.DocumentDeleteView.as_view(), name="document_delete"),
]
