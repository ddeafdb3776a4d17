"""Factories of the catalogue: purchase families."""

import factory

from mutualis.catalogue.models import Nature, PurchaseFamily


class PurchaseFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseFamily

    code = factory.Sequence(lambda n: f"FAM-{n:03d}")
    label = factory.Sequence(lambda n: f"Famille {n}")
    nature = Nature.SUPPLIES
