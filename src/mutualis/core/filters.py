"""Pieces shared by the domain filter sets, which serve both the list pages and the API.

A filter value that cannot mean anything is refused with a message naming the parameter (a form error,
so a 400 on the API), never read as "no filter" nor let through to the database: ids must be whole
numbers within the range of the tables' keys, yes/no answers one of the documented spellings."""

import re

import django_filters
from django import forms
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Q

# Every model's key is a BigAutoField (DEFAULT_AUTO_FIELD): ids above this overflow the database.
MAX_ID = BaseDatabaseOperations.integer_field_ranges["BigAutoField"][1]
ID_MESSAGE = f"Entier attendu entre 1 et {MAX_ID}."
# Only ASCII digits: str.isdigit() also accepts "²" or "٣", which int() then refuses.
_DIGITS = re.compile(r"[0-9]+")

# Read without regard to case ("True" is what Python clients send for True).
YES_NO = {"true": True, "1": True, "oui": True, "false": False, "0": False, "non": False}
YES_NO_MESSAGE = "Valeur attendue : true, false, 1, 0, oui ou non (vide : tous)."


def yes_no(value) -> bool | None:
    """True or False for a documented spelling, None for anything else."""
    return YES_NO.get(str(value).lower()) if isinstance(value, str | bool) else None


def as_id(value) -> int | None:
    """The id a query value stands for, or None when it is not a whole number within the keys' range."""
    text = str(value)
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    """Tous / Oui / Non, in French, for boolean filters."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "Tous"), ("true", "Oui"), ("false", "Non")]

    def value_from_datadict(self, data, files, name):
        # The raw text, so that the field can refuse nonsense (BooleanWidget turns it into "all").
        return data.get(name)

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, yes_no(value) if isinstance(value, str) else value, attrs, renderer)


class YesNoField(forms.NullBooleanField):
    widget = YesNoAllWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        answer = yes_no(value)
        if answer is None:
            raise forms.ValidationError(YES_NO_MESSAGE, code="invalid")
        return answer


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter: true/false, 1/0, oui/non; empty means all; anything else is refused."""

    field_class = YesNoField


class IdChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.null_label is not None and value == self.null_value:
            return value  # "null" (no record), offered by the filters django-filter makes for a key
        number = as_id(value)
        if number is None:
            raise forms.ValidationError(ID_MESSAGE, code="invalid")
        return super().to_python(number)


class RecordFilter(django_filters.ModelChoiceFilter):
    """A related record by its id: a whole number within the keys' range, else refused."""

    field_class = IdChoiceField


class SearchFilterSet(django_filters.FilterSet):
    """Adds a free-text `q` filter delegated to the QuerySet's `search()` method; the domain filter sets
    declare plain django-filter filters, made strict here so that no list can forget it."""

    STRICT = {django_filters.ModelChoiceFilter: RecordFilter, django_filters.BooleanFilter: YesNoFilter}

    q = django_filters.CharFilter(method="filter_search", label="Rechercher")

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for declared in filters.values():
            # Exact classes only: a subclass (CodeOrIdFilter, a strict one) keeps its own field.
            strict = cls.STRICT.get(type(declared))
            if strict is not None:
                declared.__class__ = strict
        return filters

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class CodeOrIdChoiceField(forms.ModelChoiceField):
    """A record chosen by its id (the page's select) or by its `code` (what API clients know)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        match = Q(code=value)
        number = as_id(value)
        if number is not None:
            match |= Q(pk=number)
        found = self.queryset.filter(match).first()
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class CodeOrIdFilter(django_filters.ModelChoiceFilter):
    """Filter on a related record given by its id or its code (e.g. a purchase family)."""

    field_class = CodeOrIdChoiceField
