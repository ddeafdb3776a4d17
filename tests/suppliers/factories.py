"""Factories of the supplier directory."""

import factory

from mutualis.suppliers.models import Supplier
from tests.organisations.factories import make_siret


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    identifier_kind = "SIRET"
    identifier = factory.LazyFunction(make_siret)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
