"""Requests made through the service, as the pages do."""

from decimal import Decimal

from mutualis.clients.models import ServiceModule, ServiceRequest
from mutualis.clients.services.requests import request_submit
from tests.catalogue.factories import PurchaseFamilyFactory


def make_request(actor, *, entity, codes=("sourcing",), family=None, **fields) -> ServiceRequest:
    request = ServiceRequest(
        entity=entity,
        family=family or PurchaseFamilyFactory(),
        object=fields.pop("object", "Location-entretien du linge des services de soins"),
        estimated_amount=fields.pop("estimated_amount", Decimal("80000")),
        **fields,
    )
    return request_submit(actor=actor, request=request, modules=ServiceModule.objects.filter(code__in=codes))
