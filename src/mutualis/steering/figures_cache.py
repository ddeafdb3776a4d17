"""The territory-wide indicators, kept in the shared cache until the data under them changes.

Every reader who sees the whole territory (access entity_ids None: the team, the director, governance)
gets the same figures for a scope: `compute()` keeps them under the steering data's version, the day
(flags and overdue publications move with the date) and the scope. The version is the time of the last
write to a model the indicators read (WATCHED: post_save, post_delete, m2m_changed, at the write and
again after its commit, as the portal's version), of the bulk writes that announce themselves
(contracts_updated, suppliers_updated) and of every refresh of the steering cube. Other writes that
bypass save() (spend lines, which are imported in bulk) are seen when the entry expires (SECONDS): the
bound on staleness. Only models written a row at a time are watched: a delete receiver on a bulk table
would take Django's fast delete away from it.

A reader restricted to some entities computes on each request (their rows differ).
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "steering:data-version"
SECONDS = 300
# What the indicators, their targets and the compliance flags read, written through save().
WATCHED = (
    "contracts.Contract",
    "contracts.ContractHolder",
    "contracts.Amendment",
    "contracts.RenewalDecision",
    "procurements.Project",
    "procurements.Lot",
    "procurements.Offer",
    "procurements.StageTransition",
    "procurements.ProcessMap",
    "procurements.Stage",
    "gains.Gain",
    "needs.Campaign",
    "needs.NeedLine",
    "steering.Objective",
    "steering.CubeBuild",
    "suppliers.Supplier",
    "organisations.Entity",
    "catalogue.PurchaseFamily",
    "legal.LegalRule",
)


def data_version() -> int:
    stamp = cache.get(VERSION_KEY)
    if stamp is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        stamp = cache.get(VERSION_KEY) or time.time_ns()
    return stamp


def bump() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def changed(**kwargs) -> None:
    # Now, and again after commit: figures computed from the old rows in between are left behind.
    bump()
    transaction.on_commit(bump)


def key(scope, codes, day) -> str:
    parts = (
        scope.year,
        scope.quarter,
        scope.entity.pk if scope.entity else None,
        scope.family.pk if scope.family else None,
        sorted(codes) if codes is not None else None,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"steering:figures:{data_version():x}:{day:%Y%m%d}:{digest}"


def connect() -> None:
    from django.apps import apps

    from mutualis.contracts.signals import contracts_updated
    from mutualis.suppliers.signals import suppliers_updated

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, dispatch_uid=f"steering_figures_saved_{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"steering_figures_deleted_{label}")
        for field in model._meta.local_many_to_many:
            uid = f"steering_figures_{label}_{field.name}"
            m2m_changed.connect(changed, sender=field.remote_field.through, dispatch_uid=uid)
    contracts_updated.connect(changed, dispatch_uid="steering_figures_contracts")
    suppliers_updated.connect(changed, dispatch_uid="steering_figures_suppliers")
