"""Writes on the mapping of budget accounts to purchase families, and its shipped defaults.

The defaults (data/comptes_m21.csv, data/comptes_m57.csv) describe each account by a CPV code, because
the families are the territory's own: an account goes to the family whose CPV codes are nearest to its
own in the CPV hierarchy (see data/SOURCE.md).
"""

import csv
from dataclasses import dataclass, field
from importlib import resources

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import AccountFamily, Nomenclature

DEFAULT_FILES = {Nomenclature.M21: "comptes_m21.csv", Nomenclature.M57: "comptes_m57.csv"}


@dataclass(frozen=True)
class DefaultAccount:
    account: str
    label: str
    cpv: str


@dataclass
class LoadReport:
    nomenclature: str
    created: int = 0
    updated: int = 0
    kept: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (account, French reason)


def default_accounts(nomenclature: str) -> list[DefaultAccount]:
    text = resources.files("mutualis.spend").joinpath("data", DEFAULT_FILES[nomenclature]).read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter=";")
    return [DefaultAccount(r["compte"].strip(), r["intitule"].strip(), r["cpv"].strip()) for r in rows]


class FamilyFinder:
    """The active family nearest to a CPV code: the code itself, else its nearest ancestor, else its
    nearest descendant among the families' codes. Reads the CPV tree and the families once."""

    def __init__(self):
        self.parent = dict(CpvCode.objects.values_list("code", "parent_id"))
        self.families_of: dict[str, set[PurchaseFamily]] = {}
        for family in PurchaseFamily.objects.active().prefetch_related("cpv_codes"):
            for cpv in family.cpv_codes.all():
                self.families_of.setdefault(cpv.code, set()).add(family)

    def chain(self, code: str) -> list[str]:
        """The code and its ancestors, nearest first."""
        codes = []
        while code is not None and code not in codes:
            codes.append(code)
            code = self.parent.get(code)
        return codes

    def find(self, code: str) -> tuple[PurchaseFamily | None, str]:
        """The family, or None and the French reason."""
        if code not in self.parent:
            return None, f"code CPV {code} inconnu"
        for ancestor in self.chain(code):
            found = self.families_of.get(ancestor)
            if found:
                return self._one(found, code)
        # Descendants: the families' codes whose chain passes through this one, by distance.
        nearest: dict[int, set[PurchaseFamily]] = {}
        for family_code, families in self.families_of.items():
            chain = self.chain(family_code)
            if code in chain:
                nearest.setdefault(chain.index(code), set()).update(families)
        if nearest:
            return self._one(nearest[min(nearest)], code)
        return None, f"aucune famille du territoire ne couvre le code CPV {code}"

    @staticmethod
    def _one(families: set[PurchaseFamily], code: str) -> tuple[PurchaseFamily | None, str]:
        if len(families) == 1:
            return next(iter(families)), ""
        codes = ", ".join(sorted(f.code for f in families))
        return None, f"plusieurs familles possibles pour le code CPV {code} ({codes}) : à choisir à la main"


ACCOUNT_MESSAGE = "Le compte s'écrit en chiffres seulement, 20 au plus (ex. 6021 ou 60611)."


def clean_account(text) -> str:
    """An account number as typed (spaces and dots removed), or a French error."""
    account = str(text or "").replace(" ", "").replace(".", "").strip()
    if not account.isascii() or not account.isdigit() or len(account) > 20:
        raise ValidationError({"account": ACCOUNT_MESSAGE})
    return account


def _check(actor) -> None:
    # actor None = the system (command, demo).
    if actor is not None and not access_for(actor).has(Perm.MANAGE_SPEND):
        raise PermissionDenied


@transaction.atomic
def account_mapping_load_defaults(nomenclature: str, *, user=None, replace: bool = False) -> LoadReport:
    """Create the shipped accounts of a nomenclature whose CPV falls in one of the territory's families;
    existing accounts are kept unless `replace`. Accounts with no family are skipped and reported."""
    _check(user)
    report = LoadReport(nomenclature)
    finder = FamilyFinder()
    existing = {a.account: a for a in AccountFamily.objects.filter(nomenclature=nomenclature)}
    for row in default_accounts(nomenclature):
        if not row.cpv:
            report.skipped.append((row.account, "compte sans code CPV : famille à choisir à la main"))
            continue
        family, reason = finder.find(row.cpv)
        if family is None:
            report.skipped.append((row.account, reason))
            continue
        current = existing.get(row.account)
        if current is None:
            account = AccountFamily(nomenclature=nomenclature, account=row.account, label=row.label)
            account.family = family
            _save(account, user)
            report.created += 1
        elif replace and (current.family_id, current.label) != (family.pk, row.label):
            current.family, current.label = family, row.label
            _save(current, user)
            report.updated += 1
        else:
            report.kept += 1
    return report


def _save(account: AccountFamily, user) -> None:
    account._history_user = user  # outside a request, simple-history would not know who
    account.full_clean()
    account.save()


@transaction.atomic
def account_family_save(*, actor, account: AccountFamily) -> AccountFamily:
    """Create or change one account of the mapping; the lines already classified keep their family
    until the buyer asks for a reclassification (services.spend_reclassify_off_contract)."""
    _check(actor)
    account.account = clean_account(account.account)
    _save(account, actor)
    return account


@transaction.atomic
def account_family_delete(*, actor, account: AccountFamily) -> None:
    _check(actor)
    account._history_user = actor
    account.delete()
