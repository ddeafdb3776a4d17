"""The action plan's list exported to CSV/XLSX (the page's « Exporter »): one row per action, its
establishments in one cell. The national PAAT layout, one sheet per establishment, is the paat package's."""

from decimal import Decimal

from import_export import fields, widgets

from mutualis.core.resources import BaseResource, ChoicesWidget
from mutualis.organisations.vocabulary import current_words

from .method import GainKind, to_cent
from .models import ActionStatus, BudgetKind, Lever, PlanAction, PlanOrigin


class PlanActionResource(BaseResource):
    identifier = fields.Field(attribute="pk", column_name="Identifiant", readonly=True)
    year = fields.Field(attribute="year", column_name="Année du plan", widget=widgets.IntegerWidget())
    origin = fields.Field(attribute="origin", column_name="Plan", widget=ChoicesWidget(PlanOrigin.choices))
    title = fields.Field(attribute="title", column_name="Objet de l'action")
    entities = fields.Field(column_name="Établissements concernés", readonly=True)
    family = fields.Field(column_name="Famille d'achat", readonly=True)
    owner = fields.Field(column_name="Pilote", readonly=True)
    planned_quarter = fields.Field(attribute="planned_quarter", column_name="Trimestre prévu")
    status = fields.Field(
        attribute="status", column_name="Statut", widget=ChoicesWidget(ActionStatus.choices)
    )
    lever = fields.Field(attribute="lever", column_name="Levier", widget=ChoicesWidget(Lever.choices))
    budget = fields.Field(attribute="budget", column_name="Budget", widget=ChoicesWidget(BudgetKind.choices))
    kind = fields.Field(
        attribute="kind", column_name="Nature du gain", widget=ChoicesWidget(GainKind.choices)
    )
    reference_unit_price = fields.Field(
        attribute="reference_unit_price",
        column_name="Prix unitaire de référence HT (€)",
        widget=widgets.DecimalWidget(),
    )
    new_unit_price = fields.Field(
        attribute="new_unit_price", column_name="Prix unitaire visé HT (€)", widget=widgets.DecimalWidget()
    )
    quantity = fields.Field(attribute="quantity", column_name="Quantité", widget=widgets.DecimalWidget())
    amortisation_years = fields.Field(
        attribute="amortisation_years",
        column_name="Durée d'amortissement (ans)",
        widget=widgets.IntegerWidget(),
    )
    expected_annual_gain = fields.Field(
        attribute="expected_annual_gain",
        column_name="Gain annuel attendu (€)",
        widget=widgets.DecimalWidget(),
    )
    expected_gain_year_n = fields.Field(
        attribute="expected_gain_year_n", column_name="Gain attendu N (€)", widget=widgets.DecimalWidget()
    )
    expected_gain_year_n1 = fields.Field(
        attribute="expected_gain_year_n1", column_name="Gain attendu N+1 (€)", widget=widgets.DecimalWidget()
    )
    realised = fields.Field(column_name="Gain réalisé (€)", readonly=True, widget=widgets.DecimalWidget())

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        words = current_words()  # the fields are this instance's copy
        self.fields["entities"].column_name = f"{words.many_cap} concerné{words.e}s"

    class Meta(BaseResource.Meta):
        model = PlanAction
        fields = [
            "identifier",
            "year",
            "origin",
            "title",
            "entities",
            "family",
            "owner",
            "planned_quarter",
            "status",
            "lever",
            "budget",
            "kind",
            "reference_unit_price",
            "new_unit_price",
            "quantity",
            "amortisation_years",
            "expected_annual_gain",
            "expected_gain_year_n",
            "expected_gain_year_n1",
            "realised",
        ]
        export_order = fields

    def dehydrate_entities(self, action) -> str:
        return " ; ".join(str(entity) for entity in action.entities.all())

    def dehydrate_family(self, action) -> str:
        return action.family.code if action.family_id else ""

    def dehydrate_owner(self, action) -> str:
        return action.owner.get_full_name() if action.owner_id else ""

    def dehydrate_realised(self, action):
        # The list annotates it (plan_totals.with_realised); a bare record sums its gains.
        value = action.realised if hasattr(action, "realised") else action.realised_gain
        # Written as the other amounts (a dehydrated value skips the widget); SQLite drops the cents.
        return self.fields["realised"].widget.render(to_cent(Decimal(value)))
