"""The planned purchases as an Atom feed and as an iCalendar file, filterable by `famille` (a family's
code) and `entite` (a member's id). A refused parameter gets a 400 naming it, in French."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views import View

from mutualis.portal import public
from mutualis.portal.feeds import FeedFilterForm, calendar, description


def _filters(request) -> FeedFilterForm:
    form = FeedFilterForm(request.GET)
    form.is_valid()
    return form


def _refused(form) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(form.refusal(), content_type="text/plain; charset=utf-8")


class PlannedAtomFeed(Feed):
    feed_type = Atom1Feed
    title = "Achats prévus — Portail des achats"
    subtitle = "Les achats que les membres du territoire prévoient de lancer."

    def __call__(self, request, *args, **kwargs):
        form = _filters(request)
        if form.errors:
            return _refused(form)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return _filters(request)

    def link(self):
        return reverse("portal:planned")

    def items(self, form):
        rows = form.narrow(public.planned_projects()).order_by("-updated_at", "-pk")
        return public.project_records(rows.values_list("pk", flat=True))

    def item_title(self, record):
        return record.object

    def item_description(self, record):
        return description(record)

    def item_link(self, record):
        return reverse("portal:project", args=[record.pk])

    def item_updateddate(self, record):
        return record.updated

    def item_categories(self, record):
        return [record.family] if record.family else []


class PlannedCalendarView(View):
    """Planned purchases on their quarter's first day, consultations on their deadline."""

    def get(self, request):
        form = _filters(request)
        if form.errors:
            return _refused(form)
        rows = form.narrow(public.published_projects()).order_by("pk")
        records = public.project_records(rows.values_list("pk", flat=True))
        body = calendar(
            records,
            url_of=lambda record: request.build_absolute_uri(reverse("portal:project", args=[record.pk])),
            now=timezone.now(),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="achats-prevus.ics"'
        return response
