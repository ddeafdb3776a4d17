from django.urls import path

from . import views

app_name = "suppliers"

urlpatterns = [
    path("", views.SupplierListView.as_view(), name="supplier_list"),
    path("nouveau/", views.SupplierCreateView.as_view(), name="supplier_create"),
    path("import/", views.SupplierImportView.as_view(), name="supplier_import"),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("<int:pk>/modifier/", views.SupplierUpdateView.as_view(), name="supplier_update"),
]
