from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mutualis.core.storage import PUBLIC_FOLDER
from mutualis.www.files import public_file
from mutualis.www.health import health_view

urlpatterns = [
    path("", include("mutualis.www.urls")),
    path("compte/", include("mutualis.www.accounts.urls")),
    path("organisations/", include("mutualis.www.organisations.urls")),
    path("catalogue/", include("mutualis.www.catalogue.urls")),
    path("fournisseurs/", include("mutualis.www.suppliers.urls")),
    path("contrats/", include("mutualis.www.contracts.urls")),
    path("execution/", include("mutualis.www.evaluations.urls")),
    path("accompagnement/matinales/", include("mutualis.www.events.urls")),
    path("accompagnement/bibliotheque/", include("mutualis.www.library.urls")),
    path("accompagnement/", include("mutualis.www.clients.urls")),
    path("besoins/", include("mutualis.www.needs.urls")),
    path("projets/", include("mutualis.www.procurements.urls")),
    path("gains/", include("mutualis.www.gains.urls")),
    path("depenses/", include("mutualis.www.spend.urls")),
    path("pilotage/", include("mutualis.www.steering.urls")),
    path("plan-actions/", include("mutualis.www.plan.urls")),
    path("notifications/", include("mutualis.www.notifications.urls")),
    path("donnees-ouvertes/", include("mutualis.www.opendata.urls")),
    path("portail/", include("mutualis.www.portal.urls")),  # public: no login
    path("api/", include("mutualis.api.urls")),
    path("admin/", admin.site.urls),
    path("sante/", health_view, name="health"),  # no login: the proxy and monitoring read it
]
# Only the public folder of the media has a URL, in every profile; private files go through the views
# that check rights (www/files.py).
urlpatterns.append(
    path(f"{settings.MEDIA_URL.strip('/')}/{PUBLIC_FOLDER}/<path:name>", public_file, name="public_file")
)
handler404 = "mutualis.api.errors.page_not_found"
