"""Widgets that read and write the registry's spreadsheet cells (natural keys, lists, holders)."""

from django.core.exceptions import ValidationError
from import_export import widgets

from mutualis.catalogue.models import CpvCode
from mutualis.core.export_plan import Many, Value, joined
from mutualis.core.resources import ChoicesWidget, TextWidget
from mutualis.core.validators import compact_digits
from mutualis.organisations.models import Entity
from mutualis.suppliers.identifiers import IdentifierKind, normalise
from mutualis.suppliers.models import Supplier

from .models import Contract

SEPARATORS = (";", ",")
HOLDER_IDS = "Titulaires (identifiants)"
HOLDER_NAMES = "Titulaires (raisons sociales)"


def split(value) -> list[str]:
    text = str(value or "")
    for separator in SEPARATORS[1:]:
        text = text.replace(separator, SEPARATORS[0])
    return [part.strip() for part in text.split(SEPARATORS[0]) if part.strip()]


class ChoiceListWidget(widgets.Widget):
    """Several enumeration values in one cell, separated by semicolons."""

    def __init__(self, enum, **kwargs):
        super().__init__(**kwargs)
        self.single = ChoicesWidget(enum.choices)
        # An empty cell means the enumeration's "none" value ("Sans objet", "Pas de …") when it has one.
        self.empty = [v for v in enum.values if v.startswith(("Sans objet", "Pas de"))]

    def clean(self, value, row=None, **kwargs):
        return [self.single.clean(part) for part in split(value)] or list(self.empty)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(value or [])

    def export_column(self, attribute):
        return Value((attribute,), lambda value: "; ".join(value or []))


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key found by a natural key, with an error that names the value not found."""

    def __init__(self, model, field, label, normalise_value=str):
        super().__init__(model, field=field)
        self.label = label
        self.normalise_value = normalise_value

    def clean(self, value, row=None, **kwargs):
        value = TextWidget().clean(value)
        if not value:
            return None
        try:
            return self.model.objects.get(**{self.field: self.normalise_value(value)})
        except self.model.DoesNotExist:
            raise ValueError(f"{self.label} « {value} » introuvable.") from None


class CpvWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(CpvCode, field="code")

    def clean(self, value, row=None, **kwargs):
        try:
            codes = CpvCode.objects.resolve(TextWidget().clean(value))
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        if len(codes) != 1:
            raise ValueError("Indiquez un seul code CPV principal.")
        return codes[0]

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""

    def export_column(self, attribute):
        return Value(
            (f"{attribute}__pk", f"{attribute}__code"), lambda key, code: code if key is not None else ""
        )


class FrameworkWidget(widgets.ForeignKeyWidget):
    """The framework agreement, by its reference, among the same buyer's contracts."""

    def __init__(self):
        super().__init__(Contract, field="reference")

    def clean(self, value, row=None, **kwargs):
        reference = TextWidget().clean(value)
        if not reference:
            return None
        buyer_siret = compact_digits(TextWidget().clean((row or {}).get("SIRET acheteur")))
        framework = Contract.objects.filter(
            buyer__siret=buyer_siret, reference=reference, is_framework=True
        ).first()
        if framework is None:
            raise ValueError(f"Aucun accord-cadre de référence « {reference} » pour cet acheteur.")
        return framework


class HoldersWidget(widgets.ManyToManyWidget):
    """Holders by identifier; an unknown one is added to the directory when its name is given."""

    def __init__(self):
        super().__init__(Supplier, field="identifier", separator=";")

    def clean(self, value, row=None, **kwargs):
        identifiers = split(TextWidget().clean(value))
        names = split((row or {}).get(HOLDER_NAMES))
        if not identifiers:
            raise ValueError("Indiquez au moins un titulaire.")
        suppliers = []
        for index, raw in enumerate(identifiers):
            kind = IdentifierKind.SIRET if compact_digits(raw).isdigit() else IdentifierKind.TVA
            identifier = normalise(kind, raw)
            supplier = Supplier.objects.filter(identifier=identifier).first()
            if supplier is None:
                name = names[index] if index < len(names) else ""
                if not name:
                    raise ValueError(f"Titulaire « {raw} » absent de l'annuaire : donnez sa raison sociale.")
                supplier = Supplier(identifier_kind=kind, identifier=identifier, name=name)
                try:
                    supplier.full_clean()
                except ValidationError as error:
                    raise ValueError(f"Titulaire « {raw} » : {' '.join(error.messages)}") from None
                supplier.save()
            suppliers.append(supplier)
        return suppliers


class EntitiesWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Entity, field="siret", separator=";")

    def clean(self, value, row=None, **kwargs):
        sirets = [compact_digits(s) for s in split(TextWidget().clean(value))]
        found = {e.siret: e for e in Entity.objects.filter(siret__in=sirets)}
        unknown = [s for s in sirets if s not in found]
        if unknown:
            raise ValueError("Entité(s) inconnue(s) du territoire : " + ", ".join(unknown) + ".")
        return [found[s] for s in sirets]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(e.siret for e in value.all()) if value is not None else ""

    def export_column(self, attribute):
        return Many(attribute, "siret", joined("; "))
