"""Export of the objectives (French columns)."""

from import_export import fields

from mutualis.core.resources import BaseResource

from .indicators.registry import BY_CODE
from .models import Objective


class ObjectiveResource(BaseResource):
    year = fields.Field(attribute="year", column_name="Année")
    indicator = fields.Field(column_name="Indicateur")
    unit = fields.Field(column_name="Unité")
    entity = fields.Field(column_name="Entité")
    family = fields.Field(column_name="Famille (code)")
    target = fields.Field(attribute="target", column_name="Cible")
    source = fields.Field(attribute="source", column_name="Origine")

    class Meta(BaseResource.Meta):
        model = Objective
        fields = ["year", "indicator", "unit", "entity", "family", "target", "source"]

    def dehydrate_indicator(self, objective):
        indicator = BY_CODE.get(objective.indicator)
        return indicator.label if indicator else objective.indicator

    def dehydrate_unit(self, objective):
        indicator = BY_CODE.get(objective.indicator)
        return indicator.unit if indicator else ""

    def dehydrate_entity(self, objective):
        return objective.entity.name if objective.entity else "Tout le territoire"

    def dehydrate_family(self, objective):
        return objective.family.code if objective.family else "Toutes"
