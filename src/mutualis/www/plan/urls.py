from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("", views.TerritoryView.as_view(), name="territory"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/nouvelle/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/modifier/", views.ActionUpdateView.as_view(), name="action_update"),
    path("etablissements/<int:pk>/", views.EntityView.as_view(), name="entity"),
    path("classeur-paat.xlsx", views.ExportView.as_view(), name="export_xlsx"),
    path("import/", views.ImportView.as_view(), name="import"),
]
