"""The project form: what is bought, for whom, by whom, how, with which contract terms."""

from django import forms
from django.db.models import F, OuterRef, Q, Subquery

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts import enums
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.organisations.models import Entity, PurchasingGroup, User
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from mutualis.procurements.models.project import validate_quarter

from ..catalogue.forms import CpvCodeField
from ..fieldsets import FieldsetsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

FIELDSETS = [
    ("Objet", ["object", "family", "cpv", "estimated_value", "replaces"]),
    ("Périmètre", ["entities", "purchasing_group", "buyer_entity"]),
    ("Équipe en charge", ["buyer", "legal_officer", "evaluation_committee"]),
    (
        "Procédure",
        ["contract_procedure", "procedure_override_reason", "is_emergency", "emergency_justification"],
    ),
    (
        "Calendrier",
        [
            "planned_launch_quarter",
            "launched_on",
            "published_on",
            "tender_deadline",
            "time_limit_reduction",
            "time_limit_reduction_reason",
        ],
    ),
    (
        "Clauses du contrat",
        [
            "is_framework",
            "ccag",
            "price_form",
            "price_types",
            "duration_months",
            "renewal_count",
            "renewal_period_months",
        ],
    ),
    ("Achat responsable", ["environmental_condition", "social_condition", "social_exception"]),
    ("Portail public des entreprises", ["portal_published", "portal_contact", "consultation_url"]),
]
WIDE_FIELDS = [
    "object",
    "replaces",
    "procedure_override_reason",
    "emergency_justification",
    "time_limit_reduction_reason",
    "social_exception",
    "consultation_url",
]


def _holding(role: Role, current_id: int | None):
    """Active users holding the role; the person in charge today stays selectable."""
    return User.objects.filter(Q(is_active=True, memberships__role=role) | Q(pk=current_id)).distinct()


def replaceable_contracts():
    """The registry's contracts, soonest ending first, with what their label needs read in the same query:
    the registry holds thousands, a query per option would not do."""
    first_holder = ContractHolder.objects.filter(contract=OuterRef("pk")).order_by("position", "pk")
    return (
        Contract.objects.annotate(holder_name=Subquery(first_holder.values("supplier__name")[:1]))
        .only("pk", "reference", "object", "end_date")
        .order_by(F("end_date").asc(nulls_last=True), "reference", "pk")
    )


class ReplacedContractField(forms.ModelChoiceField):
    def label_from_instance(self, contract) -> str:
        holder = contract.holder_name or "titulaire non renseigné"
        end = f"fin le {contract.end_date:%d/%m/%Y}" if contract.end_date else "fin non calculée"
        return f"{contract.reference} — {contract.object[:80]} ({holder}, {end})"


class ProjectForm(FieldsetsMixin, forms.ModelForm):
    cpv = CpvCodeField(label="Code CPV principal", required=False)
    price_types = forms.MultipleChoiceField(
        label="Types de prix",
        choices=enums.PriceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    replaces = ReplacedContractField(
        label="Contrat remplacé",
        queryset=Contract.objects.none(),  # set per form: see replaceable_contracts()
        required=False,
        empty_label="Aucun (besoin nouveau)",
        help_text="Le contrat du registre auquel ce projet succède : son montant annuel sert de situation "
        "de référence au calcul du gain achat proposé à l'attribution. Laissez vide pour un besoin "
        "nouveau (la référence est alors la moyenne des offres reçues).",
    )
    planned_launch_quarter = forms.CharField(
        label="Lancement prévu (trimestre)",
        max_length=7,
        help_text="Année et trimestre, ex. 2027-T1.",
        validators=[validate_quarter],
    )
    # Declared for its scheme: a link typed without one is read as https, as browsers do.
    consultation_url = forms.URLField(
        label="Adresse de la consultation sur le profil d'acheteur",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Project._meta.get_field("consultation_url").help_text,
    )

    fieldsets = FIELDSETS

    class Meta:
        model = Project
        fields = [name for _, names in FIELDSETS for name in names]
        widgets = {
            "object": forms.Textarea(attrs={"rows": 2}),
            "procedure_override_reason": forms.Textarea(attrs={"rows": 2}),
            "emergency_justification": forms.Textarea(attrs={"rows": 2}),
            "social_exception": forms.Textarea(attrs={"rows": 2}),
            "time_limit_reduction_reason": forms.Textarea(attrs={"rows": 2}),
            "entities": forms.CheckboxSelectMultiple,
            "launched_on": DATE,
            "published_on": DATE,
            "tender_deadline": DATE,
        }
        help_texts = {
            "contract_procedure": "Laissez vide pour retenir la procédure que la valeur estimée impose.",
            "launched_on": "Enregistrée d'office à l'envoi de l'avis ; à corriger au besoin.",
            "entities": "Ou indiquez un groupement de commandes : ses membres sont alors concernés.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance
        self.fields["family"].queryset = PurchaseFamily.objects.active()
        self.fields["entities"].queryset = Entity.objects.active()
        self.fields["buyer_entity"].queryset = Entity.objects.active()
        self.fields["replaces"].queryset = replaceable_contracts()
        self.fields["purchasing_group"].queryset = PurchasingGroup.objects.filter(is_active=True)
        self.fields["buyer"].queryset = _holding(Role.BUYER, current.buyer_id)
        self.fields["legal_officer"].queryset = _holding(Role.LEGAL_OFFICER, current.legal_officer_id)
        named = list(current.evaluation_committee.values_list("pk", flat=True)) if current.pk else []
        self.fields["evaluation_committee"].queryset = User.objects.filter(
            Q(is_active=True) | Q(pk__in=named)
        ).order_by("last_name", "first_name")
