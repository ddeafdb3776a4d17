from django.urls import path

from . import candidates, data_imports, views

app_name = "suppliers"

urlpatterns = [
    path("", views.SupplierListView.as_view(), name="supplier_list"),
    path("nouveau/", views.SupplierCreateView.as_view(), name="supplier_create"),
    path("import/", views.SupplierImportView.as_view(), name="supplier_import"),
    path("donnees/", data_imports.SupplierDataImportView.as_view(), name="data_import"),
    path("donnees/<int:pk>/", data_imports.SupplierDataImportRunView.as_view(), name="data_import_run"),
    path("candidats/", candidates.CandidateListView.as_view(), name="candidate_list"),
    path("candidats/<int:pk>/ajouter/", candidates.CandidatePromoteView.as_view(), name="candidate_promote"),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("<int:pk>/modifier/", views.SupplierUpdateView.as_view(), name="supplier_update"),
]
