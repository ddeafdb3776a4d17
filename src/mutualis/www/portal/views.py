"""The public portal for businesses, open without login: planned purchases, consultations in progress,
contracts awarded, the territory's members, a guide and the DECP file. Every page reads the records of
mutualis.portal.public, never model instances (see its whitelists)."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.generic import TemplateView, View

from mutualis.portal import public
from mutualis.portal.cache import PAGE_SECONDS, data_version
from mutualis.portal.decp import public_decp_file
from mutualis.portal.filters import PortalContractFilterSet, PortalProjectFilterSet

from ..files import private_file_response

MENU = (
    ("home", "portal:home", "Accueil"),
    ("planned", "portal:planned", "Achats prévus"),
    ("consultations", "portal:consultations", "Consultations en cours"),
    ("contracts", "portal:contracts", "Marchés attribués"),
    ("entities", "portal:entities", "Membres"),
    ("guide", "portal:guide", "Guide des entreprises"),
    ("open_data", "portal:open_data", "Données ouvertes"),
)


def _with_token(request, response) -> bool:
    """Whether the page carries a CSRF token (a form added to any portal page is caught here)."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    return not getattr(response, "streaming", False) and b"csrfmiddlewaretoken" in response.content


class PortalPage(TemplateView):
    """A public page: no login, the portal's own layout; `section` marks the current menu entry.

    Its HTML depends on the URL and the published data only, so it answers a conditional GET (ETag and
    Last-Modified from the data's version: 304) and is kept in the cache under that version and the full
    path. A page showing a form's error sets `storable` False: it is neither kept nor given validators.
    A page with a CSRF token is never kept nor validated, and says so (no-cache), whatever its class says;
    the interest form's page opts out altogether (`cacheable` False).
    """

    section = ""
    page_title = ""
    cacheable = True
    storable = True

    def dispatch(self, request, *args, **kwargs):
        if not self.cacheable or request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        version = data_version()
        modified = int(version.last_modified)
        response = get_conditional_response(request, etag=version.etag, last_modified=modified)
        if response is None:
            response = self.page(version, request, *args, **kwargs)
        if _with_token(request, response):
            add_never_cache_headers(response)  # a form's token is nobody else's, now or later
        elif self.storable and response.status_code in (200, 304):
            response["ETag"] = version.etag
            response["Last-Modified"] = http_date(modified)
            patch_cache_control(response, public=True, max_age=settings.MUTUALIS_PORTAL_MAX_AGE)
        return response

    def page(self, version, request, *args, **kwargs) -> HttpResponse:
        key = version.page_key(request.get_full_path())
        stored = cache.get(key)
        if stored is not None:
            return HttpResponse(stored, content_type="text/html; charset=utf-8")
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if self.storable and response.status_code == 200 and not _with_token(request, response):
            cache.set(key, response.content, PAGE_SECONDS)
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, page_title=self.page_title, portal_menu=MENU, **kwargs
        )


class PortalListView(PortalPage):
    """Filtered, paginated public records. The filters run on the QuerySet; the page gets records."""

    template_name = "www/portal/list.html"
    paginate_by = 20
    filterset_class = None
    intro = ""
    empty = ""
    card = ""  # the template of one record

    def rows(self):
        raise NotImplementedError

    def records(self, pks) -> list:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        filterset = self.filterset_class(self.request.GET or None, queryset=self.rows(), request=self.request)
        # A refused value lists nothing: the form says which field, nothing is guessed.
        valid = not filterset.is_bound or filterset.is_valid()
        rows = filterset.qs if valid else self.rows().none()
        self.storable = valid
        page = Paginator(rows.values_list("pk", flat=True), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            records=self.records(page.object_list),
            intro=self.intro,
            empty=self.empty,
            card=self.card,
            **kwargs,
        )


def feed_query(filterset) -> str:
    """The page's valid family and entity filters as the feeds' query string (« ?famille=…&entite=… »)."""
    if not filterset.is_bound or not filterset.is_valid():
        return ""
    family, entity = filterset.form.cleaned_data.get("family"), filterset.form.cleaned_data.get("entity")
    query = {**({"famille": family.code} if family else {}), **({"entite": entity.pk} if entity else {})}
    return f"?{urlencode(query)}" if query else ""


