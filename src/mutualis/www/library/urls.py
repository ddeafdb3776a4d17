"""Pages of the internal clients' library, under /accompagnement/bibliotheque/."""

from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("nouveau/", views.DocumentCreateView.as_view(), name="document_create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/modifier/", views.DocumentUpdateView.as_view(), name="document_update"),
    path("<int:pk>/nouvelle-version/", views.VersionCreateView.as_view(), name="version_create"),
    path("<int:pk>/archiver/", views.DocumentArchiveView.as_view(), name="document_archive"),
    path("versions/<int:pk>/telecharger/", views.VersionDownloadView.as_view(), name="version_download"),
]
