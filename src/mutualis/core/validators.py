"""Validators for French identifiers, shared by models, forms and importers.

SIRET/SIREN checks come from python-stdnum, which implements the Luhn check and the La Poste
exception (SIREN 356000000: digit sum multiple of 5; DOMAIN.md §8.6).
"""

import re

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.eu import vat
from stdnum.fr import siren, siret


def compact_digits(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siret(value: str) -> None:
    number = compact_digits(value)
    if not number.isdigit() or len(number) != 14:
        raise ValidationError("Un SIRET compte 14 chiffres (reçu : « %(value)s »).", params={"value": value})
    try:
        siret.validate(number)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            "Le SIRET « %(value)s » n'est pas valide (clé de contrôle incorrecte).", params={"value": value}
        ) from None


def validate_siren(value: str) -> None:
    number = compact_digits(value)
    if not number.isdigit() or len(number) != 9:
        raise ValidationError("Un SIREN compte 9 chiffres (reçu : « %(value)s »).", params={"value": value})
    try:
        siren.validate(number)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            "Le SIREN « %(value)s » n'est pas valide (clé de contrôle incorrecte).", params={"value": value}
        ) from None


def validate_eu_vat(value: str) -> None:
    try:
        vat.validate(value)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            "Le numéro de TVA intracommunautaire « %(value)s » n'est pas valide.", params={"value": value}
        ) from None


FINESS_RE = re.compile(r"^(\d{2}|2A|2B)\d{7}$")
INSEE_COMMUNE_RE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_finess(value: str) -> None:
    if not FINESS_RE.match(value or ""):
        raise ValidationError(
            "Un numéro FINESS compte 9 caractères : le département (2 chiffres, 2A ou 2B) puis 7 chiffres."
        )


def validate_insee_commune_format(value: str) -> None:
    if not INSEE_COMMUNE_RE.match(value or ""):
        raise ValidationError(
            "Un code commune INSEE compte 5 caractères (ex. 21231 ; 2A004 en Corse) ; "
            "ce n'est pas le code postal."
        )


def validate_postal_code(value: str) -> None:
    if not POSTAL_CODE_RE.match(value or ""):
        raise ValidationError("Un code postal compte 5 chiffres.")


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR_RE.match(value or ""):
        raise ValidationError("Indiquez une couleur au format #RRGGBB.")


def contrast_ratio(hex_a: str, hex_b: str) -> float:
    """WCAG 2 contrast ratio between two #RRGGBB colours (RGAA criterion 3.2 asks 4.5:1 for text)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
