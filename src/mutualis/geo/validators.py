"""Validation of INSEE commune codes by lookup in the shipped COG list."""

from django.core.exceptions import ValidationError

from mutualis.core.validators import validate_insee_commune_format


def validate_commune_code(value: str) -> None:
    validate_insee_commune_format(value)
    from .models import Commune

    if not Commune.objects.filter(code=value).exists():
        raise ValidationError(
            f"Le code commune INSEE « {value} » n'existe pas dans le Code officiel géographique."
        )
