"""Spend pages: the budget accounts' mapping to families, and the correction of a line's link."""

from django.urls import path

from . import accounts, corrections

urlpatterns = [
    path("comptes/", accounts.AccountFamilyListView.as_view(), name="account_list"),
    path("comptes/nouveau/", accounts.AccountFamilyCreateView.as_view(), name="account_create"),
    path("comptes/import/", accounts.AccountFamilyImportView.as_view(), name="account_import"),
    path("comptes/par-defaut/", accounts.AccountLoadDefaultsView.as_view(), name="account_load_defaults"),
    path("comptes/reclasser/", accounts.AccountReclassifyView.as_view(), name="account_reclassify"),
    path("comptes/<int:pk>/modifier/", accounts.AccountFamilyUpdateView.as_view(), name="account_update"),
    path("comptes/<int:pk>/supprimer/", accounts.AccountFamilyDeleteView.as_view(), name="account_delete"),
    path("lignes/<int:pk>/", corrections.SpendLineDetailView.as_view(), name="line_detail"),
    path("lignes/<int:pk>/rattachement/", corrections.SpendLineRelinkView.as_view(), name="line_relink"),
]
