"""A list export read as tuples (values_list) through a column plan bound once, not record by record.

django-import-export builds a model instance per row (and per related row), then looks up every field's
name, dehydrate method and widget for every cell: about a millisecond per registry contract. The plan
is derived once from the resource's own export fields and widgets, so the columns, headers and cell
formats stay exactly those of `export_resource`:

- a stock widget (text, number, date, Oui/Non, foreign key) is known here (STOCK);
- a project widget says how it reads with `export_column(attribute)`, next to its `render`;
- a resource declares the columns of its `dehydrate_*` methods in `export_columns`.

Anything else (an unknown render, a dehydrate method without a column, a model property) returns no
plan: the resource stays on the record-by-record path. tests/www/test_export_plans.py checks that both
paths give the same cells for every exported list.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from inspect import getattr_static
from itertools import islice

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models.query_utils import DeferredAttribute
from django.utils import formats, numberformat
from django.utils.encoding import force_str
from django.utils.translation import get_language
from import_export import fields, resources, widgets


@dataclass(frozen=True)
class Value:
    """A cell computed from the record's own columns (paths through foreign keys), `render(*values)`."""

    paths: tuple[str, ...]
    render: Callable


@dataclass(frozen=True)
class Many:
    """A cell from a to-many relation: `render(list of path values)`, in the relation's default order
    (the order of the prefetch the record-by-record path reads)."""

    relation: str
    path: str
    render: Callable[[list], object]


def joined(separator: str = "; ") -> Callable[[list], str]:
    return lambda values: separator.join(values)


# ---------------------------------------------------------------------------------------------------
# Stock django-import-export widgets, keyed by the class that defines their render (coerce_to_string).


def _text(widget, attribute):
    return Value((attribute,), lambda value: "" if value is None else force_str(value))


def _number(widget, attribute):
    # formats.number_format reads the locale's separators at every call: read once, same result.
    language = get_language()
    number = partial(
        numberformat.format,
        decimal_sep=formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        decimal_pos=None,
        grouping=formats.get_format("NUMBER_GROUPING", language, use_l10n=True),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        force_grouping=False,
        use_l10n=True,
    )
    # numberformat.format's own shortcut for an integer when nothing is grouped.
    plain_ints = not settings.USE_THOUSAND_SEPARATOR
    number_types = widgets.numbers.Number

    def render(value):
        if plain_ints and value.__class__ is int:
            return str(value)
        return number(value) if isinstance(value, number_types) else ""

    return Value((attribute,), render)


def _date(widget, attribute):
    pattern = formats.sanitize_strftime_format(widget.formats[0])
    return Value(
        (attribute,), lambda value: value.strftime(pattern) if value and isinstance(value, date) else ""
    )


def _boolean(widget, attribute):
    yes, no = widget.TRUE_VALUES[0], widget.FALSE_VALUES[0]
    return Value((attribute,), lambda value: "" if type(value) is not bool else yes if value else no)


def _foreign_key(widget, attribute):
    if widget.key_is_id or widget.use_natural_foreign_keys:
        return None
    # The key itself tells a missing record ("") from a record whose field is empty (None).
    return Value(
        (f"{attribute}__pk", f"{attribute}__{widget.field}"),
        lambda key, value: "" if key is None else value,
    )


STOCK = {
    widgets.Widget: _text,
    widgets.CharWidget: _text,
    widgets.NumberWidget: _number,
    widgets.DateWidget: _date,
    widgets.BooleanWidget: _boolean,
    widgets.ForeignKeyWidget: _foreign_key,
}
ANY_STRING = (widgets.Widget, widgets.ForeignKeyWidget)  # their render ignores coerce_to_string


def _owner(cls, name: str):
    """The class of cls's MRO that defines `name`."""
    return next((c for c in cls.__mro__ if name in c.__dict__), None)


def widget_column(widget, attribute: str):
    cls = type(widget)
    render_owner = _owner(cls, "render")
    column_owner = _owner(cls, "export_column")
    # A render overridden below the export_column would not be the one the plan reproduces.
    if column_owner is not None and issubclass(column_owner, render_owner):
        return widget.export_column(attribute)
    factory = STOCK.get(render_owner)
    if factory is None or not (widget.coerce_to_string or render_owner in ANY_STRING):
        return None
    return factory(widget, attribute)


