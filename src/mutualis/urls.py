from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mutualis.www.urls")),
    path("compte/", include("mutualis.www.accounts.urls")),
    path("organisations/", include("mutualis.www.organisations.urls")),
    path("catalogue/", include("mutualis.www.catalogue.urls")),
    path("fournisseurs/", include("mutualis.www.suppliers.urls")),
    path("contrats/", include("mutualis.www.contracts.urls")),
    path("besoins/", include("mutualis.www.needs.urls")),
    path("projets/", include("mutualis.www.procurements.urls")),
    path("notifications/", include("mutualis.www.notifications.urls")),
    path("donnees-ouvertes/", include("mutualis.www.opendata.urls")),
    path("api/", include("mutualis.api.urls")),
    path("admin/", admin.site.urls),
]
handler404 = "mutualis.api.errors.page_not_found"
if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
