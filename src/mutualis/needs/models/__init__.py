from .campaign import Campaign, CampaignQuerySet
from .line import NeedLine, NeedLineQuerySet, NeedStatus, NeedTransition, Recurrence

__all__ = [
    "Campaign",
    "CampaignQuerySet",
    "NeedLine",
    "NeedLineQuerySet",
    "NeedStatus",
    "NeedTransition",
    "Recurrence",
]
