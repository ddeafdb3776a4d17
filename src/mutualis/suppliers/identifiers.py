"""Company identifiers: the kinds DECP accepts, their normalisation and validation (DOMAIN.md §4.4)."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from mutualis.core.validators import compact_digits, validate_eu_vat, validate_siren, validate_siret


class IdentifierKind(models.TextChoices):
    SIRET = "SIRET", "SIRET"
    SIREN = "SIREN", "SIREN"
    TVA = "TVA", "TVA intracommunautaire"
    TAHITI = "TAHITI", "N° TAHITI (Polynésie française)"
    RIDET = "RIDET", "RIDET (Nouvelle-Calédonie)"
    FRWF = "FRWF", "Wallis-et-Futuna"
    IREP = "IREP", "IREP"
    HORS_UE = "HORS-UE", "Identifiant hors Union européenne"


# Spellings met in published DECP files, mapped to the canonical kind.
KIND_ALIASES = {
    "siret": IdentifierKind.SIRET,
    "siren": IdentifierKind.SIREN,
    "tva": IdentifierKind.TVA,
    "tva intracommunautaire": IdentifierKind.TVA,
    "tahiti": IdentifierKind.TAHITI,
    "ridet": IdentifierKind.RIDET,
    "frwf": IdentifierKind.FRWF,
    "irep": IdentifierKind.IREP,
    "hors-ue": IdentifierKind.HORS_UE,
    "hors ue": IdentifierKind.HORS_UE,
    "hors_ue": IdentifierKind.HORS_UE,
}

_OTHER_ID_RE = re.compile(r"^[A-Za-z0-9]{1,30}$")


def parse_kind(value: str) -> IdentifierKind:
    kind = KIND_ALIASES.get((value or "").strip().lower())
    if kind is None:
        raise ValidationError(f"Type d'identifiant inconnu : « {value} ».")
    return kind


def normalise(kind: str, identifier: str) -> str:
    """The canonical spelling stored and compared for deduplication."""
    if kind in {IdentifierKind.SIRET, IdentifierKind.SIREN}:
        return compact_digits(identifier)
    return re.sub(r"[\s.\-]", "", identifier or "").upper()


def validate_identifier(kind: str, identifier: str) -> None:
    """Full check for the kinds we can verify; a plain format check for the others."""
    if kind == IdentifierKind.SIRET:
        validate_siret(identifier)
    elif kind == IdentifierKind.SIREN:
        validate_siren(identifier)
    elif kind == IdentifierKind.TVA:
        validate_eu_vat(identifier)
    elif not _OTHER_ID_RE.match(identifier or ""):
        raise ValidationError("L'identifiant ne doit contenir que des lettres et des chiffres (30 au plus).")
