"""The purchasing team's service offer (offer.py), the internal clients' requests with their log
(request.py), and the messages and files exchanged on them (exchange.py)."""

from .exchange import RequestAttachment, RequestMessage, attachment_path
from .offer import ServiceModule
from .request import OPEN_STATUSES, RequestStatus, RequestTransition, ServiceRequest, ServiceRequestQuerySet

__all__ = [
    "OPEN_STATUSES",
    "RequestAttachment",
    "RequestMessage",
    "RequestStatus",
    "RequestTransition",
    "ServiceModule",
    "ServiceRequest",
    "ServiceRequestQuerySet",
    "attachment_path",
]
