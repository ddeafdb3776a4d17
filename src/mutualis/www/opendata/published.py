"""The published contracts (DECP of buyers outside the territory): searched in full text, filtered,
exported, as the benchmark page's detail."""

import django_tables2 as tables

from mutualis.opendata.filters import ExternalContractFilterSet
from mutualis.opendata.models import ExternalContract
from mutualis.opendata.resources import ExternalContractResource
from mutualis.organisations.roles import Perm

from ..lists import FilteredListView


class ExternalContractTable(tables.Table):
    notification_date = tables.DateColumn(verbose_name="Notifié le", format="d/m/Y")
    buyer_name = tables.Column(verbose_name="Acheteur", empty_values=())
    object = tables.Column(verbose_name="Objet")
    cpv = tables.Column(verbose_name="CPV")
    procedure = tables.Column(verbose_name="Procédure")
    amount = tables.Column(verbose_name="Montant HT (€)", attrs={"td": {"class": "text-end"}})
    offers_received = tables.Column(verbose_name="Offres")

    class Meta:
        model = ExternalContract
        fields = [
            "notification_date",
            "buyer_name",
            "object",
            "cpv",
            "procedure",
            "amount",
            "offers_received",
        ]
        empty_text = "Aucun marché publié ne correspond à ces critères."

    def render_buyer_name(self, record):
        return record.buyer_name or record.buyer_siret

    def render_amount(self, value):
        return f"{value:,.0f}".replace(",", "\u202f")


class ExternalContractListView(FilteredListView):
    model = ExternalContract
    required_perm = Perm.VIEW_CONTRACTS
    table_class = ExternalContractTable
    filterset_class = ExternalContractFilterSet
    resource_class = ExternalContractResource
    export_name = "marches_publies"
    title = "Marchés publiés (DECP)"
    intro = (
        "Les données essentielles publiées par les autres acheteurs et importées dans Mutualis. "
        "Recherche en texte intégral : mots de l'objet ou de l'acheteur (« blanchis » trouve "
        '« blanchisserie »), "une expression", -mot pour exclure, OU entre deux possibilités.'
    )
