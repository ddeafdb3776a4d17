"""The purchasing team's service offer: its modules (« sourcing et benchmark »…), edited by administrators."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel


class ServiceModule(Versioned, TimeStampedModel):
    """One module of the team's service offer (« sourcing et benchmark »…), edited by administrators."""

    code = models.SlugField("code", max_length=40, unique=True)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description")
    deliverables = models.TextField("ce que le client obtient")
    delay_days = models.PositiveSmallIntegerField(
        "délai de réalisation (jours ouvrés)",
        validators=[MinValueValidator(1)],
        help_text="Compté en jours ouvrés à partir de la prise en charge de la demande.",
    )
    team = models.CharField("équipe qui le réalise", max_length=200)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    is_active = models.BooleanField("proposé aux clients", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "module de l'offre de service"
        verbose_name_plural = "modules de l'offre de service"
        ordering = ["position", "title"]
        constraints = [models.CheckConstraint(condition=Q(delay_days__gte=1), name="module_delay_positive")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('clients:module_list')}#module-{self.pk}"
