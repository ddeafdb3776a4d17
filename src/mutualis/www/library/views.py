"""The library's pages: search and list, a document with its versions, its creation (with the first file),
its edit, a new version, archiving; and the download of a version. Every page and the download read the
documents through Document.objects.visible_to(user): a document one may not see is not found (404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView

from mutualis.library.filters import DocumentFilterSet
from mutualis.library.models import Document, DocumentVersion
from mutualis.library.resources import DocumentResource
from mutualis.library.services import document_archive, document_create, document_save, version_add
from mutualis.organisations.roles import Perm

from ..actions import RecordActionView
from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView, add_service_errors
from ..files import private_file_response
from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .forms import DocumentCreateForm, DocumentForm, VersionForm
from .tables import DocumentTable


def _visible(user):
    return Document.objects.visible_to(user)


class DocumentListView(FilteredListView):
    model = Document
    required_perm = Perm.VIEW_LIBRARY
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    resource_class = DocumentResource
    export_name = "bibliotheque"
    title = "Bibliothèque des clients internes"
    intro = (
        "Guides, livrets, modèles et fiches pratiques de la cellule achats, classés par module de l'offre "
        "de service et par famille d'achat. Chaque document se télécharge dans sa version en cours ; "
        "les versions précédentes restent sur sa page."
    )
    create_perm = Perm.MANAGE_LIBRARY
    create_url_name = "library:document_create"

    def optimise(self, queryset):
        return queryset.with_current().select_related("module", "family").prefetch_related("entities")


class DocumentDetailView(RecordDetailView):
    required_perm = Perm.VIEW_LIBRARY
    edit_perm = Perm.MANAGE_LIBRARY
    template_name = "www/library/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return _visible(self.request.user).select_related("module", "family")

    def get_context_data(self, **kwargs):
        versions = list(self.object.versions.select_related("uploaded_by"))  # newest first
        return super().get_context_data(
            current=versions[0] if versions else None,
            past_versions=versions[1:],
            entities=self.object.entities.order_by("name"),
            **kwargs,
        )


class DocumentCreateView(RecordCreateView):
    model = Document
    form_class = DocumentCreateForm
    required_perm = Perm.MANAGE_LIBRARY
    service = document_create
    title = "Ajouter un document à la bibliothèque"
    success_message = "Document ajouté à la bibliothèque."
    list_url_name = "library:document_list"

    def service_arguments(self, form) -> dict:
        return {
            "document": form.save(commit=False),
            "entities": form.cleaned_data["entities"],
            "file": form.cleaned_data["file"],
            "note": form.cleaned_data["note"],
        }


class DocumentUpdateView(RecordUpdateView):
    model = Document
    form_class = DocumentForm
    required_perm = Perm.MANAGE_LIBRARY
    service = document_save
    title = "Modifier le document"
    success_message = "Document enregistré."

    def get_queryset(self):
        return _visible(self.request.user)

    def service_arguments(self, form) -> dict:
        return {"document": form.save(commit=False), "entities": form.cleaned_data["entities"]}


class VersionCreateView(RequirePermMixin, FormView):
    """A new file for the document, which becomes its current version."""

    required_perm = Perm.MANAGE_LIBRARY
    form_class = VersionForm
    template_name = "www/form.html"

    @cached_property
    def document(self) -> Document:
        # Looked up after the permission check (RequirePermMixin.dispatch): 403 before 404.
        return get_object_or_404(_visible(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Nouvelle version : {self.document}",
            cancel_url=self.document.get_absolute_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            version = version_add(
                actor=self.request.user,
                document=self.document,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Version {version.number} déposée : c'est la version en cours.")
        return redirect(self.document)


class DocumentArchiveView(RecordActionView):
    """Archive (withdraw from the clients' library) or put back (`archived=false` in the POST)."""

    required_perm = Perm.MANAGE_LIBRARY

    def get_record(self, pk):
        return get_object_or_404(_visible(self.request.user), pk=pk)

    def act(self, document):
        archived = self.request.POST.get("archived", "true") != "false"
        document_archive(actor=self.request.user, document=document, archived=archived)
        if archived:
            return f"« {document} » est archivé : les clients ne le voient plus."
        return f"« {document} » est de nouveau dans la bibliothèque."


class VersionDownloadView(RequirePermMixin, View):
    """Files are served through this view only, to those who see the document."""

    required_perm = Perm.VIEW_LIBRARY

    def get(self, request, pk):
        version = get_object_or_404(
            DocumentVersion.objects.filter(document__in=_visible(request.user)), pk=pk
        )
        return private_file_response(version.file.name, filename=version.name)
