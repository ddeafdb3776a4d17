"""The territory, its member entities, users and their roles per entity."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.core.storage import public_storage
from mutualis.core.validators import (
    HEX_COLOUR_RE,
    compact_digits,
    contrast_ratio,
    validate_finess,
    validate_hex_colour,
    validate_postal_code,
    validate_siret,
)
from mutualis.geo.validators import validate_commune_code
from mutualis.legal.vocabulary import BuyerKind

from .access import access_for
from .roles import Role


class TerritoryKind(models.TextChoices):
    GHT = "ght", "Groupement hospitalier de territoire (GHT)"
    AGGLOMERATION = "agglomeration", "Communauté d'agglomération"
    URBAN_COMMUNITY = "urban_community", "Communauté urbaine"
    METROPOLIS = "metropolis", "Métropole"
    COMMUNITY_OF_COMMUNES = "community_of_communes", "Communauté de communes"
    REGION = "region", "Région"
    DEPARTMENT = "department", "Département"
    OTHER = "other", "Autre groupement"


def validate_logo_size(file) -> None:
    if file.size > 512 * 1024:
        raise ValidationError("Le logo ne doit pas dépasser 512 Ko.")


class Territory(Versioned, TimeStampedModel):
    """The group this instance serves (one per instance): its name, kind and visual identity."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("nom court", max_length=40, help_text="Affiché dans l'en-tête.")
    kind = models.CharField("nature du groupement", max_length=30, choices=TerritoryKind.choices)
    logo = models.ImageField(
        "logo",
        upload_to="territory/",
        storage=public_storage,  # shown to every visitor, login page included
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), validate_logo_size],
        help_text="PNG ou JPEG, 512 Ko au plus.",
    )
    logo_alt = models.CharField(
        "texte alternatif du logo", max_length=200, blank=True, help_text="Lu par les lecteurs d'écran."
    )
    primary_colour = models.CharField(
        "couleur principale",
        max_length=7,
        default="#1d4f91",
        validators=[validate_hex_colour],
        help_text="Fond de l'en-tête et des boutons, sous un texte blanc : contraste d'au moins 4,5:1 exigé.",
    )
    contact_email = models.EmailField(
        "adresse de contact publique",
        blank=True,
        help_text=(
            "Publiée sur le portail (déclaration d'accessibilité) : l'adresse d'un service, "
            "jamais celle d'une personne."
        ),
    )
    buyer_kind = models.CharField(
        "type d'acheteur",
        max_length=30,
        choices=BuyerKind.choices,
        default=BuyerKind.OTHER,
        help_text="Choisit les seuils européens applicables aux besoins consolidés.",
    )
    contract_alert_days = models.PositiveIntegerField(
        "horizon des alertes d'échéance (jours)",
        default=180,
        help_text="Les contrats qui se terminent dans ce délai font l'objet d'une alerte.",
    )
    retender_lead_months = models.PositiveSmallIntegerField(
        "délai de relance d'une consultation (mois)",
        default=9,
        help_text="La décision de relancer une consultation est attendue ce délai avant la fin du contrat.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "territoire"
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="territory_singleton")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # RGAA 3.2: white text on the territory colour must stay readable.
        if HEX_COLOUR_RE.match(self.primary_colour or ""):
            ratio = contrast_ratio(self.primary_colour, "#ffffff")
            if ratio < 4.5:
                raise ValidationError(
                    {
                        "primary_colour": (
                            f"Contraste avec le texte blanc de {ratio:.1f}:1, inférieur au 4,5:1 exigé "
                            "par le RGAA : choisissez une couleur plus foncée."
                        )
                    }
                )

    @classmethod
    def current(cls) -> "Territory | None":
        return cls.objects.first()


class EntityKind(models.TextChoices):
    SUPPORT_ESTABLISHMENT = "support", "Établissement support"
    MEMBER_HOSPITAL = "hospital", "Établissement partie"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    OTHER = "other", "Autre membre"


class PurchasingMode(models.TextChoices):
    """Who is the legal buyer of an entity's needs outside any groupement de commandes."""

    OWN = "own", "Achète pour son propre compte"
    SUPPORT = "support", "Achats portés par l'établissement support"


class EntityQuerySet(models.QuerySet):
    def active(self) -> "EntityQuerySet":
        return self.filter(is_active=True)

    def support_establishments(self) -> "EntityQuerySet":
        """Active support establishments, the territory's first (should there be several)."""
        return self.active().filter(kind=EntityKind.SUPPORT_ESTABLISHMENT).order_by("pk")

    def support_establishment(self) -> "Entity | None":
        """The territory's support establishment: it buys for the members that buy through it."""
        return self.support_establishments().first()

    def with_buyer_key(self) -> "EntityQuerySet":
        """Annotates `buyer_key_id`: the entity whose SIRET buys for it (see buyer_key)."""
        return self.annotate(buyer_key_id=buyer_key())

    def buyer_keys(self) -> dict[int, int]:
        """Entity id → id of its buyer key."""
        return dict(self.with_buyer_key().values_list("pk", "buyer_key_id"))

    def search(self, text: str) -> "EntityQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        query = (
            models.Q(name__icontains=text)
            | models.Q(short_name__icontains=text)
            | models.Q(city__icontains=text)
        )
        digits = compact_digits(text)
        if digits.isdigit():
            query |= models.Q(siret__startswith=digits) | models.Q(finess__startswith=digits)
        return self.filter(query)

    def for_user(self, user) -> "EntityQuerySet":
        """Entities the user may see: all for the team, their own for entity roles."""
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(pk__in=scope)


