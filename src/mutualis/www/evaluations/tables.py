"""The incident list's table: when, what, how serious, where, with whom, where it stands, the penalties."""

import django_tables2 as tables

from mutualis.evaluations.models import Incident


class IncidentTable(tables.Table):
    occurred_on = tables.DateColumn(verbose_name="Survenu le", format="d/m/Y", linkify=True)
    kind = tables.Column(verbose_name="Nature")
    severity = tables.Column(verbose_name="Gravité")
    contract = tables.Column(
        verbose_name="Contrat", linkify=True, accessor="contract__reference", order_by="contract__reference"
    )
    entity = tables.Column(verbose_name="Entité", order_by="entity__name")
    supplier = tables.Column(verbose_name="Titulaire", accessor="supplier__name", order_by="supplier__name")
    status = tables.Column(verbose_name="État")
    penalty_amount = tables.Column(verbose_name="Pénalités (€ HT)", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Incident
        fields = ["occurred_on", "kind", "severity", "contract", "entity", "supplier", "status",
                  "penalty_amount"]  # fmt: skip
        empty_text = "Aucun incident ne correspond à ces critères."

    def render_contract(self, value, record):
        return value

    def render_penalty_amount(self, value):
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
