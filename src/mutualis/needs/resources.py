"""Spreadsheet columns of need lines: the template entities fill in, imported into one campaign."""

from import_export import fields, widgets

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.resources import BaseResource, ChoicesWidget, TextWidget
from mutualis.core.validators import compact_digits
from mutualis.organisations.models import Entity
from mutualis.organisations.vocabulary import current_words

from .models import Campaign, NeedLine, Recurrence


class ScopedLookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by natural key, only among the records the importing user may use."""

    def __init__(self, queryset, field, label, normalise=str):
        super().__init__(queryset.model, field=field)
        self.scope, self.label, self.normalise = queryset, label, normalise

    def clean(self, value, row=None, **kwargs):
        value = TextWidget().clean(value)
        if not value:
            raise ValueError(f"{self.label} : obligatoire.")
        found = self.scope.filter(**{self.field: self.normalise(value)}).first()
        if found is None:
            raise ValueError(f"{self.label} « {value} » inconnu(e) ou hors de votre périmètre.")
        return found


class NeedLineResource(BaseResource):
    """Built for one campaign and one user: entities in the user's scope, families of the campaign."""

    import_max_rows = 20_000

    entity = fields.Field(attribute="entity", column_name="SIRET de l'établissement")
    family = fields.Field(attribute="family", column_name="Famille (code)")
    description = fields.Field(attribute="description", column_name="Besoin", widget=TextWidget())
    quantity = fields.Field(attribute="quantity", column_name="Quantité", widget=widgets.DecimalWidget())
    unit = fields.Field(attribute="unit", column_name="Unité", widget=TextWidget())
    estimated_amount = fields.Field(
        attribute="estimated_amount", column_name="Montant estimé HT (€)", widget=widgets.DecimalWidget()
    )
    recurrence = fields.Field(
        attribute="recurrence", column_name="Récurrence", widget=ChoicesWidget(Recurrence.choices)
    )
    wished_start = fields.Field(
        attribute="wished_start", column_name="Début souhaité", widget=widgets.DateWidget()
    )

    class Meta(BaseResource.Meta):
        model = NeedLine
        fields = [
            "entity",
            "family",
            "description",
            "quantity",
            "unit",
            "estimated_amount",
            "recurrence",
            "wished_start",
        ]
        import_id_fields = []  # every row is a new draft line
        skip_unchanged = False

    def __init__(self, campaign=None, entities=None):
        super().__init__()
        self.campaign = campaign
        entities = entities if entities is not None else Entity.objects.none()
        families = campaign.families.all() if campaign else PurchaseFamily.objects.none()
        # The header stays (files already filled in); the errors name the entity as the territory does.
        self.fields["entity"].widget = ScopedLookupWidget(
            entities, "siret", current_words().one_cap, compact_digits
        )
        self.fields["family"].widget = ScopedLookupWidget(families, "code", "Famille de la campagne")

    @classmethod
    def for_import(cls, user, campaign: int):
        """Lines of an open campaign, for the entities in the user's scope."""
        from mutualis.core.import_files import ImportFileError
        from mutualis.organisations.access import access_for

        found = Campaign.objects.open().filter(pk=campaign).first()
        if found is None:
            raise ImportFileError("La campagne n'est plus ouverte : aucun besoin n'a été importé.")
        scope = access_for(user).entity_ids
        entities = Entity.objects.active() if scope is None else Entity.objects.filter(pk__in=scope)
        return cls(campaign=found, entities=entities)

    def get_instance(self, instance_loader, row):
        return None  # no natural key: each row is a new line

    def before_save_instance(self, instance, row, **kwargs):
        instance.campaign = self.campaign

    def import_instance(self, instance, row, **kwargs):
        instance.campaign = self.campaign  # so that model validation sees it
        super().import_instance(instance, row, **kwargs)
