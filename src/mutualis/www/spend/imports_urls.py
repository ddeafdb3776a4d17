"""Spend pages: imports of the entities' finance exports (payment orders)."""

from django.urls import path

from . import imports

urlpatterns: list = [
    path("imports/", imports.SpendImportListView.as_view(), name="import_list"),
    path("imports/nouveau/", imports.SpendImportView.as_view(), name="import"),
    path("imports/<int:pk>/", imports.SpendImportRunView.as_view(), name="import_run"),
    path("imports/<int:pk>/rapport.csv", imports.SpendImportReportView.as_view(), name="import_report"),
]
