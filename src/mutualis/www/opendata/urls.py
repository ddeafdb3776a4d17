from django.urls import path

from . import benchmark, imports, published, views

app_name = "opendata"

urlpatterns = [
    path("", views.ExportsView.as_view(), name="exports"),
    path("preparer/", views.ExportsPrepareView.as_view(), name="exports_prepare"),
    path("decp.json", views.DecpDownloadView.as_view(), name="decp_export"),
    path("decp/publie/", views.DecpPublishedView.as_view(), name="decp_published"),
    path("ocds.json", views.OcdsDownloadView.as_view(), name="ocds_export"),
    path("parangonnage/", benchmark.BenchmarkView.as_view(), name="benchmark"),
    path("marches-publies/", published.ExternalContractListView.as_view(), name="published_list"),
    path("imports/", imports.ImportRunListView.as_view(), name="import_list"),
    path("imports/nouveau/", imports.DecpImportView.as_view(), name="import_create"),
    path("imports/<int:pk>/", imports.ImportRunDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/rapport.json", imports.ImportReportDownloadView.as_view(), name="import_report"),
    path(
        "imports/<int:pk>/fichiers/<int:index>/", imports.ImportFileDownloadView.as_view(), name="import_file"
    ),
]
