"""Export columns of the spend line list: what the finance file said and how the line was linked.

Export only: lines come in through the spend import (its own resource) and are corrected on their page."""

from import_export import resources, widgets
from import_export.fields import Field

from mutualis.core.resources import FrenchBooleanWidget


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


class SpendLineResource(resources.Resource):
    """Amounts are exact decimals (numbers in the workbook), so the spreadsheet's sums match the map."""

    entity = _column("Entité", "entity__name")
    fiscal_year = _column("Exercice", "fiscal_year")
    mandate_number = _column("Numéro de mandat", "mandate_number")
    paid_on = _column("Date", "paid_on", widget=widgets.DateWidget())
    supplier_siret = _column("SIRET du fournisseur", "supplier_siret")
    supplier_siren = _column("SIREN du fournisseur", "supplier_siren")
    supplier_name = _column("Fournisseur", "supplier_name")
    amount_ht = _column("Montant HT (€)", "amount_ht", widget=widgets.DecimalWidget(coerce_to_string=False))
    amount_ttc = _column(
        "Montant TTC (€)", "amount_ttc", widget=widgets.DecimalWidget(coerce_to_string=False)
    )
    account = _column("Compte", "account")
    contract_reference = _column("Numéro de marché du mandat", "contract_reference")
    label = _column("Libellé", "label")
    family = _column("Famille (code)", "family__code")
    contract = _column(
        "Contrat", dehydrate_method=lambda line: line.contract.reference if line.contract else ""
    )
    off_contract = _column("Hors marché", "is_off_contract", widget=FrenchBooleanWidget())
    match_method = _column("Rattachement", dehydrate_method=lambda line: line.get_match_method_display())
    not_entitled = _column("Entité non utilisatrice du contrat", "not_entitled", widget=FrenchBooleanWidget())

    class Meta:
        export_order = ["entity", "fiscal_year", "mandate_number", "paid_on", "supplier_siret",
                        "supplier_siren", "supplier_name", "amount_ht", "amount_ttc", "account",
                        "contract_reference", "label", "family", "contract", "off_contract", "match_method",
                        "not_entitled"]  # fmt: skip
