"""Optimistic locking: every save of a record checks the version it was read at and bumps it, atomically.

A page or an API client sends back the version it showed; if someone saved the record in between, the
save raises EditConflict instead of silently overwriting their change, and the conflict names who
changed what, read from the record's history.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, router, transaction
from django.db.models import F
from django.utils import timezone

from .history import Change, changes_between


class Versioned(models.Model):
    """A record whose every save (pages, API, imports, workflows) is checked against its version.

    The check is one conditional UPDATE (`WHERE pk = … AND version = read`) in the save's transaction:
    on PostgreSQL the row lock makes a concurrent save wait and then find the version moved; on SQLite
    writes are serialised. Queryset `.update()` bypasses it: only derived columns are written that way.
    """

    version = models.PositiveIntegerField("version", default=1, editable=False)

    # Saves limited to these fields neither check nor bump the version (bookkeeping such as last_login).
    unversioned_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        if update_fields is not None:
            if set(update_fields) <= self.unversioned_fields:
                return super().save(*args, **kwargs)
            kwargs["update_fields"] = {*update_fields, "version"}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using)
        with transaction.atomic(using=using):
            read = self.version
            if not rows.filter(pk=self.pk, version=read).update(version=F("version") + 1):
                if rows.filter(pk=self.pk).exists():
                    raise EditConflict(self, read)
                return super().save(*args, **kwargs)  # the row is gone: Django's own behaviour
            self.version = read + 1
            try:
                return super().save(*args, **kwargs)
            except BaseException:
                self.version = read
                raise


@dataclass(frozen=True)
class ConflictReport:
    """What happened to a record since a user read it: the latest author, when, and the fields changed."""

    version: int  # the current version: a save against it replaces the record knowingly
    by: str
    at: datetime | None
    changes: list[Change] = field(default_factory=list)

    @property
    def message(self) -> str:
        when = ""
        if self.at is not None:
            local = timezone.localtime(self.at)
            when = f" le {local:%d/%m/%Y} à {local:%H:%M}"
        return f"Cette fiche a été modifiée {self.by}{when} pendant que vous la modifiiez."

    @property
    def change_lines(self) -> list[str]:
        return [f"{c.field} : {c.old or '(vide)'} → {c.new or '(vide)'}" for c in self.changes]

    @property
    def advice(self) -> str:
        return (
            "Rien n'a été enregistré. Votre saisie est conservée : vérifiez-la au regard de ces "
            "changements, puis enregistrez de nouveau pour remplacer la version actuelle."
        )


class EditConflict(Exception):
    """The record was saved by someone else since `expected`, the version the user's values start from."""

    def __init__(self, record: Versioned, expected: int):
        self.record = record
        self.expected = expected
        super().__init__(f"{type(record).__name__} {record.pk}: version {expected} is no longer current")

    def report(self) -> ConflictReport:
        model = type(self.record)
        current = model._base_manager.filter(pk=self.record.pk).values_list("version", flat=True).get()
        history = getattr(model, "history", None)
        if history is None:
            return ConflictReport(current, "par un autre utilisateur", None)
        rows = history.filter(**{model._meta.pk.attname: self.record.pk}).order_by(
            "-history_date", "-history_id"
        )
        latest = rows.select_related("history_user").first()
        read = rows.filter(version=self.expected).first()
        changes = changes_between(model, read, latest) if read and latest and read != latest else []
        return ConflictReport(current, _author(latest), latest.history_date if latest else None, changes)


def _author(row) -> str:
    user = getattr(row, "history_user", None)
    if user is None:
        return "par un traitement automatique" if row is not None else "par un autre utilisateur"
    return f"par {user.get_full_name() or user.get_username()}"
