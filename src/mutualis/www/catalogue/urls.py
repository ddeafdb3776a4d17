from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("familles/", views.PurchaseFamilyListView.as_view(), name="family_list"),
    path("familles/nouvelle/", views.PurchaseFamilyCreateView.as_view(), name="family_create"),
    path("familles/import/", views.PurchaseFamilyImportView.as_view(), name="family_import"),
    path("familles/<int:pk>/", views.PurchaseFamilyDetailView.as_view(), name="family_detail"),
    path("familles/<int:pk>/modifier/", views.PurchaseFamilyUpdateView.as_view(), name="family_update"),
    path("cpv/", views.CpvListView.as_view(), name="cpv_list"),
    path("cpv/suggestions/", views.CpvSuggestView.as_view(), name="cpv_suggest"),
    path("cpv/<str:pk>/", views.CpvDetailView.as_view(), name="cpv_detail"),
]
