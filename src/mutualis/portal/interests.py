"""The portal's one write: a business shows interest in a planned purchase (issue 19, part 4).

The company lands among the directory's candidates (suppliers.SupplierCandidate), never among its
suppliers: a buyer promotes it explicitly. A SIRET already in the directory links to that supplier, and
one already a candidate to that candidate: no duplicate either way. Submissions are counted per address
in the shared cache, as the login guard counts failures.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from mutualis.core.validators import compact_digits
from mutualis.notifications.services import Message, notify, shorten
from mutualis.procurements.models import Interest, Project
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import Supplier, SupplierCandidate

from .public import planned_projects


def open_project(pk: int) -> Project:
    """The project, if it accepts interest now (published on the portal, at a planned stage); else 404."""
    project = planned_projects().filter(pk=pk).select_related("buyer").first()
    if project is None:
        raise Http404
    return project


def _key(address: str) -> str:
    return "portal-interest:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def rate_limited(address: str | None) -> bool:
    """Whether this address sent its allowance of submissions within the window; counts this one."""
    if not address:
        return False
    key, window = _key(address), settings.MUTUALIS_PORTAL_INTEREST_WINDOW_MINUTES * 60
    cache.add(key, 0, timeout=window)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        sent = 1
    return sent > settings.MUTUALIS_PORTAL_INTEREST_PER_ADDRESS


@transaction.atomic
def interest_submit(*, project: Project, interest: Interest) -> Interest:
    """Store a validated interest, link its company, and tell the project's buyer."""
    project = open_project(project.pk)  # published and planned still, in this transaction
    interest.project = project
    interest.siret = compact_digits(interest.siret)
    interest.full_clean()
    supplier = Supplier.objects.filter(
        identifier_kind=IdentifierKind.SIRET, identifier=interest.siret
    ).first()
    if supplier is None:
        candidate, _ = SupplierCandidate.objects.get_or_create(
            siret=interest.siret, defaults={"name": interest.company_name}
        )
        interest.candidate, supplier = candidate, candidate.supplier
    interest.supplier = supplier
    interest.save()
    notify(
        recipients=[project.buyer],
        message=Message(
            key=f"portal-interest:{interest.pk}",
            subject=f"Une entreprise s'intéresse à « {shorten(project.object)} »",
            body=f"{interest.company_name} a manifesté son intérêt depuis le portail public.",
            url=reverse("procurements:project_detail", args=[project.pk]) + "#interets-titre",
        ),
    )
    return interest
