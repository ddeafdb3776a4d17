"""DECP 2.0.3 export of the territory's registry: which contracts must be published, and their records.

Publication rules (CCP R2196-1, arrêté du 22 décembre 2022; DOMAIN.md §4) come from the legal table
(mutualis.legal), so a new threshold is a new row, not new code.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from mutualis.contracts.models import Amendment, Contract, ContractHolder
from mutualis.legal.publication import decp_minimum_amounts, publication_deadline_months

from .validation import SchemaError, decp_validator, titulaire_identifier_kinds, validate

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PublicationRules:
    version: str
    valid_from: date
    decp_minimum_amount: Decimal
    publication_deadline_months: int  # data published at the latest this long after notification
    source: str


def _versions() -> tuple[PublicationRules, ...]:
    return tuple(
        PublicationRules(
            version=f"DECP-{row.valid_from.isoformat()}",
            valid_from=row.valid_from,
            decp_minimum_amount=row.amount,
            publication_deadline_months=publication_deadline_months(row.valid_from),
            source=row.reference,
        )
        for row in decp_minimum_amounts()
    )


def rules_on(day: date, versions: tuple[PublicationRules, ...] | None = None) -> PublicationRules | None:
    """The rules in force on `day`; None before the DECP 2.0 format applied."""
    applicable = [rules for rules in versions or _versions() if rules.valid_from <= day]
    return applicable[-1] if applicable else None


def current_rules(today: date | None = None) -> PublicationRules:
    """The rules in force today (the earliest version if none is yet)."""
    return rules_on(today or timezone.localdate()) or _versions()[0]


@dataclass(frozen=True)
class LeftOut:
    """A contract of the registry that is not in the export, and why (in French, for the buyer)."""

    contract_id: int
    reference: str
    uid: str
    buyer: str
    object: str
    reason: str


@dataclass
class DecpExport:
    document: dict
    exported: list[Contract] = field(default_factory=list)  # in document order
    left_out: list[LeftOut] = field(default_factory=list)
    errors: list[SchemaError] = field(default_factory=list)
    outside_window: int = 0  # contracts not examined because of `since`

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def to_json(self) -> str:
        """The document as written to the file."""
        return json.dumps(self.document, ensure_ascii=False, indent=2) + "\n"


def json_number(value: Decimal) -> int | float:
    """A Decimal amount as a JSON number: an integer when whole, else a float rounded to the cent."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def euros(value: Decimal) -> str:
    """An amount written the French way, for messages: 125 000 or 25 000,50."""
    text = f"{value.quantize(CENT):,.2f}".replace(",", "\u202f").replace(".", ",")
    return text.removesuffix(",00")


def registry_contracts():
    """The territory's contracts with what their records need, in a stable order."""
    holders = ContractHolder.objects.select_related("supplier").order_by("position", "pk")
    return (
        Contract.objects.select_related("buyer", "cpv", "framework", "procurement_lot")
        .prefetch_related(
            Prefetch("holder_links", queryset=holders),
            Prefetch("amendments", queryset=Amendment.objects.order_by("number")),
        )
        .order_by(F("notification_date").asc(nulls_last=True), "buyer__siret", "reference")
    )


def in_window(contracts, since: date):
    """Contracts notified on or after `since`, or with an amendment notified on or after it."""
    amended = Amendment.objects.filter(contract_id=OuterRef("pk"), notified_on__gte=since)
    return contracts.filter(Q(notification_date__gte=since) | Exists(amended))


def amended_states(contract: Contract) -> list[tuple[Amendment, Decimal, int]]:
    """Each amendment with the contract's total amount and total duration (months) once it applies."""
    amount, months, states = contract.amount, contract.duration_months, []
    for amendment in contract.amendments.all():
        amount += amendment.amount_change or 0
        months += amendment.duration_change_months or 0
        states.append((amendment, amount, months))
    return states


# (model field, DECP name): data the schema requires but the registry may not hold yet.
REQUIRED_FIELDS = [
    ("offers_received", "offresRecues"),
    ("execution_place_code", "lieuExecution.code"),
    ("techniques", "techniques"),
    ("execution_modes", "modalitesExecution"),
    ("price_types", "typesPrix"),
    ("social_considerations", "considerationsSociales"),
    ("environmental_considerations", "considerationsEnvironnementales"),
]


def missing_fields(contract: Contract) -> list[str]:
    """Labels of the required DECP data the contract lacks."""
    missing = [
        f"« {Contract._meta.get_field(name).verbose_name} » ({decp})"
        for name, decp in REQUIRED_FIELDS
        if getattr(contract, name) in (None, "", [])
    ]
    if not contract.holder_links.all():
        missing.append("« titulaires » (titulaires)")
    return missing


def refused_holders(contract: Contract) -> list[str]:
    """Holders whose identifier kind the schema does not accept (e.g. a SIREN instead of a SIRET)."""
    accepted = titulaire_identifier_kinds()
    return [
        f"{link.supplier.name} ({link.supplier.identifier_kind} {link.supplier.identifier})"
        for link in contract.holder_links.all()
        if link.supplier.identifier_kind not in accepted
    ]


