"""Which contract a payment order belongs to, read from the registry once per import.

The rules, in order (issue 14 §3):
1. the mandate's contract number (`numero_marche`): a contract's reference or its DECP uid, among the
   contracts the entity may use; a known contract the entity may not use is still linked, and flagged;
2. otherwise the one contract of that supplier, usable by the entity, running on the payment date; of
   several, the one of the budget account's family when only one is;
3. otherwise the line is off contract, and its budget account gives its purchase family (longest prefix
   of the editable mapping for the entity's nomenclature).
A matched line takes the contract's family, or the account's when the contract has none.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from mutualis.contracts.models import Contract, ContractHolder
from mutualis.suppliers.models import Supplier

from .models import AccountFamily, MatchMethod, nomenclature_of


@dataclass(frozen=True, slots=True)
class Match:
    contract_id: int | None
    family_id: int | None
    method: str
    not_entitled: bool = False
    supplier_id: int | None = None
    # A French sentence when the rule could not do what the file asked (unknown number, several contracts).
    warning: str = ""


@dataclass(frozen=True, slots=True)
class _Running:
    contract_id: int
    starts: date | None
    ends: date | None
    family_id: int | None

    def runs_on(self, day: date) -> bool:
        return (self.starts is None or self.starts <= day) and (self.ends is None or day <= self.ends)


class AccountMapping:
    """Budget account → family by longest prefix, for one nomenclature."""

    def __init__(self, nomenclature: str):
        self.by_prefix = dict(
            AccountFamily.objects.filter(nomenclature=nomenclature).values_list("account", "family_id")
        )
        self.longest = max(map(len, self.by_prefix), default=0)
        self._cache: dict[str, int | None] = {}

    def family_for(self, account: str) -> int | None:
        if account not in self._cache:
            found = None
            for length in range(min(len(account), self.longest), 0, -1):
                found = self.by_prefix.get(account[:length])
                if found is not None:
                    break
            self._cache[account] = found
        return self._cache[account]


def _normal(reference: str) -> str:
    return reference.strip().upper()


class Matcher:
    """Built once for an entity; `match()` is then dictionary lookups only (a million rows per import)."""

    def __init__(self, entity):
        self.entity_id = entity.pk
        self.accounts = AccountMapping(nomenclature_of(entity))
        usable = Contract.objects.usable_by_entities([entity.pk]).filter(notification_date__isnull=False)
        self.usable_by_reference: dict[str, int] = {}
        self.family_of: dict[int, int | None] = {}
        running: dict[int, _Running] = {}
        rows = usable.values_list(
            "pk", "reference", "buyer__siret", "family_id", "start_date", "notification_date", "end_date",
            "terminated_on",
        )  # fmt: skip
        for pk, reference, buyer_siret, family_id, start, notified, end, terminated in rows:
            self.usable_by_reference.setdefault(_normal(reference), pk)
            self.usable_by_reference[_normal(buyer_siret + reference)] = pk
            self.family_of[pk] = family_id
            ends = min(d for d in (end, terminated) if d) if (end or terminated) else None
            running[pk] = _Running(pk, start or notified, ends, family_id)
        self.contracts_of_siret: dict[str, list[_Running]] = defaultdict(list)
        self.contracts_of_siren: dict[str, list[_Running]] = defaultdict(list)
        holders = ContractHolder.objects.filter(contract_id__in=running).values_list(
            "contract_id", "supplier__identifier_kind", "supplier__identifier", "supplier__siren"
        )
        for contract_id, kind, identifier, siren in holders:
            if kind == "SIRET":
                self.contracts_of_siret[identifier].append(running[contract_id])
            if siren:
                self.contracts_of_siren[siren].append(running[contract_id])
        self._others: dict[str, tuple[int, int | None] | None] = {}
        self._suppliers: dict[tuple[str, str], int | None] = {}

    def _other_contract(self, reference: str) -> tuple[int, int | None] | None:
        """A contract of the registry the entity may not use, known by this number (only one)."""
        if reference not in self._others:
            found = list(
                Contract.objects.filter(reference__iexact=reference).values_list("pk", "family_id")[:2]
            )
            self._others[reference] = found[0] if len(found) == 1 else None
        return self._others[reference]

    def prime_suppliers(self, pairs) -> None:
        """Resolve many (siret, siren) pairs in two queries instead of up to two each (bulk imports)."""
        pairs = {pair for pair in pairs if pair not in self._suppliers}
        if not pairs:
            return
        by_siret = dict(
            Supplier.objects.filter(identifier_kind="SIRET", identifier__in={s for s, _ in pairs if s})
            .values_list("identifier", "pk")
        )  # fmt: skip
        by_siren: dict[str, int] = {}
        sirens = Supplier.objects.filter(siren__in={n for _, n in pairs if n}).order_by("-pk")
        for siren, pk in sirens.values_list("siren", "pk"):
            by_siren[siren] = pk  # the lowest pk wins, as supplier_id() does
        for siret, siren in pairs:
            found = by_siret.get(siret) if siret else None
            self._suppliers[(siret, siren)] = (
                found if found is not None else by_siren.get(siren) if siren else None
            )

    def supplier_id(self, siret: str, siren: str) -> int | None:
        key = (siret, siren)
        if key not in self._suppliers:
            found = None
            if siret:
                found = (
                    Supplier.objects.filter(identifier_kind="SIRET", identifier=siret)
                    .values_list("pk", flat=True)
                    .first()
                )
            if found is None and siren:
                found = (
                    Supplier.objects.filter(siren=siren).order_by("pk").values_list("pk", flat=True).first()
                )
            self._suppliers[key] = found
        return self._suppliers[key]

    def match(self, *, siret: str, siren: str, reference: str, paid_on: date, account: str) -> Match:
        supplier_id = self.supplier_id(siret, siren)
        account_family = self.accounts.family_for(account)
        warning = ""
        if reference:
            key = _normal(reference)
            contract_id = self.usable_by_reference.get(key)
            if contract_id is not None:
                family = self.family_of[contract_id] or account_family
                return Match(contract_id, family, MatchMethod.REFERENCE, False, supplier_id)
            other = self._other_contract(key)
            if other is not None:
                return Match(other[0], other[1] or account_family, MatchMethod.REFERENCE, True, supplier_id)
            warning = f"numéro de marché « {reference} » inconnu du registre"
        candidates = self.contracts_of_siret.get(siret) if siret else None
        if not candidates and siren:
            candidates = self.contracts_of_siren.get(siren)
        running = {c.contract_id: c for c in candidates or () if c.runs_on(paid_on)}
        if len(running) == 1:
            (found,) = running.values()
            family = found.family_id or account_family
            return Match(found.contract_id, family, MatchMethod.SUPPLIER, False, supplier_id, warning)
        if len(running) > 1:
            # A supplier holding several contracts of the entity (a lot per family, say): the budget
            # account's family tells which, when exactly one of them is of that family.
            same_family = [c for c in running.values() if account_family and c.family_id == account_family]
            if len(same_family) == 1:
                found = same_family[0]
                return Match(found.contract_id, account_family, MatchMethod.SUPPLIER_FAMILY, False,
                             supplier_id, warning)  # fmt: skip
            several = f"{len(running)} contrats en cours pour ce fournisseur : à rattacher à la main"
            warning = f"{warning} ; {several}" if warning else several
        return Match(None, account_family, MatchMethod.OFF_CONTRACT, False, supplier_id, warning)
