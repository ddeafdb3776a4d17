"""Readable change history of a record, from its django-simple-history table."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from simple_history.models import DeletedObject

from .formats import number

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime
    user: object
    action: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, DeletedObject):
        # django-simple-history gives an empty foreign key as a "deleted" object without a key.
        return "" if value.pk is None else f"{value.model._meta.verbose_name} supprimé (n° {value.pk})"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return number(value, max(0, -value.as_tuple().exponent))
    if isinstance(value, list):  # many-to-many: list of through-row dicts
        return ", ".join(sorted(str(v.get(model_field.m2m_reverse_field_name(), v)) for v in value))
    return str(value)


def history_of(instance, limit: int = 50) -> list[HistoryEntry]:
    """The latest changes first, each with the fields it changed (old → new)."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = changes_between(type(instance), previous, record)
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, ACTIONS.get(record.history_type, "?"), changes
            )
        )
    return entries


def changes_between(model, older, newer) -> list[Change]:
    """The editable fields that differ between two history rows of one record (label, old → new)."""
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        changes.append(
            Change(
                str(model_field.verbose_name).capitalize(),
                _display(model_field, change.old),
                _display(model_field, change.new),
            )
        )
    return changes
