"""The procedure and publicity the Code de la commande publique requires for an estimated value.

One computation, used by the needs consolidation, the procurement projects and the public API. It reads
the rows in force at the launch date once, and every result names the rows it used (DOMAIN.md §1 to §3).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .rules import Applied, RuleBook, in_force
from .vocabulary import SUPPLIES_AND_SERVICES, TIME_LIMIT_SCOPES, BuyerKind, Nature, ProcedureKind, Publicity


class MissingThreshold(Exception):
    """No threshold row covers the date: the tables must be completed before computing."""


@dataclass
class ProcedureEstimate:
    procedure: str
    publicity: str
    buyer_profile_required: bool
    thresholds: dict
    explanation: str
    time_limits: dict = field(default_factory=dict)

    @property
    def procedure_label(self) -> str:
        return ProcedureKind(self.procedure).label

    @property
    def publicity_label(self) -> str:
        return Publicity(self.publicity).label

    def as_dict(self) -> dict:
        return {
            "procedure": self.procedure,
            "publicity": self.publicity,
            "buyer_profile_required": self.buyer_profile_required,
            "thresholds": self.thresholds,
            "minimum_time_limits_days": self.time_limits,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Thresholds:
    """The threshold rows in force for one nature and kind of buyer at the launch date."""

    waiver: Applied
    publicity: Applied
    profile: Applied
    eu: Applied  # the social and specific services' one when asked for
    version: str  # the rows used, by their dates: enough to find them again in the table

    def as_dict(self) -> dict:
        return {
            "waiver": str(self.waiver.amount),
            "publicity": str(self.publicity.amount),
            "buyer_profile": str(self.profile.amount),
            "eu": str(self.eu.amount),
            "version": self.version,
        }


def _need(applied: Applied | None, what: str, day: date) -> Applied:
    if applied is None:
        raise MissingThreshold(f"Aucun seuil « {what} » n'est défini au {day:%d/%m/%Y}.")
    return applied


def thresholds_in(book: RuleBook, *, nature: str, buyer_kind: str, sss: bool = False) -> Thresholds:
    """The four thresholds of one estimate, read in one pass over the rows in force."""
    day = book.day
    # EU thresholds of supplies and services are one row for both; works have their own.
    eu_natures = (Nature.WORKS,) if nature == Nature.WORKS else (SUPPLIES_AND_SERVICES, nature)
    waiver = _need(book.find("waiver", natures=(nature,), buyer_kind=buyer_kind), "dispense", day)
    publicity = _need(book.find("publicity", natures=("", nature), buyer_kind=buyer_kind), "publicité", day)
    profile = _need(
        book.find("buyer_profile", natures=("", nature), buyer_kind=buyer_kind), "profil d'acheteur", day
    )
    eu = book.find("eu", natures=eu_natures, buyer_kind=buyer_kind)
    named = (("dispense", waiver), ("publicite", publicity), ("profil", profile), ("ue", eu))
    version = ";".join(f"{name}:{row.valid_from.isoformat()}" for name, row in named if row is not None)
    if sss:
        return Thresholds(
            waiver,
            publicity,
            profile,
            _need(book.find("eu_sss", buyer_kind=buyer_kind), "européen", day),
            version + ";sss",
        )
    return Thresholds(waiver, publicity, profile, _need(eu, "européen", day), version)


def time_limits(book: RuleBook) -> dict:
    """Minimum time limits of the formalised procedures, in calendar days (DOMAIN.md §3.2)."""
    return {
        procedure: {
            stage: book.require("time_limit", "délai minimal", scope=f"{procedure}.{stage}").days
            for stage in stages
        }
        for procedure, stages in TIME_LIMIT_SCOPES.items()
    }


def _euros(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", "\u202f") + " € HT"


def estimate_procedure(
    *,
    nature: str,
    buyer_kind: str,
    launch_date: date,
    amount: Decimal,
    social_and_specific_services: bool = False,
    rows: list | None = None,
) -> ProcedureEstimate:
    """Procedure, publicity and buyer-profile obligation for an estimated value (HT) at a launch date.

    `rows` (from rule_rows()) lets a caller computing many estimates read the table once.
    """
    book = in_force(launch_date, rows=rows)
    found = thresholds_in(book, nature=nature, buyer_kind=buyer_kind, sss=social_and_specific_services)
    waiver, publicity, profile, eu = found.waiver, found.publicity, found.profile, found.eu
    thresholds = found.as_dict()
    if amount < waiver.amount:
        return ProcedureEstimate(
            ProcedureKind.NONE,
            Publicity.NONE,
            False,
            thresholds,
            f"{_euros(amount)} est inférieur au seuil de dispense de {_euros(waiver.amount)} "
            f"({waiver.reference}, consultations lancées à partir du {waiver.valid_from:%d/%m/%Y}) : "
            "le marché peut être passé sans publicité ni mise en concurrence préalables, en choisissant "
            "une offre pertinente et sans contracter systématiquement avec le même opérateur.",
        )
    profile_required = amount >= profile.amount
    if social_and_specific_services:
        return _sss(amount, eu, thresholds, profile_required)
    if amount >= eu.amount:
        return ProcedureEstimate(
            ProcedureKind.FORMALISED,
            Publicity.EUROPEAN,
            True,
            thresholds,
            f"{_euros(amount)} atteint le seuil européen de {_euros(eu.amount)} ({eu.reference}) : "
            "procédure formalisée (appel d'offres, procédure avec négociation ou dialogue compétitif), "
            "avis au JOUE et au BOAMP, documents sur le profil d'acheteur.",
            time_limits(book),
        )
    if amount >= publicity.amount and buyer_kind != BuyerKind.UTILITY:
        kind, how = (
            Publicity.NATIONAL,
            f"avis au BOAMP ou dans un JAL dès {_euros(publicity.amount)} ({publicity.reference})",
        )
    else:
        kind, how = Publicity.FREE, "publicité adaptée au montant et à l'objet, librement choisie"
    return ProcedureEstimate(
        ProcedureKind.ADAPTED,
        kind,
        profile_required,
        thresholds,
        f"{_euros(amount)} est entre le seuil de dispense ({_euros(waiver.amount)}) et le seuil européen "
        f"({_euros(eu.amount)}) : procédure adaptée, {how}"
        + (
            f" ; documents sur le profil d'acheteur dès {_euros(profile.amount)} ({profile.reference})."
            if profile_required
            else "."
        ),
    )


def _sss(amount: Decimal, eu: Applied, thresholds: dict, profile_required: bool) -> ProcedureEstimate:
    """Social and other specific services may always use an adapted procedure (DOMAIN.md §1.2)."""
    above = amount >= eu.amount
    return ProcedureEstimate(
        ProcedureKind.ADAPTED,
        Publicity.EUROPEAN if above else Publicity.FREE,
        profile_required,
        thresholds,
        "Services sociaux et autres services spécifiques : procédure adaptée quel que soit le montant"
        + (
            f" ; au-delà de {_euros(eu.amount)}, avis obligatoire au JOUE ({eu.reference})." if above else "."
        ),
    )
