"""The purchasing team's service offer (offer.py), the internal clients' requests with their log
(request.py), the messages and files exchanged on them (exchange.py), and the clients' satisfaction
(satisfaction.py)."""

from .exchange import RequestAttachment, RequestMessage, attachment_path
from .offer import ServiceModule
from .request import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    RequestStatus,
    RequestTransition,
    ServiceRequest,
    ServiceRequestQuerySet,
)
from .satisfaction import SatisfactionAnswer, SatisfactionQuestion, SatisfactionSurvey

__all__ = [
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "RequestAttachment",
    "RequestMessage",
    "RequestStatus",
    "RequestTransition",
    "SatisfactionAnswer",
    "SatisfactionQuestion",
    "SatisfactionSurvey",
    "ServiceModule",
    "ServiceRequest",
    "ServiceRequestQuerySet",
    "attachment_path",
]
