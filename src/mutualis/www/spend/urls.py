"""Spend pages, in three groups that grow apart: imports of finance exports, the spend map and its lines,
the budget accounts' mapping and link corrections."""

from . import accounts_urls, imports_urls, spendmap_urls

app_name = "spend"

urlpatterns = imports_urls.urlpatterns + spendmap_urls.urlpatterns + accounts_urls.urlpatterns
