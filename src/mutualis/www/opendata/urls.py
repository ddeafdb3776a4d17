from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.ExportsView.as_view(), name="exports"),
    path("decp.json", views.DecpDownloadView.as_view(), name="decp_export"),
    path("ocds.json", views.OcdsDownloadView.as_view(), name="ocds_export"),
]
