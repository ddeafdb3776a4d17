"""The published data's version, for the portal's conditional GET and per-page cache (issue 19, part 6).

One value in the shared cache: the time of the last write to a model the portal reads, set by
signals at the write and again after its commit. The day is part of the version too: a consultation
leaves the portal when its deadline passes, without any write. Writes that bypass save() (queryset
updates, bulk imports) are seen when the page's entry expires (PAGE_SECONDS): the bound on
staleness. A cleared cache starts a newer version.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "portal:data-version"
PAGE_SECONDS = 300

# What the portal's pages read (portal/public.py, decp.py, the layout's territory).
WATCHED = (
    "procurements.Project",
    "procurements.Lot",
    "organisations.Entity",
    "organisations.Territory",
    "contracts.Contract",
    "contracts.ContractHolder",
    "suppliers.Supplier",
    "catalogue.PurchaseFamily",
    "legal.LegalRule",
    "opendata.OpenDataExport",
)


@dataclass(frozen=True)
class Version:
    stamp: int  # nanoseconds of the last write
    day: str

    @property
    def etag(self) -> str:
        return f'"portail-{self.stamp:x}-{self.day}"'

    @property
    def last_modified(self) -> float:
        """The last write, or the day's start when that is later (the day changes what is listed)."""
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        return max(self.stamp / 1e9, start)

    def page_key(self, path: str) -> str:
        digest = hashlib.sha256(path.encode()).hexdigest()[:32]
        return f"portal:page:{self.stamp:x}:{self.day}:{digest}"


def data_version() -> Version:
    stamp = cache.get(VERSION_KEY)
    if stamp is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        stamp = cache.get(VERSION_KEY) or time.time_ns()
    return Version(stamp, timezone.localdate().strftime("%Y%m%d"))


def bump() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _changed(sender, **kwargs) -> None:
    # Now, and again after commit: a page rendered from the old rows in between is stored under the
    # intermediate version, which the second bump leaves behind.
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    from django.apps import apps

    from mutualis.contracts.signals import contracts_updated

    # The registry's writes that bypass save() (the DECP import's batches, publication dates) say so.
    contracts_updated.connect(_changed, dispatch_uid="portal-version-contracts")
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"portal-version-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"portal-version-delete-{label}")
    m2m_changed.connect(
        _changed,
        sender=apps.get_model("procurements.Project").entities.through,
        dispatch_uid="portal-version-entities",
    )
