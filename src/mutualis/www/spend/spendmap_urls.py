"""Spend pages: the spend map, its workbook, and the spend lines behind every figure."""

from django.urls import path

from . import lines, spendmap

urlpatterns: list = [
    path("", spendmap.SpendMapView.as_view(), name="map"),
    path("cartographie.xlsx", spendmap.SpendMapExportView.as_view(), name="map_xlsx"),
    path("lignes/", lines.SpendLineListView.as_view(), name="line_list"),
]