class Entity(Versioned, TimeStampedModel):
    """A member of the territory that buys or uses contracts (hospital, commune, EPCI…)."""

    name = models.CharField("raison sociale", max_length=200)
    short_name = models.CharField("nom d'usage", max_length=80, blank=True)
    siret = models.CharField(
        "SIRET", max_length=14, unique=True, validators=[validate_siret], help_text="14 chiffres."
    )
    kind = models.CharField("nature", max_length=20, choices=EntityKind.choices)
    # The default keeps the GHT reading (R6132-16: the support establishment buys for the members);
    # in a territory without a support establishment it amounts to buying for oneself.
    purchasing_mode = models.CharField(
        "mode d'achat",
        max_length=10,
        choices=PurchasingMode.choices,
        default=PurchasingMode.SUPPORT,
        help_text=(
            "Qui est l'acheteur de ses besoins hors groupement de commandes : l'entité elle-même "
            "(son SIRET), ou l'établissement support du territoire (cas d'un GHT). Les seuils de "
            "procédure s'apprécient par acheteur (R2121-1)."
        ),
    )
    finess = models.CharField(
        "FINESS juridique",
        max_length=9,
        blank=True,
        validators=[validate_finess],
        help_text="Établissements de santé : numéro FINESS de l'entité juridique.",
    )
    insee_code = models.CharField(
        "code commune INSEE",
        max_length=5,
        blank=True,
        validators=[validate_commune_code],
        help_text="Commune du siège (code INSEE, pas le code postal).",
    )
    postal_code = models.CharField("code postal", max_length=5, blank=True, validators=[validate_postal_code])
    city = models.CharField("ville", max_length=100, blank=True)
    is_active = models.BooleanField("membre actif", default=True)
    history = HistoricalRecords()

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name = "entité membre"
        verbose_name_plural = "entités membres"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret__regex=r"^[0-9]{14}$"), name="entity_siret_14_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:entity_detail", args=[self.pk])

    @property
    def siren(self) -> str:
        return self.siret[:9]

    def clean(self) -> None:
        self.siret = compact_digits(self.siret)
        self.finess = (self.finess or "").strip().upper()
        # The support establishment is the buyer of the members it buys for: it buys for itself.
        if self.kind == EntityKind.SUPPORT_ESTABLISHMENT:
            self.purchasing_mode = PurchasingMode.OWN

    @property
    def buyer(self) -> "Entity":
        """The entity whose SIRET is the legal buyer of this one's needs outside any groupement."""
        key = Entity.objects.filter(pk=self.pk).buyer_keys().get(self.pk, self.pk)
        return self if key == self.pk else Entity.objects.get(pk=key)


def buyer_key(path: str = "") -> models.Expression:
    """The buyer key of the entity at `path` ("" for Entity itself, "entity__" from a need line…), as a
    database expression, so that totals per buyer are summed by the database. The one place that says
    who buys for whom: the entity itself when it buys for its own account, else the territory's support
    establishment (L6132-3, R6132-16), else itself (no support establishment to buy for it). Thresholds
    are assessed per buyer (R2121-1), so independent buyers are never added together."""
    own = models.F(f"{path}pk")
    # A subquery, not a value read beforehand: the expression costs no query of its own.
    support = Entity.objects.support_establishments()
    return models.Case(
        models.When(**{f"{path}purchasing_mode": PurchasingMode.OWN}, then=own),
        default=Coalesce(models.Subquery(support.values("pk")[:1]), own),
        output_field=models.BigIntegerField(),
    )


class UserQuerySet(models.QuerySet):
    def search(self, text: str) -> "UserQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(username__icontains=text)
            | models.Q(first_name__icontains=text)
            | models.Q(last_name__icontains=text)
            | models.Q(email__icontains=text)
            | models.Q(job_title__icontains=text)
        )

    def for_user(self, user) -> "UserQuerySet":
        """People the user may see: everyone for the team, those with a role in their entities otherwise."""
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(memberships__entity_id__in=scope).distinct()


class MutualisUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager with the project's QuerySet methods (migrations need a named class)."""


class User(Versioned, AbstractUser):
    """A person using Mutualis; what they may do comes from their memberships."""

    job_title = models.CharField("fonction", max_length=120, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    # Logging in (and the hash upgrade it may do) is no edit of the person's details.
    unversioned_fields = frozenset({"last_login", "password"})

    objects = MutualisUserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("organisations:user_detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entity_id__in=scope)


class Membership(TimeStampedModel):
    """A role a user holds in a member entity."""

    user = models.ForeignKey(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="memberships"
    )
    entity = models.ForeignKey(
        Entity, verbose_name="entité", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rôle dans une entité"
        verbose_name_plural = "rôles dans les entités"
        ordering = ["entity__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entity", "role"], name="membership_unique_role_per_entity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.entity})"


from .groups import GroupMembership, PurchasingGroup  # noqa: E402  (models split in their own module)
from .identities import OidcIdentity  # noqa: E402

__all__ = [
    "Entity",
    "GroupMembership",
    "Membership",
    "OidcIdentity",
    "PurchasingGroup",
    "PurchasingMode",
    "Territory",
    "User",
]
