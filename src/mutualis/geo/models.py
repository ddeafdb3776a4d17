"""French communes (INSEE Code officiel géographique), to validate and name INSEE codes by lookup."""

from django.db import models


class CommuneQuerySet(models.QuerySet):
    def search(self, text: str) -> "CommuneQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(models.Q(code__startswith=text) | models.Q(name__icontains=text))


class Commune(models.Model):
    """A commune or municipal arrondissement of the COG, identified by its INSEE code."""

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    department = models.CharField("département", max_length=3, db_index=True)
    region = models.CharField("région", max_length=2, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
