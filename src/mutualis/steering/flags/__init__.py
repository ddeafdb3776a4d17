"""Risk flags (« signaux d'alerte »), after open-contracting's Cardinal red flags, adapted to French law.

One module per kind computes its flags for a scope and a reader, in a fixed number of queries whatever
the number of contracts; this package attaches the stored acknowledgements (one more query) and counts
what is left to examine. Flags are never stored: a flag whose cause disappears disappears with it, and
its acknowledgement waits, unused, in case it comes back."""

from dataclasses import replace

from django.urls import reverse
from django.utils import timezone

from mutualis.contracts.models import ContractHolder

from ..models import FlagAcknowledgement
from ..scope import Scope
from . import amendments, publication, renewals, repeated_awards, single_offer, splitting
from .base import HIGH, KINDS, MEDIUM, Flag, Kind

__all__ = [
    "HIGH",
    "KINDS",
    "MEDIUM",
    "Flag",
    "Kind",
    "flag_counts",
    "flags_about_supplier",
    "flags_for",
    "flags_of_kind",
]

FINDERS = {
    "single_offer": single_offer.find,
    "amendments_over_limit": amendments.find,
    "renewal_late": renewals.find,
    "splitting": splitting.find,
    "repeated_no_publicity": repeated_awards.find,
    "decp_late": publication.find,
}


def flags_of_kind(kind: str, scope: Scope, user, today=None) -> list[Flag]:
    """One kind's flags, without their acknowledgements."""
    return FINDERS[kind](scope, user, today or timezone.localdate())


def flags_for(scope: Scope, user, today=None) -> list[Flag]:
    """Every flag of the scope the user may see, in the registry's order of kinds, each with its
    acknowledgement when it has one."""
    today = today or timezone.localdate()
    found = [flag for kind in KINDS for flag in FINDERS[kind](scope, user, today)]
    if not found:
        return []
    stored = FlagAcknowledgement.objects.filter(key__in={flag.key for flag in found}).select_related("by")
    acknowledged = {(ack.kind, ack.key): ack for ack in stored}
    return [replace(flag, acknowledgement=acknowledged.get((flag.kind, flag.key))) for flag in found]


def flag_counts(scope: Scope, user, today=None) -> dict[str, int]:
    """Per kind, the flags not yet acknowledged (every kind present, 0 when none)."""
    counts = dict.fromkeys(KINDS, 0)
    for flag in flags_for(scope, user, today):
        if flag.acknowledgement is None:
            counts[flag.kind] += 1
    return counts


def flags_about_supplier(supplier, user, today=None) -> list[Flag]:
    """This year's flags the user may see that concern a supplier: about it (repeated awards) or about one
    of the contracts it holds (the flag links to it). Fixed queries whatever the number of its contracts."""
    today = today or timezone.localdate()
    held = ContractHolder.objects.filter(supplier=supplier).values_list("contract_id", flat=True)
    urls = {reverse("contracts:contract_detail", args=[pk]) for pk in held}
    prefix = f"supplier:{supplier.pk}:"
    return [
        flag
        for flag in flags_for(Scope(year=today.year), user, today)
        if flag.key.startswith(prefix) or any(url in urls for _, url in flag.links)
    ]