class HomeView(PortalPage):
    template_name = "www/portal/home.html"
    section = "home"
    page_title = "Portail des achats"

    def get_context_data(self, **kwargs):
        planned = public.planned_projects()
        consultations = public.consultations().order_by("tender_deadline", "object")
        return super().get_context_data(
            planned_count=planned.count(),
            consultation_count=consultations.count(),
            contract_count=public.awarded_contracts().count(),
            entity_count=public.public_entities().count(),
            consultations=public.project_records(consultations.values_list("pk", flat=True)[:3]),
            decp=public_decp_file(),
            **kwargs,
        )


class PlannedListView(PortalListView):
    section = "planned"
    page_title = "Achats prévus"
    filterset_class = PortalProjectFilterSet
    intro = (
        "Les achats que les membres du territoire prévoient de lancer, par trimestre : préparez-vous, "
        "présentez vos solutions au contact indiqué avant le lancement."
    )
    empty = "Aucun achat prévu ne correspond à votre recherche."
    card = "www/portal/_project_card.html"
    feeds = True  # the Atom and iCalendar feeds, carrying the page's family and entity filters

    def rows(self):
        return public.planned_projects()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.feeds:
            context.update(show_feeds=True, feed_query=feed_query(context["filter"]))
        return context

    def records(self, pks):
        return public.project_records(pks)


class ConsultationListView(PlannedListView):
    section = "consultations"
    page_title = "Consultations en cours"
    intro = (
        "Les consultations ouvertes : le dossier se retire et les offres se déposent sur le profil "
        "d'acheteur indiqué, avant la date limite."
    )
    empty = "Aucune consultation en cours ne correspond à votre recherche."
    feeds = False

    def rows(self):
        return public.consultations().order_by("tender_deadline", "object")


class ProjectDetailView(PortalPage):
    template_name = "www/portal/project_detail.html"

    def get_context_data(self, **kwargs):
        pk = self.kwargs["pk"]
        if not public.published_projects().filter(pk=pk).exists():
            raise Http404
        [project] = public.project_records([pk])
        self.section = "consultations" if project.is_consultation else "planned"
        self.page_title = project.object
        return super().get_context_data(project=project, **kwargs)


class ContractListView(PortalListView):
    section = "contracts"
    page_title = "Marchés attribués"
    filterset_class = PortalContractFilterSet
    intro = (
        "Les marchés notifiés par les membres du territoire, avec les données essentielles que la loi "
        "rend publiques (titulaires, montant, durée, procédure)."
    )
    empty = "Aucun marché attribué ne correspond à votre recherche."
    card = "www/portal/_contract_card.html"

    def rows(self):
        return public.awarded_contracts().order_by("-notification_date", "-pk")

    def records(self, pks):
        return public.contract_records(pks)


class EntityListView(PortalPage):
    template_name = "www/portal/entity_list.html"
    section = "entities"
    page_title = "Les membres du territoire"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entities=public.entity_records(public.public_entities()), **kwargs)


class EntityDetailView(PortalPage):
    template_name = "www/portal/entity_detail.html"
    section = "entities"
    shown = 10

    def get_context_data(self, **kwargs):
        entities = public.entity_records(public.public_entities().filter(pk=self.kwargs["pk"]))
        if not entities:
            raise Http404
        [entity] = entities
        self.page_title = entity.name
        projects = public.published_projects().concerning([entity.pk])
        contracts = public.awarded_contracts().filter(buyer=entity.pk).order_by("-notification_date", "-pk")
        return super().get_context_data(
            entity=entity,
            projects=public.project_records(projects.values_list("pk", flat=True)),
            contracts=public.contract_records(contracts.values_list("pk", flat=True)[: self.shown]),
            contract_count=contracts.count(),
            **kwargs,
        )


class GuideView(PortalPage):
    template_name = "www/portal/guide.html"
    section = "guide"
    page_title = "Guide pour les entreprises"


class OpenDataView(PortalPage):
    template_name = "www/portal/open_data.html"
    section = "open_data"
    page_title = "Données essentielles des marchés (DECP)"

    def get_context_data(self, **kwargs):
        return super().get_context_data(decp=public_decp_file(), **kwargs)


class DecpDownloadView(View):
    """The stored DECP file, without login: public data by law (R2196-1)."""

    def get(self, request):
        decp = public_decp_file()
        if decp is None:
            raise Http404
        return private_file_response(decp.stored_name, filename=decp.download_name)
