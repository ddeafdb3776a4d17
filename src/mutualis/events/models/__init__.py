"""The matinales: the event and its log (event.py), who is invited and who comes (participation.py), the
questionnaire after the event (survey.py)."""

from .event import Event, EventQuerySet, EventStatus, EventTransition
from .participation import Invitation, InvitationReason, Registration, RegistrationStatus
from .survey import EventAnswer, EventQuestion, EventSurvey

__all__ = [
    "Event",
    "EventAnswer",
    "EventQuerySet",
    "EventQuestion",
    "EventStatus",
    "EventSurvey",
    "EventTransition",
    "Invitation",
    "InvitationReason",
    "Registration",
    "RegistrationStatus",
]
