"""Acknowledging a risk flag (« vu, justifié ») and withdrawing it: who may, and on which flag."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.contracts.models import Contract, RenewalDecision
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..flags import KINDS, Flag, flags_of_kind
from ..models import FlagAcknowledgement
from ..scope import Scope

YEAR = re.compile(r"(\d{4})(-\d\d-\d\d)?")
ID_LABELS = {"contract", "renewal", "supplier", "family", "entity"}


def _require(user) -> None:
    if not access_for(user).has(Perm.ACKNOWLEDGE_FLAGS):
        raise PermissionDenied


def _years(key: str, user, today) -> list[int]:
    """The years whose flags may hold `key`: the year the key names, else from the record's first date
    (its notification, its decision) to this year."""
    parts = key.split(":")
    # A part after a record's label is its id, never a year (an id may have four digits).
    named = [
        int(match.group(1))
        for index, part in enumerate(parts)
        if index and parts[index - 1] not in ID_LABELS and (match := YEAR.fullmatch(part))
    ]
    first = None
    if named:
        first = named[0]
    elif parts[0] == "contract" and parts[1:2] and parts[1].isdigit():
        contracts = Contract.objects.for_user(user).filter(pk=parts[1])
        notified = contracts.values_list("notification_date", flat=True)
        first = notified[0].year if notified and notified[0] else None
    elif parts[0] == "renewal" and parts[1:2] and parts[1].isdigit():
        decided = RenewalDecision.objects.filter(pk=parts[1]).values_list("decided_on", flat=True)
        return [decided[0].year] if decided else []
    if first is None:
        return []
    # A year's flag (family, holder) belongs to that year; a contract's may come back any later year.
    last = first if named and parts[0] != "contract" else today.year
    return list(range(first, max(first, last) + 1))


def current_flag(kind: str, key: str, user, today=None) -> Flag | None:
    """The flag `kind` of `key` as the user sees it today, or None when it does not exist (any more)."""
    if kind not in KINDS:
        return None
    today = today or timezone.localdate()
    for year in _years(key, user, today):
        for flag in flags_of_kind(kind, Scope(year), user, today):
            if flag.key == key:
                return flag
    return None


@transaction.atomic
def flag_acknowledge(kind: str, key: str, comment: str, user, today=None) -> FlagAcknowledgement:
    """Record that `user` examined the flag, with his comment; the history keeps every change."""
    _require(user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Expliquez en quelques mots pourquoi ce signal est examiné."})
    flag = current_flag(kind, key, user, today)
    if flag is None:
        raise ValidationError("Ce signal n'existe pas ou plus : il ne peut être marqué comme examiné.")
    acknowledgement = FlagAcknowledgement.objects.filter(kind=kind, key=key).first()
    if acknowledgement is not None:
        raise ValidationError(f"« {flag.title} » est déjà examiné.")
    acknowledgement = FlagAcknowledgement(kind=kind, key=key, comment=comment, by=user, at=timezone.now())
    acknowledgement._history_user = user  # the history names the person, even outside a request
    acknowledgement.save()
    return acknowledgement


@transaction.atomic
def flag_acknowledgement_withdraw(kind: str, key: str, user) -> None:
    """The flag is shown as to examine again; the history keeps the acknowledgement and its withdrawal."""
    _require(user)
    acknowledgement = FlagAcknowledgement.objects.filter(kind=kind, key=key).first()
    if acknowledgement is None:
        raise ValidationError("Ce signal n'est pas marqué comme examiné.")
    acknowledgement._history_user = user
    acknowledgement.delete()
