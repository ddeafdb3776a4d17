"""Request fields the API's calculators share: an exact, non-negative decimal, with its OpenAPI schema."""

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

# A decimal as text, of any sign and length: the parent field then names the broken rule.
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class ExactDecimalField(serializers.DecimalField):
    """A non-negative decimal as the schema says it: "1234.56" (at most `decimal_places` decimals) or a
    whole number; never "", "-5", "1e3", " 12" nor 0.1 (a JSON float has no exact decimal value)."""

    default_error_messages = {
        "negative": "Ce nombre ne peut pas être négatif.",
        "float": "Écrivez ce nombre entre guillemets, par exemple « 12.5 » : un nombre à virgule "
        "n'a pas de valeur décimale exacte en JSON.",
    }

    def __init__(self, *, max_digits: int, decimal_places: int, **kwargs):
        super().__init__(
            max_digits=max_digits, decimal_places=decimal_places, min_value=0, coerce_to_string=True, **kwargs
        )
        whole_digits = max_digits - decimal_places
        self.pattern = re.compile(rf"^[0-9]{{1,{whole_digits}}}(\.[0-9]{{1,{decimal_places}}})?$")
        self.largest_whole_number = 10**whole_digits - 1

    def to_internal_value(self, data):
        if isinstance(data, float):
            self.fail("float")
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        plain = isinstance(data, int) or PLAIN_DECIMAL.fullmatch(data)
        if plain and str(data).startswith("-"):
            self.fail("negative")  # "-0" too: the schema has no sign
        if isinstance(data, str) and not self.pattern.fullmatch(data):
            if plain:
                super().to_internal_value(data)  # "1.23456", "1234567890123456": names the bound crossed
            self.fail("invalid")  # "1e3", " 12", "NaN", "", or leading zeros beyond the whole digits
        return super().to_internal_value(data)


class ExactDecimalFieldExtension(OpenApiSerializerFieldExtension):
    """The schema of each ExactDecimalField from its own bounds (its help text is the description)."""

    target_class = ExactDecimalField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        return {
            "anyOf": [
                {"type": "string", "pattern": field.pattern.pattern},
                {"type": "integer", "minimum": 0, "maximum": field.largest_whole_number},
            ]
        }
