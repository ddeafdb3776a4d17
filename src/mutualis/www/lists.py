"""The one list mechanism: scope, filter, search, sort, paginate (django-filter + django-tables2), export.

The filter sets live in the domain apps (`<app>/filters.py`), where the API finds the same ones.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from mutualis.core.export_jobs import export_job_start
from mutualis.core.scoping import scoped
from mutualis.organisations.access import access_for

from .exports import FORMATS, export_response
from .paging import EstimatingPaginator, KeysetPaginator, cursor_problem
from .permissions import RequirePermMixin


class FilteredListView(RequirePermMixin, SingleTableMixin, FilterView):
    """A scoped, filtered, sortable, paginated list that exports what it shows to CSV or XLSX."""

    template_name = "www/list.html"
    paginate_by = 25
    resource_class = None  # django-import-export resource used for exports
    export_name = "export"
    title = ""
    intro = ""
    create_url_name = ""
    import_url_name = ""
    # More (url name, label) buttons beside « Importer », shown to those who may create.
    extra_imports: tuple[tuple[str, str], ...] = ()
    create_perm = None
    # The keys of the default order (ascending, never null, the last one unique) when an index serves
    # them: the pages in that order are then read by keyset (www/paging.py), not by OFFSET.
    keyset_order: tuple = ()

    def get_queryset(self):
        # Final: a list narrows its rows in base_queryset, never around the scoping rule.
        return self.optimise(scoped(self.base_queryset(), self.request.user))

    def base_queryset(self):
        """Hook for a list showing a subset of the model (before scoping): e.g. the user's tasks."""
        return self.model.objects.all()

    def optimise(self, queryset):
        """Hook for select_related/prefetch_related, so lists stay at a fixed number of queries."""
        return queryset

    def table_rows(self, queryset):
        """Hook for what the page's table reads, when it shows less than the export writes."""
        return queryset

    def get_table_data(self):
        data = super().get_table_data()
        return self.table_rows(data) if isinstance(data, QuerySet) else data

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("export")
        if file_format in FORMATS and self.resource_class is not None:
            return self.export(file_format)
        problem = cursor_problem(request.GET) if self.keyset_order else None
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return super().get(request, *args, **kwargs)

    def export_queryset(self):
        """The rows the page shows, filtered and searched, unpaginated."""
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()

    def export(self, file_format: str):
        queryset = self.export_queryset()
        rows = queryset.count()
        if rows > settings.MUTUALIS_EXPORT_INLINE_MAX_ROWS:
            # Written by the background worker; the person follows it on its page.
            query = self.request.GET.copy()
            query.pop("export", None)
            job = export_job_start(
                user=self.request.user,
                title=self.title or self.export_name,
                path=self.request.path,
                query_string=query.urlencode(),
                file_format=file_format,
                file_stem=self.export_name,
                rows=rows,
            )
            return redirect("www:export_job", pk=job.pk)
        return export_response(
            self.resource_class(), queryset, file_stem=self.export_name, file_format=file_format
        )

    @classmethod
    def export_queryset_for(cls, user, query_string: str, kwargs: dict):
        """The resource and rows of this list for `user` and the page's query string, outside a request
        (the background export): the same permission, scoping, filters and search as the page."""
        request = HttpRequest()
        request.method = "GET"
        request.user = user
        request.GET = QueryDict(query_string)
        view = cls()
        view.setup(request, **kwargs)
        view.access = access_for(user)
        if not view.access.has(cls.required_perm):
            raise PermissionDenied  # rights withdrawn since the export was asked
        return view.resource_class(), view.export_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_create = self.create_perm is not None and self.access.has(self.create_perm)
        context.update(
            title=self.title,
            intro=self.intro,
            can_export=self.resource_class is not None,
            create_url_name=self.create_url_name if can_create else "",
            import_url_name=self.import_url_name if can_create else "",
            extra_imports=self.extra_imports if can_create else (),
            result_count=self.result_count(context["table"]),
            count_estimated=getattr(getattr(context["table"], "paginator", None), "estimated", False),
        )
        return context

    def get_paginate_by(self, queryset):
        # The table paginates, and counts the rows once; ListView's own pagination would count them again.
        return None

    def get_table_pagination(self, table):
        if self.keyset_order and not {table.prefixed_order_by_field, table.prefixed_page_field} & set(
            self.request.GET
        ):
            return {
                "per_page": self.paginate_by,
                "paginator_class": KeysetPaginator,
                "keys": self.keyset_order,
                "query": self.request.GET,
                "silent": False,  # a bad cursor is refused, not read as the first page
            }
        return {"per_page": self.paginate_by, "paginator_class": EstimatingPaginator}

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.caption = self.title
        return table

    @staticmethod
    def result_count(table) -> int:
        # The paginator has already counted: reuse it rather than count again.
        return table.paginator.count if getattr(table, "paginator", None) else len(table.rows)