# ---------------------------------------------------------------------------------------------------
# The plan


def _path_ok(model, path: str, annotations) -> bool:
    """Through concrete foreign keys to a plain stored field (or pk), or an annotation of the list."""
    if path in annotations:
        return True
    *links, last = path.split("__")
    for name in links:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            return False
        model = field.related_model
    if last == "pk":
        return True
    try:
        field = model._meta.get_field(last)
    except FieldDoesNotExist:
        return False
    # Same value as the attribute only for a stored, non-relational field read through the plain descriptor.
    return (
        field.concrete
        and not field.is_relation
        and type(getattr_static(model, field.attname)) is DeferredAttribute
    )


def _relation(model, name: str):
    """(related model, lookup back to `model`) of a to-many relation, or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (field.one_to_many or field.many_to_many):
        return None
    return field.related_model, field.remote_field.name


def generic_export(resource) -> bool:
    cls = type(resource)
    return all(
        getattr(cls, name) is getattr(resources.Resource, name)
        for name in ("export_resource", "export_field", "get_field_name")
    )


def _field_column(resource, name: str, field):
    declared = getattr(resource, "export_columns", {}).get(name)
    if declared is not None:
        return declared
    method = field.get_dehydrate_method(name)
    if callable(method) or getattr(resource, method, None) is not None:
        return None  # computed from the record by code the plan cannot read
    if type(field).export is not fields.Field.export or type(field).get_value is not fields.Field.get_value:
        return None
    return widget_column(field.widget, field.attribute) if field.attribute else None


class ExportPlan:
    """The resource's export columns as values_list paths, to-many lookups and bound render functions."""

    def __init__(self, model, columns: list):
        self.model = model
        self.columns = columns
        self.paths: list[str] = ["pk"]
        self.relations: dict[str, list[str]] = {}
        for column in columns:
            if isinstance(column, Value):
                self.paths += [p for p in column.paths if p not in self.paths]
            else:
                wanted = self.relations.setdefault(column.relation, [])
                wanted += [] if column.path in wanted else [column.path]
        self.cells = [self._cell(column) for column in columns]

    def _cell(self, column):
        if isinstance(column, Value):
            at = [self.paths.index(p) for p in column.paths]
            render = column.render
            if len(at) == 1:
                (i,) = at
                return lambda row, related: render(row[i])
            return lambda row, related: render(*[row[i] for i in at])
        j = self.relations[column.relation].index(column.path)
        relation, render = column.relation, column.render
        return lambda row, related: render([values[j] for values in related[relation].get(row[0], ())])

    def related(self, ids: list) -> dict[str, dict]:
        """Each to-many relation of the chunk's records, in one query per relation."""
        found = {}
        for name, paths in self.relations.items():
            model, back = _relation(self.model, name)
            by_owner = defaultdict(list)
            for owner, *values in model._default_manager.filter(**{f"{back}__in": ids}).values_list(
                back, *paths
            ):
                by_owner[owner].append(values)
            found[name] = by_owner
        return found

    def rows(
        self, queryset, *, chunk_size: int, on_chunk: Callable[[int], None] | None = None
    ) -> Iterator[list]:
        # prefetch_related(None): the plan reads related rows itself, once per chunk.
        records = queryset.prefetch_related(None).values_list(*self.paths).iterator(chunk_size=chunk_size)
        cells, count = self.cells, 0
        while chunk := list(islice(records, chunk_size)):
            related = self.related([row[0] for row in chunk])
            for row in chunk:
                yield [cell(row, related) for cell in cells]
            count += len(chunk)
            if on_chunk is not None:
                on_chunk(count)


def export_plan(resource, queryset) -> ExportPlan | None:
    """The plan of `resource` over `queryset`, or None when a column cannot be read without the record."""
    if not generic_export(resource):
        return None
    model, annotations = queryset.model, queryset.query.annotations
    columns = []
    for field in resource.get_export_fields():
        column = _field_column(resource, resource.get_field_name(field), field)
        if column is None:
            return None
        if isinstance(column, Value) and not all(_path_ok(model, p, annotations) for p in column.paths):
            return None
        if isinstance(column, Many):
            relation = _relation(model, column.relation)
            if relation is None or not _path_ok(relation[0], column.path, {}):
                return None
        columns.append(column)
    return ExportPlan(model, columns)
