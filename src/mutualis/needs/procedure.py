"""The procedure and publicity the Code de la commande publique requires for an estimated value.

One computation, used by the needs consolidation, the procurement projects and the public API. Every
result names the rule and the threshold rows it used (DOMAIN.md §1 to §3).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models

from mutualis.catalogue.models import BuyerKind
from mutualis.catalogue.thresholds import Applied, table_on
from mutualis.organisations.models import Territory


class ProcedureKind(models.TextChoices):
    NONE = "sans_publicite_ni_mise_en_concurrence", "Sans publicité ni mise en concurrence préalables"
    ADAPTED = "procedure_adaptee", "Procédure adaptée"
    FORMALISED = "procedure_formalisee", "Procédure formalisée"


class Publicity(models.TextChoices):
    NONE = "aucune", "Aucune publicité obligatoire"
    FREE = "libre", "Publicité adaptée, librement choisie"
    NATIONAL = "boamp_ou_jal", "Avis au BOAMP ou dans un journal d'annonces légales"
    EUROPEAN = "joue_et_boamp", "Avis au JOUE et au BOAMP"


# Minimum time limits of the formalised procedures with electronic submission, in calendar days from
# the day after the notice is sent (DOMAIN.md §3.2; R2161-3, R2161-6, R2161-8).
TIME_LIMITS = {
    "appel_offres_ouvert": {"offres": 30},
    "appel_offres_restreint": {"candidatures": 30, "offres": 25},
    "procedure_avec_negociation": {"candidatures": 30, "offres": 25},
}


def territory_buyer_kind() -> str:
    """The territory's kind of buyer; hospitals and local authorities when none is configured."""
    territory = Territory.current()
    return territory.buyer_kind if territory else BuyerKind.OTHER


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


def _euros(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", "\u202f") + " € HT"


def _need(applied: Applied | None, what: str, day: date) -> Applied:
    if applied is None:
        raise MissingThreshold(f"Aucun seuil « {what} » n'est défini au {day:%d/%m/%Y}.")
    return applied


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

    `rows` (from threshold_rows()) lets a caller computing many estimates read the table once.
    """
    table = table_on(launch_date, nature=nature, buyer_kind=buyer_kind, rows=rows)
    waiver = _need(table.waiver(), "dispense", launch_date)
    publicity = _need(table.publicity(), "publicité", launch_date)
    profile = _need(table.buyer_profile(), "profil d'acheteur", launch_date)
    eu = _need(table.eu_sss() if social_and_specific_services else table.eu(), "européen", launch_date)
    thresholds = {
        "waiver": str(waiver.amount),
        "publicity": str(publicity.amount),
        "buyer_profile": str(profile.amount),
        "eu": str(eu.amount),
        "version": table.version() + (";sss" if social_and_specific_services else ""),
    }
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
            TIME_LIMITS,
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
