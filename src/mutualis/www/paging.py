"""The lists' paginators: the count (exact, or estimated past 10,000 rows on PostgreSQL) and keyset
pagination, for the lists whose default order an index serves (FilteredListView.keyset_order).

An OFFSET reads and drops every row before the page: the registry's page 2,000 read 50,000 rows. Here
« Page suivante » resumes after the last row shown (?apres=<id>), « Page précédente » before the first
one (?avant=<id>) and « Dernière page » reads the order backwards (?fin=1): each page seeks in the index.
Page numbers (?page=) stay for the first pages and for the orders a person chooses (?sort=)."""

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.utils.functional import cached_property

from mutualis.core.estimates import estimated_count
from mutualis.core.filters import as_id
from mutualis.core.ordering import RowAfter, unindexed

AFTER, BEFORE, LAST = "apres", "avant", "fin"
CURSOR_PARAMS = (AFTER, BEFORE, LAST)
# Up to this many rows (counted for the page anyway), a page sorts them rather than read the order's index.
SORT_UP_TO = 10_000
# The most rows a page shows, whatever ?per_page= asks.
MAX_PER_PAGE = 500


class EstimatingPaginator(Paginator):
    """Counts exactly, except a whole large table on PostgreSQL (core/estimates.py): shown « environ »."""

    estimated = False
    keyset = False

    def __init__(self, object_list, per_page, *args, **kwargs):
        # ?per_page= comes from the address: a page of 100,000 rows would be one request's denial of
        # service, so a page holds at most MAX_PER_PAGE rows (the export serves whole lists).
        super().__init__(object_list, min(int(per_page), MAX_PER_PAGE), *args, **kwargs)

    @cached_property
    def count(self) -> int:
        # django-tables2 pages its BoundRows, whose data holds the queryset.
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        estimate = estimated_count(queryset) if isinstance(queryset, QuerySet) else None
        if estimate is None:
            return super().count
        self.estimated = True
        return estimate


def cursor_problem(query) -> str | None:
    """What is wrong with the page's cursors, naming the parameter; None when they are ids or absent."""
    for name in (AFTER, BEFORE):
        value = query.get(name)
        if value not in (None, "") and as_id(value) is None:
            return (
                f"Paramètre de pagination « {name} » : identifiant de ligne attendu (entier positif), "
                f"reçu « {value} »."
            )
    return None


def cursor_of(query, name: str) -> int | None:
    """The id a cursor parameter names (the view has refused a bad one: cursor_problem)."""
    problem = cursor_problem(query)
    if problem:
        raise BadRequest(problem)
    value = query.get(name)
    return as_id(value) if value not in (None, "") else None


class KeysetPage:
    """What the list template reads of a page: its rows and whether there are pages before and after."""

    keyset = True

    def __init__(self, object_list, has_previous: bool, has_next: bool, is_first: bool):
        self.object_list = object_list
        self._has_previous, self._has_next = has_previous, has_next
        self.is_first = is_first

    def has_previous(self) -> bool:
        return self._has_previous

    def has_next(self) -> bool:
        return self._has_next

    def has_other_pages(self) -> bool:
        return self._has_previous or self._has_next

    @property
    def first_id(self):
        return self.object_list.data[0].pk if self.object_list.data else None

    @property
    def last_id(self):
        return self.object_list.data[-1].pk if self.object_list.data else None


class KeysetPaginator(EstimatingPaginator):
    """Counts as the list's paginator does (once, or the estimate), and reads one page by seeking after or
    before the row a cursor names, in `keys` order (ascending, never null, the last one unique)."""

    keyset = True

    def __init__(self, object_list, per_page, *, keys, query, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.keys = [F(key) if isinstance(key, str) else key for key in keys]
        self.query = query

    def page(self, number=None) -> KeysetPage:
        rows = self.object_list  # the table's BoundRows over its queryset
        queryset = rows.data.data
        after, before = cursor_of(self.query, AFTER), cursor_of(self.query, BEFORE)
        backwards = before is not None or self.query.get(LAST) not in (None, "")
        cursor = self._values_of(queryset, after if after is not None else before)
        keys = self.keys
        if not self.estimated and self.count <= SORT_UP_TO:
            # Few rows (filters): sorting them is cheap, walking the order's index to meet them is not.
            keys = [unindexed(keys[0]), *keys[1:]]
        queryset = queryset.order_by(*keys)
        if cursor is not None:
            queryset = queryset.filter(RowAfter(keys, cursor, before=before is not None))
        if backwards:
            queryset = queryset.reverse()
        # One row more than a page says whether there is another page beyond it.
        records = list(queryset[: self.per_page + 1])
        more = len(records) > self.per_page
        records = records[: self.per_page]
        if backwards:
            records.reverse()
        has_previous, has_next = (more, True) if backwards else (cursor is not None, more)
        if backwards and cursor is None:
            has_next = False  # the last page
        page_rows = type(rows)(data=records, table=rows.table)
        return KeysetPage(page_rows, has_previous, has_next, is_first=not has_previous)

    def _values_of(self, queryset, pk):
        """The keys of the row a cursor names, read among the list's own rows (scope and filters): a row
        since deleted or filtered out gives no cursor, so the first (or last) page."""
        if pk is None:
            return None
        names = {f"keyset_{n}": key for n, key in enumerate(self.keys)}
        found = queryset.order_by().prefetch_related(None).filter(pk=pk).annotate(**names)
        found = found.values_list(*names)[:1]
        return next(iter(found), None)
