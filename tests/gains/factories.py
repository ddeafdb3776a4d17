"""Gains for the tests: valid inputs, figures computed by the method (recompute), like gain_save does."""

from datetime import date
from decimal import Decimal

import factory

from mutualis.gains.method import GainKind
from mutualis.gains.models import Gain, GainStatus, ReferenceSource
from tests.organisations.factories import EntityFactory


class GainFactory(factory.django.DjangoModelFactory):
    """A recurring gain of 1 000 € a year by default: 10 000 € paid before, 9 000 € now."""

    class Meta:
        model = Gain

    label = factory.Sequence(lambda n: f"Gain n° {n}")
    entity = factory.SubFactory(EntityFactory)
    kind = GainKind.RECURRING
    reference_source = ReferenceSource.PREVIOUS_CONTRACT
    reference_unit_price = Decimal("10000")
    new_unit_price = Decimal("9000")
    quantity = Decimal("1")
    notification_date = date(2026, 1, 1)
    status = GainStatus.PROPOSED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        gain = model_class(*args, **kwargs)
        gain.recompute()  # the stored figures always come from the method
        gain.save()
        return gain


def gain(**fields) -> Gain:
    return GainFactory(**fields)
