"""Abstract bases shared by the domain apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Creation and last-change timestamps (the who is kept by the history tables)."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True
