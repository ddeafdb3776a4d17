"""The form of an incident: the contract, the entity that suffered it, the holder in cause, what happened,
how serious and the penalties. Its state, handler and outcome are the workflow's."""

from django import forms

from mutualis.contracts.models import Contract
from mutualis.evaluations.models import Incident
from mutualis.evaluations.permissions import declarable_entities, declarable_entity_ids
from mutualis.evaluations.services.incidents import future_date_error
from mutualis.suppliers.models import Supplier

from ..fieldsets import FieldsetsMixin

SUPPLIER_HELP = "Laissez vide si le contrat n'a qu'un titulaire : il est choisi d'office."
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def declarable_contracts(user):
    """The contracts the person may declare an incident on: those bought by or available to the
    entities he declares for (every contract for the team)."""
    ids = declarable_entity_ids(user)
    contracts = Contract.objects.all() if ids is None else Contract.objects.usable_by_entities(ids)
    return contracts.order_by("-notification_date", "reference")


class IncidentForm(FieldsetsMixin, forms.ModelForm):
    fieldsets = [
        ("Le contrat", ["contract", "entity", "supplier"]),
        ("L'incident", ["kind", "occurred_on", "severity", "description"]),
        ("Sanctions", ["penalty_amount"]),
    ]

    class Meta:
        model = Incident
        fields = ["contract", "entity", "supplier", "kind", "occurred_on", "severity", "description",
                  "penalty_amount"]  # fmt: skip
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = declarable_contracts(user).select_related("buyer")
        self.fields["entity"].queryset = declarable_entities(user)
        contract = contract or (self.instance.contract if self.instance.contract_id else None)
        suppliers = Supplier.objects.order_by("name")
        # Shown: the holders of the contract chosen; else (and once posted, the contract may have been
        # changed) those of the contracts the person may choose. The service checks the holder.
        self.fields["supplier"].queryset = (
            suppliers.filter(contracts=contract)
            if contract is not None and not self.is_bound
            else suppliers.filter(contracts__in=self.fields["contract"].queryset).distinct()
        )
        self.fields["supplier"].required = False  # the service takes the contract's sole holder
        self.fields["supplier"].help_text = SUPPLIER_HELP
        self.fields["penalty_amount"].widget.attrs.update(min="0", step="0.01")

    def clean_occurred_on(self):
        # Said with the form's other errors (the service checks it again).
        day = self.cleaned_data.get("occurred_on")
        error = future_date_error(day)
        if error:
            raise forms.ValidationError(error)
        return day
