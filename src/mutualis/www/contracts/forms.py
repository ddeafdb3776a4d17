from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts import enums
from mutualis.contracts.models import Amendment, Contract, ContractDocument, RenewalDecision
from mutualis.contracts.services import HolderInput
from mutualis.organisations.models import Entity, PurchasingGroup, User
from mutualis.organisations.roles import Role
from mutualis.suppliers.identifiers import IdentifierKind, normalise
from mutualis.suppliers.models import Supplier

from ..catalogue.forms import CpvCodeField
from ..fieldsets import FieldsetsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def checkboxes(enum, label, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=enum.choices, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


FIELDSETS = [
    (
        "Identification",
        ["reference", "buyer", "purchasing_group", "object", "nature", "cpv", "family", "manager"],
    ),
    ("Procédure", ["procedure", "techniques", "execution_modes", "framework", "ccag", "offers_received"]),
    ("Montant et prix", ["amount", "minimum_amount", "price_types", "price_form"]),
    (
        "Dates et durée",
        [
            "notification_date",
            "start_date",
            "firm_duration_months",
            "renewal_count",
            "renewal_period_months",
            "renewal_notice_months",
            "terminated_on",
        ],
    ),
    ("Titulaires", ["grouping_kind", "subcontracting_declared"]),
    (
        "Achat responsable et exécution",
        [
            "social_considerations",
            "environmental_considerations",
            "is_innovative",
            "advance_paid",
            "advance_rate",
            "origin_eu_share",
            "origin_france_share",
            "execution_place_code",
            "execution_place_type",
        ],
    ),
    ("Entités utilisatrices", ["available_to", "notes"]),
]


class ContractForm(FieldsetsMixin, forms.ModelForm):
    cpv = CpvCodeField(label="Code CPV principal")
    techniques = checkboxes(enums.Technique, "Techniques d'achat")
    execution_modes = checkboxes(enums.ExecutionMode, "Modalités d'exécution")
    price_types = checkboxes(enums.PriceType, "Types de prix")
    social_considerations = checkboxes(enums.SocialConsideration, "Considérations sociales")
    environmental_considerations = checkboxes(
        enums.EnvironmentalConsideration, "Considérations environnementales"
    )

    fieldsets = FIELDSETS

    class Meta:
        model = Contract
        fields = [name for _, names in FIELDSETS for name in names]
        widgets = {
            "object": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "notification_date": DATE,
            "start_date": DATE,
            "terminated_on": DATE,
            "available_to": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = Entity.objects.active()
        self.fields["available_to"].queryset = Entity.objects.active()
        self.fields["purchasing_group"].queryset = PurchasingGroup.objects.filter(is_active=True)
        self.fields["family"].queryset = PurchaseFamily.objects.active()
        self.fields["manager"].queryset = User.objects.filter(
            is_active=True, memberships__role__in=[Role.BUYER, Role.ADMIN, Role.LEGAL_OFFICER]
        ).distinct()
        frameworks = Contract.objects.filter(is_framework=True).select_related("buyer")
        if self.instance.pk:
            frameworks = frameworks.exclude(pk=self.instance.pk)
        self.fields["framework"].queryset = frameworks
        self.fields["buyer"].required = False
        self.fields["buyer"].help_text = "Laissez vide pour un groupement : c'est alors son coordonnateur."
        for name in ["techniques", "execution_modes", "price_types", "social_considerations",
                     "environmental_considerations"]:  # fmt: skip
            if not self.initial.get(name) and not self.instance.pk:
                self.initial[name] = [self.fields[name].choices[-1][0]]  # "Sans objet" / "Pas de …"

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("purchasing_group")
        if group is not None:
            cleaned["buyer"] = group.coordinator
            self.instance.buyer = group.coordinator
        elif not cleaned.get("buyer"):
            self.add_error("buyer", "Indiquez l'acheteur (ou un groupement de commandes).")
        return cleaned

    def validate_unique(self):
        # Buyer may come from the group: check (buyer, reference) once it is known.
        self.instance.buyer = self.cleaned_data.get("buyer") or getattr(self.instance, "buyer", None)
        super().validate_unique()


class HolderForm(forms.Form):
    identifier_kind = forms.ChoiceField(
        label="Type d'identifiant", choices=IdentifierKind.choices, initial=IdentifierKind.SIRET
    )
    identifier = forms.CharField(label="Identifiant (SIRET…)", max_length=30)
    name = forms.CharField(
        label="Raison sociale", max_length=200, required=False,
        help_text="Nécessaire seulement si le fournisseur n'est pas encore dans l'annuaire.",
    )  # fmt: skip
    role = forms.ChoiceField(label="Rôle", choices=enums.HolderRole.choices)
    contact_name = forms.CharField(label="Contact pour commander", max_length=120, required=False)
    contact_email = forms.EmailField(label="Courriel du contact", required=False)
    contact_phone = forms.CharField(label="Téléphone du contact", max_length=30, required=False)

    def clean(self):
        cleaned = super().clean()
        kind, identifier = cleaned.get("identifier_kind"), cleaned.get("identifier")
        if not kind or not identifier:
            return cleaned
        identifier = normalise(kind, identifier)
        supplier = Supplier.objects.filter(identifier_kind=kind, identifier=identifier).first()
        if supplier is None:
            if not cleaned.get("name"):
                self.add_error(
                    "name", "Ce fournisseur n'est pas dans l'annuaire : indiquez sa raison sociale."
                )
                return cleaned
            supplier = Supplier(identifier_kind=kind, identifier=identifier, name=cleaned["name"])
            try:
                supplier.full_clean()
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
                return cleaned
        cleaned["supplier"] = supplier
        return cleaned

    def holder_input(self) -> HolderInput:
        data = self.cleaned_data
        return HolderInput(
            supplier=data["supplier"],
            role=data["role"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
        )


class BaseHolderFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError("Indiquez au moins un titulaire.")

    def holder_inputs(self) -> list[HolderInput]:
        return [f.holder_input() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


HolderFormSet = forms.formset_factory(HolderForm, formset=BaseHolderFormSet, extra=2, can_delete=True)


def holder_initial(contract: Contract) -> list[dict]:
    return [
        {
            "identifier_kind": link.supplier.identifier_kind,
            "identifier": link.supplier.identifier,
            "name": link.supplier.name,
            "role": link.role,
            "contact_name": link.contact_name,
            "contact_email": link.contact_email,
            "contact_phone": link.contact_phone,
        }
        for link in contract.holder_links.select_related("supplier")
    ]


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["notified_on", "kind", "description", "amount_change", "duration_change_months"]
        widgets = {"notified_on": DATE, "description": forms.Textarea(attrs={"rows": 2})}


class RenewalDecisionForm(forms.ModelForm):
    class Meta:
        model = RenewalDecision
        fields = ["period", "kind", "decided_on", "comment"]
        widgets = {"decided_on": DATE, "comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        decided = set(contract.renewal_decisions.values_list("period", flat=True))
        choices = [
            (n, f"Reconduction n° {n}") for n in range(1, contract.renewal_count + 1) if n not in decided
        ]
        end = contract.renewal_count + 1
        if end not in decided:
            choices.append((end, "Échéance finale du contrat"))
        self.fields["period"] = forms.TypedChoiceField(
            label="Décision portant sur", choices=choices, coerce=int
        )


class DocumentForm(forms.ModelForm):
    class Meta:
        model = ContractDocument
        fields = ["kind", "title", "file"]
