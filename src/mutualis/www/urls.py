from django.urls import path

from . import export_jobs, imports, views

app_name = "www"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibilite/", views.AccessibilityView.as_view(), name="accessibility"),
    path("imports/<int:pk>/", imports.ImportRunView.as_view(), name="import_run"),
    path("exports/<int:pk>/", export_jobs.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/fichier/", export_jobs.ExportJobDownloadView.as_view(), name="export_job_file"),
]
