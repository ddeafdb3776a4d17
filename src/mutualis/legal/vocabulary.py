"""The words of procurement law, in one place: every app speaks of natures, buyers and procedures with
these values (DOMAIN.md §1 to §4). Stored values never change; labels are what users read."""

from django.db import models


class Nature(models.TextChoices):
    """Nature of a purchase, which selects the thresholds that apply (DOMAIN.md §1)."""

    SUPPLIES = "fournitures", "Fournitures"
    SERVICES = "services", "Services"
    WORKS = "travaux", "Travaux"


# The EU thresholds of supplies and services are one row for both natures.
SUPPLIES_AND_SERVICES = "fournitures_services"


class BuyerKind(models.TextChoices):
    """Kind of buyer, which selects the EU thresholds (DOMAIN.md §1.2)."""

    CENTRAL = "autorite_centrale", "Autorité publique centrale (État, UGAP…)"
    OTHER = "autre_pouvoir_adjudicateur", "Autre pouvoir adjudicateur (collectivités, hôpitaux…)"
    UTILITY = "entite_adjudicatrice", "Entité adjudicatrice (réseaux)"


class ThresholdKind(models.TextChoices):
    """The threshold rules of the dated table (names of LegalRule.rule)."""

    WAIVER = "waiver", "Dispense de publicité et de mise en concurrence (R2122-8)"
    PUBLICITY = "publicity", "Publicité au BOAMP ou dans un JAL (R2131-12)"
    BUYER_PROFILE = "buyer_profile", "Documents sur le profil d'acheteur (R2132-2)"
    EU = "eu", "Procédure formalisée (seuils européens)"
    EU_SSS = "eu_sss", "Services sociaux et spécifiques : avis au JOUE"


class ProcedureKind(models.TextChoices):
    """The regime the estimated value requires (the result of the procedure estimate)."""

    NONE = "sans_publicite_ni_mise_en_concurrence", "Sans publicité ni mise en concurrence préalables"
    ADAPTED = "procedure_adaptee", "Procédure adaptée"
    FORMALISED = "procedure_formalisee", "Procédure formalisée"


class Publicity(models.TextChoices):
    NONE = "aucune", "Aucune publicité obligatoire"
    FREE = "libre", "Publicité adaptée, librement choisie"
    NATIONAL = "boamp_ou_jal", "Avis au BOAMP ou dans un journal d'annonces légales"
    EUROPEAN = "joue_et_boamp", "Avis au JOUE et au BOAMP"


class Procedure(models.TextChoices):
    """The procedure actually followed, in the exact strings of the DECP 2.0.3 schema (DOMAIN.md §4.4)."""

    ADAPTED = "Procédure adaptée", "Procédure adaptée (MAPA)"
    OPEN = "Appel d'offres ouvert", "Appel d'offres ouvert"
    RESTRICTED = "Appel d'offres restreint", "Appel d'offres restreint"
    NEGOTIATED = "Procédure avec négociation", "Procédure avec négociation"
    NO_COMPETITION = (
        "Marché passé sans publicité ni mise en concurrence préalable",
        "Sans publicité ni mise en concurrence préalable",
    )
    DIALOGUE = "Dialogue compétitif", "Dialogue compétitif"


FORMALISED = frozenset({Procedure.OPEN, Procedure.RESTRICTED, Procedure.NEGOTIATED, Procedure.DIALOGUE})
# Procedures a computed kind allows without a written reason: a buyer may always do more than the
# value requires, never less.
ALLOWED_WITHOUT_REASON = {
    ProcedureKind.NONE: set(Procedure.values),
    ProcedureKind.ADAPTED: set(Procedure.values) - {Procedure.NO_COMPETITION},
    ProcedureKind.FORMALISED: set(FORMALISED),
}
DEFAULT_FOR_KIND = {
    ProcedureKind.NONE: Procedure.NO_COMPETITION,
    ProcedureKind.ADAPTED: Procedure.ADAPTED,
    ProcedureKind.FORMALISED: Procedure.OPEN,
}
# Where the first time limit of each formalised procedure sits in the time-limit rows (scope
# "<procedure>.<stage>", DOMAIN.md §3.2); the dialogue follows the negotiated procedure.
TIME_LIMIT_SCOPES = {
    "appel_offres_ouvert": ("offres",),
    "appel_offres_restreint": ("candidatures", "offres"),
    "procedure_avec_negociation": ("candidatures", "offres"),
}
# The first time limit of each formalised procedure (scope of its time-limit row) and the name its
# reductions are filed under; the dialogue follows the negotiated procedure but has no reduction.
FIRST_TIME_LIMIT = {
    Procedure.OPEN: ("appel_offres_ouvert.offres", "appel_offres_ouvert"),
    Procedure.RESTRICTED: ("appel_offres_restreint.candidatures", "appel_offres_restreint"),
    Procedure.NEGOTIATED: ("procedure_avec_negociation.candidatures", "procedure_avec_negociation"),
    Procedure.DIALOGUE: ("procedure_avec_negociation.candidatures", "dialogue_competitif"),
}


def needs_reason(computed: str, chosen: str) -> bool:
    """Whether the retained procedure is less demanding than the computed one."""
    return chosen not in ALLOWED_WITHOUT_REASON[ProcedureKind(computed)]
