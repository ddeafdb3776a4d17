"""Forms of a project's lots, criteria grid, offers, award, unsuccessful declaration and notification.

They only collect and convert what is typed; the rules (stages, weights, standstill…) are the services'.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone

from mutualis.contracts.enums import PlaceCodeType
from mutualis.core.formats import weight
from mutualis.procurements.analysis import LotAnalysis
from mutualis.procurements.models import Criterion, Lot, Offer
from mutualis.procurements.models.lots import SCORE_MAX
from mutualis.suppliers.identifiers import IdentifierKind, normalise
from mutualis.suppliers.models import Supplier

from ..catalogue.forms import CpvCodeField
from ..fieldsets import FieldsetsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUPPLIER_CHOICES_SHOWN = 8


class LotForm(forms.ModelForm):
    cpv = CpvCodeField(
        label="Code CPV",
        required=False,
        help_text="8 chiffres, avec ou sans chiffre de contrôle (ex. 33141000). À défaut, celui du projet.",
    )

    class Meta:
        model = Lot
        fields = ["title", "estimated_value", "cpv"]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label", "kind", "weight", "position"]
        help_texts = {
            "weight": "En pour cent ; les pondérations de la grille totalisent 100 %.",
            "position": "Ordre d'affichage dans la grille.",
        }


def score_field_name(criterion: Criterion) -> str:
    """The same key the service uses for a score's errors."""
    return f"score_{criterion.pk}"


