from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.needs.models import Campaign, NeedLine

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "year",
            "families",
            "deadline",
            "launch_date",
            "contract_duration_months",
            "instructions",
            "is_open",
        ]
        widgets = {
            "families": forms.CheckboxSelectMultiple,
            "deadline": DATE,
            "launch_date": DATE,
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["families"].queryset = PurchaseFamily.objects.active()


class NeedLineForm(forms.ModelForm):
    class Meta:
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
            "replaced_contract",
        ]
        widgets = {"wished_start": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, campaign: Campaign, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["entity"].queryset = entities
        self.fields["family"].queryset = campaign.families.order_by("code")
        self.fields["replaced_contract"].queryset = Contract.objects.usable_by_entities(
            entities.values("pk")
        ).in_force()
        if entities.count() == 1:
            self.initial.setdefault("entity", entities.first().pk)


class TransitionForm(forms.Form):
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
