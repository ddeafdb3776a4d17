"""Export columns of the gains list (those of the page's table, and the inputs behind each figure).

Gains are not imported: they come from awarded lots or are typed on their page, where the method runs."""

from import_export import resources, widgets
from import_export.fields import Field

from mutualis.organisations.vocabulary import current_words


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


def _display(name):
    return lambda gain: getattr(gain, f"get_{name}_display")()


def _money(name, attribute):
    return _column(name, attribute, widget=widgets.DecimalWidget())


class GainResource(resources.Resource):
    """Export only; the figures are exact decimals, so the spreadsheet's sums match the synthesis."""

    id = _column("Numéro", "pk")
    label = _column("Objet", "label")
    entity = _column("Établissement", "entity__name")
    family = _column("Famille (code)", "family__code")
    buyer = _column("Acheteur", dehydrate_method=lambda gain: str(gain.buyer or ""))
    origin = _column("Origine", dehydrate_method=_display("origin"))
    kind = _column("Nature", dehydrate_method=_display("kind"))
    lever = _column("Levier", dehydrate_method=_display("lever"))
    stage = _column("Stade", dehydrate_method=_display("stage"))
    status = _column("État", dehydrate_method=_display("status"))
    notification_date = _column("Date de notification", "notification_date", widget=widgets.DateWidget())
    reference_amount = _money("Situation de référence annuelle HT (€)", "reference_amount")
    new_amount = _money("Nouvelle situation annuelle HT (€)", "new_amount")
    annual_gain = _money("Gain annuel (€)", "annual_gain")
    year_n = _column("Année N", "year_n")
    gain_year_n = _money("Gain en année N (€)", "gain_year_n")
    gain_year_n1 = _money("Gain en année N+1 (€)", "gain_year_n1")
    explanation = _column("Calcul", "explanation")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["entity"].column_name = current_words().one_cap  # the fields are this instance's copy

    class Meta:
        export_order = ["id", "label", "entity", "family", "buyer", "origin", "kind", "lever", "stage",
                        "status", "notification_date", "reference_amount", "new_amount", "annual_gain",
                        "year_n", "gain_year_n", "gain_year_n1", "explanation"]  # fmt: skip
