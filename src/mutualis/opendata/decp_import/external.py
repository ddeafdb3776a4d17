"""Batch upsert of external contracts (buyers outside the territory), by national uid."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from mutualis.opendata.models import SEARCH_INDEX, ExternalContract, ExternalHolder

from .bulk import insert_returning_ids, insert_rows
from .normalize import Modification, Record

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
FIELDS = [
    "kind",
    "buyer_siret",
    "buyer_name",
    "reference",
    "object",
    "nature",
    "procedure",
    "cpv",
    "amount",
    "notification_date",
    "published_on",
    "duration_months",
    "offers_received",
    "techniques",
    "social_considerations",
    "environmental_considerations",
    "has_social_consideration",
    "has_environmental_consideration",
    "modifications",
    "source",
    "schema_version",
    "fingerprint",
]


def _modification_dicts(modifications: list[Modification]) -> list[dict]:
    return [
        {
            "number": m.number,
            "notified_on": m.notified_on.isoformat() if m.notified_on else None,
            "amount": str(m.amount) if m.amount is not None else None,
            "duration_months": m.duration_months,
        }
        for m in modifications
    ]


def _key(number, notified_on) -> tuple:
    """A modification's identity: its number and date (some publishers reuse numbers)."""
    return (number, notified_on.isoformat() if isinstance(notified_on, date) else notified_on)


def merge_modifications(stored: list[dict], record: Record) -> None:
    """Later files bring modifications: append the ones not stored yet, never duplicate one."""
    known = {_key(m.number, m.notified_on) for m in record.modifications}
    for item in stored:
        if _key(item.get("number"), item.get("notified_on")) not in known:
            record.modifications.append(
                Modification(
                    number=item.get("number"),
                    notified_on=_parse_day(item.get("notified_on")),
                    amount=_parse_amount(item.get("amount")),
                    duration_months=item.get("duration_months"),
                )
            )
    record.modifications.sort(key=lambda m: (m.number or 0, m.notified_on or date.min))


def _parse_day(value):
    return date.fromisoformat(value) if value else None


def _parse_amount(value):
    return Decimal(value) if value is not None else None


def _row(record: Record, source: str) -> tuple:
    """The record's column values in FIELDS order: built once, used by the insert as is."""
    has_social = any(v != "Pas de considération sociale" for v in record.social)
    has_environmental = any(v != "Pas de considération environnementale" for v in record.environmental)
    return (
        record.kind,
        record.buyer_siret,
        record.buyer_name[:300],
        record.reference,
        record.object,
        record.nature[:60],
        record.procedure[:80],
        record.cpv,
        record.amount,
        record.notification_date,
        record.published_on,
        record.duration_months,
        record.offers_received,
        record.techniques,
        record.social,
        record.environmental,
        has_social,
        has_environmental,
        _modification_dicts(record.modifications),
        source[:200],
        record.schema,
        record.fingerprint(),
    )


FINGERPRINT = FIELDS.index("fingerprint")


def _is_older(record: Record, current: ExternalContract) -> bool:
    """An older publication of a stored contract (earlier publication date, or fewer modifications and
    none new) must not overwrite the newer one: importing files in any order gives the same result."""
    stored_numbers = {_key(m.get("number"), m.get("notified_on")) for m in current.modifications}
    own_numbers = {_key(m.number, m.notified_on) for m in record.modifications}
    if not own_numbers <= stored_numbers:
        return False  # it brings a modification we do not have
    if record.published_on and current.published_on and record.published_on != current.published_on:
        return record.published_on < current.published_on
    return len(own_numbers) < len(stored_numbers)


def upsert_external(records: list[Record], source: str) -> dict[str, str]:
    """Create, update or leave each record; returns uid -> outcome. Records must have distinct uids."""
    stored = {
        c.uid: c
        for c in ExternalContract.objects.filter(uid__in=[r.uid for r in records]).only(
            "id", "uid", "fingerprint", "modifications", "published_on"
        )
    }
    outcomes, new, changed = {}, [], []
    for record in records:
        current = stored.get(record.uid)
        if current is not None:
            if _is_older(record, current):
                outcomes[record.uid] = UNCHANGED
                continue
            merge_modifications(current.modifications, record)
            row = _row(record, source)
            if row[FINGERPRINT] == current.fingerprint:
                outcomes[record.uid] = UNCHANGED
                continue
            for name, value in zip(FIELDS, row, strict=True):
                setattr(current, name, value)
            changed.append((current, record))
            outcomes[record.uid] = UPDATED
        else:
            new.append((_row(record, source), record))
            outcomes[record.uid] = CREATED
    _insert_new(new)
    ExternalContract.objects.bulk_update([c for c, _ in changed], FIELDS, batch_size=1000)
    if changed:
        ExternalHolder.objects.filter(contract__in=[c for c, _ in changed]).delete()
        _insert_holders([(c.pk, record) for c, record in changed])
    return outcomes


def _insert_new(new: list) -> None:
    """New contracts by plain INSERT (the import's hot path), their ids from it, then their holders."""
    now = timezone.now()
    rows = [(record.uid, now, *row) for row, record in new]
    ids = insert_returning_ids(ExternalContract, ["uid", "imported_at", *FIELDS], rows, index=SEARCH_INDEX)
    _insert_holders([(pk, record) for pk, (_, record) in zip(ids, new, strict=True)])


def _insert_holders(pairs: list) -> None:
    rows = []
    for contract_id, record in pairs:
        seen = set()
        for kind, identifier, name in record.holders:
            if (kind, identifier[:40]) not in seen:  # one row per identifier, as the constraint says
                seen.add((kind, identifier[:40]))
                rows.append((contract_id, kind, identifier[:40], name[:300]))
    insert_rows(ExternalHolder, ["contract", "identifier_kind", "identifier", "name"], rows)