class SupplierField(forms.CharField):
    """A bidder typed as its SIRET (or other identifier) or as its name, looked up in the directory.

    No list of the whole directory is sent to the browser: it holds tens of thousands of companies.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Supplier):
            return value.identifier
        if isinstance(value, int):
            supplier = Supplier.objects.filter(pk=value).first()
            return supplier.identifier if supplier else value
        return value

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        compact = normalise(IdentifierKind.SIRET, text)
        candidates = {compact, normalise(IdentifierKind.TVA, text)} - {""}
        found = list(Supplier.objects.filter(identifier__in=candidates)[:2])
        if not found and compact.isdigit() and len(compact) == 9:
            found = list(Supplier.objects.filter(siren=compact)[:2])
        if not found:
            found = list(Supplier.objects.filter(name__iexact=text)[:2])
        if not found:
            found = list(Supplier.objects.search(text)[: SUPPLIER_CHOICES_SHOWN + 1])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                f"Aucun fournisseur de l'annuaire ne correspond à « {text} » : "
                "ajoutez-le d'abord à l'annuaire des fournisseurs."
            )
        shown = "; ".join(f"{s.name} ({s.identifier})" for s in found[:SUPPLIER_CHOICES_SHOWN])
        more = " …" if len(found) > SUPPLIER_CHOICES_SHOWN else ""
        raise forms.ValidationError(
            f"Plusieurs fournisseurs correspondent : {shown}{more}. Indiquez l'identifiant (SIRET…)."
        )


class OfferForm(FieldsetsMixin, forms.ModelForm):
    supplier = SupplierField(
        label="Soumissionnaire (SIRET, autre identifiant ou raison sociale)",
        help_text="Le fournisseur doit figurer dans l'annuaire ; une raison sociale qui désigne "
        "plusieurs fournisseurs vous sera signalée.",
    )

    class Meta:
        model = Offer
        fields = ["supplier", "price", "received_on", "is_regular", "notes"]
        widgets = {"received_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_price]
        price = next((c for c in criteria if c.is_price), None)
        if price is not None:
            self.fields["price"].help_text = (
                f"Le critère « {price.label} » ({weight(price.weight)} %) est noté automatiquement : "
                "prix le plus bas ÷ prix de l'offre × 10."
            )
        typed = {s.criterion_id: s.score for s in self.instance.scores.all()} if self.instance.pk else {}
        for criterion in self.criteria:
            name = score_field_name(criterion)
            self.fields[name] = forms.DecimalField(
                label=f"Note sur 10 — {criterion.label}",
                required=False,
                min_value=Decimal(0),
                max_value=SCORE_MAX,
                max_digits=4,
                decimal_places=2,
                help_text=f"{criterion.get_kind_display()}, {weight(criterion.weight)} %. "
                "Vide : pas encore notée.",
            )
            self.initial.setdefault(name, typed.get(criterion.pk))
        self.fieldsets = [
            ("Offre", ["supplier", "price", "received_on", "is_regular", "notes"]),
            ("Notes sur 10", [score_field_name(c) for c in self.criteria]),
        ]

    def scores(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(score_field_name(c)) for c in self.criteria}


class AwardForm(forms.Form):
    offer = forms.TypedChoiceField(
        label="Offre retenue", coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    awarded_on = forms.DateField(label="Décision d'attribution le", widget=DATE)
    rejections_sent_on = forms.DateField(
        label="Lettres de rejet envoyées le",
        required=False,
        widget=DATE,
        help_text="Obligatoire dès qu'une autre offre régulière a été reçue.",
    )
    rejections_sent_electronically = forms.BooleanField(
        label="Rejets envoyés par voie électronique",
        required=False,
        initial=True,
        help_text="Le délai de suspension est plus long pour un envoi papier.",
    )
    # Required by the essential data (DECP 2.0.3 `lieuExecution`): the rest comes from the project.
    execution_place_code = forms.CharField(
        label="Lieu d'exécution (code)",
        max_length=10,
        required=False,
        help_text="Code INSEE de la commune de préférence (pas le code postal) ; vide : la commune de "
        "l'acheteur.",
    )
    execution_place_type = forms.ChoiceField(
        label="Type de code du lieu",
        choices=PlaceCodeType.choices,
        initial=PlaceCodeType.COMMUNE,
        required=False,
        help_text="Vide : code commune.",
    )

    def __init__(self, *args, analysis: LotAnalysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("execution_place_code", analysis.lot.project.buyer_entity.insee_code)
        self.ranked = [r for r in analysis.offers if r.offer.is_regular]
        self.fields["offer"].choices = [(r.offer.pk, offer_label(r)) for r in self.ranked]
        self.offers = {r.offer.pk: r.offer for r in self.ranked}
        best = analysis.best
        self.initial.setdefault("offer", best.offer.pk if best else None)
        self.initial.setdefault("awarded_on", timezone.localdate())

    def cleaned_offer(self) -> Offer:
        return self.offers[self.cleaned_data["offer"]]


def offer_label(ranked) -> str:
    rank = f"Rang {ranked.rank}" if ranked.rank else "Non classée"
    total = f"{ranked.total:.2f} / 100".replace(".", ",") if ranked.total is not None else "notes incomplètes"
    price = f"{ranked.offer.price:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{rank} — {ranked.offer.supplier} — {price} € HT — {total}"


class UnsuccessfulForm(forms.Form):
    unsuccessful_reason = forms.CharField(
        label="Motif",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ex. aucune offre reçue, offres toutes irrégulières ou inacceptables, abandon du besoin.",
    )


class NotifyForm(forms.Form):
    signed_on = forms.DateField(label="Contrat signé le", widget=DATE)
    notified_on = forms.DateField(label="Notifié au titulaire le", widget=DATE)


class NegotiationForm(forms.Form):
    """One row per regular offer of a lot: the price after the round, its date and a note.

    An offer left without a new price (or with its current price) was not negotiated: no round for it.
    Labels name the bidder so that the error summary says whose price or date is wrong."""

    def __init__(self, *args, offers: list[Offer], **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = offers
        today = timezone.localdate()
        for offer in offers:
            name = offer.supplier.name
            self.fields[f"new_price_{offer.pk}"] = forms.DecimalField(
                label=f"Nouveau prix HT après négociation (€) — {name}",
                required=False,
                max_digits=16,
                decimal_places=2,
            )
            self.fields[f"held_on_{offer.pk}"] = forms.DateField(
                label=f"Date du tour — {name}", required=False, initial=today, widget=DATE
            )
            self.fields[f"notes_{offer.pk}"] = forms.CharField(
                label=f"Observations — {name}", required=False, max_length=1000
            )
            # The offer as the page showed it: a price changed meanwhile is an edit conflict, not a
            # round measured from a price the buyer never saw.
            self.fields[f"version_{offer.pk}"] = forms.IntegerField(
                min_value=1,
                initial=offer.version,
                widget=forms.HiddenInput,
                error_messages={"required": "La version de l'offre manque : rechargez la page."},
            )

    def rows(self):
        """(offer, [price, date, notes]) bound fields, for the table; a field in error says so to assistive
        technologies and points to its message (RGAA 11.10)."""
        rows = []
        for offer in self.offers:
            bound = [self[f"{name}_{offer.pk}"] for name in ("new_price", "held_on", "notes")]
            for field in bound:
                attrs = field.field.widget.attrs
                attrs["class"] = "form-control form-control-sm"
                if field.errors:
                    attrs.update(
                        {
                            "class": "form-control form-control-sm is-invalid",
                            "aria-invalid": "true",
                            "aria-describedby": f"{field.auto_id}_erreur",
                        }
                    )
            rows.append((offer, bound))
        return rows

    def negotiated(self) -> list[tuple[Offer, dict]]:
        """The offers given a new price, with the service's arguments (call once the form is valid)."""
        data = self.cleaned_data
        rounds = []
        for offer in self.offers:
            new_price = data.get(f"new_price_{offer.pk}")
            if new_price is None or new_price == offer.price:
                continue
            offer.version = data[f"version_{offer.pk}"]
            rounds.append(
                (
                    offer,
                    {
                        "new_price": new_price,
                        "held_on": data.get(f"held_on_{offer.pk}"),
                        "notes": data.get(f"notes_{offer.pk}", ""),
                    },
                )
            )
        return rounds

    def clean(self):
        data = super().clean()
        if not self.errors and not self.negotiated():
            raise forms.ValidationError(
                "Aucun nouveau prix n'a été saisi : indiquez le prix obtenu pour au moins une offre."
            )
        return data