def reason_left_out(contract: Contract, versions: tuple[PublicationRules, ...] | None = None) -> str | None:
    """Why the contract is not published in DECP 2.0.3, or None when it is (`versions`: read once)."""
    versions = versions or _versions()
    notified = contract.notification_date
    if notified is None:
        return "Contrat non notifié : ses données essentielles se publient après la notification (R2196-1)."
    rules = rules_on(notified, versions)
    if rules is None:
        return (
            f"Notifié le {notified:%d/%m/%Y}, avant l'entrée en vigueur du format 2.0 des données "
            f"essentielles ({versions[0].valid_from:%d/%m/%Y}) : il relève de l'ancien format."
        )
    if contract.amount < rules.decp_minimum_amount:
        return (
            f"Montant initial de {euros(contract.amount)} € HT, inférieur au seuil de publication de "
            f"{euros(rules.decp_minimum_amount)} € HT ({rules.source})."
        )
    missing = missing_fields(contract)
    if missing:
        label = "Donnée obligatoire manquante" if len(missing) == 1 else "Données obligatoires manquantes"
        return f"{label} : {', '.join(missing)}."
    refused = refused_holders(contract)
    if refused:
        accepted = ", ".join(titulaire_identifier_kinds())
        return (
            f"Identifiant de titulaire refusé par le format DECP 2.0.3 : {', '.join(refused)}. "
            f"Seuls {accepted} sont acceptés : renseignez le SIRET de l'établissement titulaire."
        )
    return None


def _titulaires(contract: Contract) -> list[dict]:
    return [
        {"titulaire": {"typeIdentifiant": link.supplier.identifier_kind, "id": link.supplier.identifier}}
        for link in contract.holder_links.all()
    ]


def modification_record(amendment: Amendment, amount: Decimal, months: int, today: date) -> dict:
    """A DECP `modification`: new totals only for what this amendment changed."""
    record = {
        "id": amendment.number,
        "dateNotificationModification": amendment.notified_on.isoformat(),
        "datePublicationDonneesModification": (amendment.data_published_on or today).isoformat(),
    }
    if amendment.duration_change_months:
        record["dureeMois"] = months
    if amendment.amount_change:
        record["montant"] = json_number(amount)
    return {"modification": record}


def _optional(contract: Contract, today: date) -> dict:
    optional = {}
    if contract.framework_id:
        optional["idAccordCadre"] = contract.framework.reference
    if contract.advance_paid:
        # Schema: tauxAvance 0 with attributionAvance true means "advance paid, rate unknown".
        optional["tauxAvance"] = float(contract.advance_rate or 0)
    if contract.origin_eu_share is not None:
        optional["origineUE"] = float(contract.origin_eu_share)
    if contract.origin_france_share is not None:
        optional["origineFrance"] = float(contract.origin_france_share)
    states = amended_states(contract)
    if states:
        optional["modifications"] = [modification_record(a, amt, m, today) for a, amt, m in states]
    return optional


def marche_record(contract: Contract, today: date) -> dict:
    """The DECP 2.0.3 `marche` record of a contract that passed `reason_left_out`."""
    record = {
        "id": contract.reference,
        "acheteur": {"id": contract.buyer.siret},
        "nature": contract.nature,
        "objet": contract.object,
        "codeCPV": contract.cpv_id,
        "techniques": {"technique": list(contract.techniques)},
        "modalitesExecution": {"modaliteExecution": list(contract.execution_modes)},
        "marcheInnovant": contract.is_innovative,
        "ccag": contract.ccag,
        "offresRecues": contract.offers_received,
        "attributionAvance": contract.advance_paid,
        "typeGroupementOperateurs": contract.grouping_kind,
        "sousTraitanceDeclaree": contract.subcontracting_declared,
        "procedure": contract.procedure,
        "lieuExecution": {"code": contract.execution_place_code, "typeCode": contract.execution_place_type},
        "dureeMois": contract.duration_months,
        "dateNotification": contract.notification_date.isoformat(),
        # First publication date; never moved by later modifications (schema description).
        "datePublicationDonnees": (contract.data_published_on or today).isoformat(),
        "montant": json_number(contract.amount),
        "typesPrix": {"typePrix": list(contract.price_types)},
        "formePrix": contract.price_form,
        "titulaires": _titulaires(contract),
        "considerationsSociales": {"considerationSociale": list(contract.social_considerations)},
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": list(contract.environmental_considerations)
        },
    }
    record.update(_optional(contract, today))
    return record


def left_out(contract: Contract, reason: str) -> LeftOut:
    """The left-out entry of a contract."""
    return LeftOut(
        contract.pk, contract.reference, contract.uid, str(contract.buyer), contract.object, reason
    )


def export_decp(*, since: date | None = None, today: date | None = None) -> DecpExport:
    """The DECP document of the contracts to publish, what was left out and why, and schema errors."""
    today = today or timezone.localdate()
    contracts = registry_contracts()
    selected = list(in_window(contracts, since) if since else contracts)
    result = DecpExport(document={"marches": {"marche": []}})
    result.outside_window = contracts.count() - len(selected) if since else 0
    versions = _versions()  # the legal table, read once for the whole export
    for contract in selected:
        reason = reason_left_out(contract, versions)
        if reason:
            result.left_out.append(left_out(contract, reason))
            continue
        result.document["marches"]["marche"].append(marche_record(contract, today))
        result.exported.append(contract)

    def record_of(path: list) -> str:
        if len(path) > 2 and path[:2] == ["marches", "marche"] and isinstance(path[2], int):
            contract = result.exported[path[2]]
            return f"{contract.reference} ({contract.uid})"
        return ""

    result.errors = validate(decp_validator(), result.document, record_of)
    return result
