"""The CPV reference list and the territory's nomenclature of homogeneous purchase families."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.core.scoping import ReadableByAllQuerySet
from mutualis.legal.vocabulary import Nature  # re-exported: the vocabulary of the law lives in legal


class CpvLevel(models.IntegerChoices):
    DIVISION = 2, "Division"
    GROUP = 3, "Groupe"
    CLASS = 4, "Classe"
    CATEGORY = 5, "Catégorie"
    DETAIL = 8, "Code détaillé"


class CpvQuerySet(ReadableByAllQuerySet):
    def search(self, text: str) -> "CpvQuerySet":
        """Codes whose digits start with the text, or whose label contains every word of it."""
        text = (text or "").strip()
        if not text:
            return self
        digits = text.replace("-", "")
        if digits.isdigit():
            return self.filter(code__startswith=digits[:8])
        query = self
        for word in text.split():
            query = query.filter(label__icontains=word)
        return query

    def resolve(self, text: str) -> list["CpvCode"]:
        """Codes typed as text (commas or semicolons, check digit optional), validated by lookup.

        Excel drops leading zeros (03111000 becomes 3111000): a 7-digit code gets its zero back.
        """
        parts = [part.strip().split("-")[0] for part in str(text or "").replace(";", ",").split(",")]
        codes = [part.zfill(8) if part.isdigit() and len(part) == 7 else part for part in parts if part]
        found = {c.code: c for c in self.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                "Code(s) CPV inconnu(s) de la nomenclature CPV 2008 : " + ", ".join(unknown) + "."
            )
        return [found[code] for code in dict.fromkeys(codes)]


class CpvCode(models.Model):
    """One code of the CPV 2008 main vocabulary (Regulation (EC) 213/2008), French label."""

    code = models.CharField("code", max_length=8, primary_key=True)
    check_digit = models.CharField("chiffre de contrôle", max_length=1)
    label = models.CharField("libellé", max_length=400)
    level = models.PositiveSmallIntegerField("niveau", choices=CpvLevel.choices)
    # Nearest existing ancestor: 35 official codes have no direct parent (DOMAIN.md §7.1).
    parent = models.ForeignKey(
        "self",
        verbose_name="code parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = CpvQuerySet.as_manager()

    class Meta:
        verbose_name = "code CPV"
        verbose_name_plural = "codes CPV"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{8}$"), name="cpv_code_8_digits")
        ]

    def __str__(self) -> str:
        return f"{self.full_code} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:cpv_detail", args=[self.code])

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    @property
    def division(self) -> str:
        return self.code[:2]

    @property
    def nature(self) -> Nature:
        return nature_of_cpv(self.code)


def nature_of_cpv(code: str) -> Nature:
    """Division 45 is works, 03 to 44 and 48 supplies, 50 to 98 services (DOMAIN.md §7.1)."""
    division = int(code[:2])
    if division == 45:
        return Nature.WORKS
    return Nature.SUPPLIES if division < 50 else Nature.SERVICES


class PurchaseFamilyQuerySet(ReadableByAllQuerySet):
    def active(self) -> "PurchaseFamilyQuerySet":
        return self.filter(is_active=True)

    def search(self, text: str) -> "PurchaseFamilyQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(code__icontains=text)
            | models.Q(label__icontains=text)
            | models.Q(cpv_codes__code__startswith=text)
        ).distinct()


class PurchaseFamily(Versioned, TimeStampedModel):
    """A homogeneous family of the territory's nomenclature: the unit for threshold computation."""

    code = models.CharField("code", max_length=20, unique=True)
    label = models.CharField("libellé", max_length=200)
    nature = models.CharField("nature", max_length=12, choices=Nature.choices)
    description = models.TextField("périmètre", blank=True, help_text="Ce que la famille couvre et exclut.")
    cpv_codes = models.ManyToManyField(CpvCode, verbose_name="codes CPV", blank=True, related_name="families")
    responsible_buyer = models.ForeignKey(
        "organisations.User",
        verbose_name="acheteur responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchase_families",
    )
    is_active = models.BooleanField("active", default=True)
    history = HistoricalRecords(m2m_fields=[cpv_codes])

    objects = PurchaseFamilyQuerySet.as_manager()

    class Meta:
        verbose_name = "famille d'achat"
        verbose_name_plural = "familles d'achat"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:family_detail", args=[self.pk])
