"""Reads of the improvement log for the cockpit and the home pages: how many actions are open, late,
the person's own."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import ImprovementAction


def improvement_counts(user, today=None) -> dict:
    """Open actions (open or in progress) this person sees, those past their due date, and his own:
    one query (the scope's distinct rows are counted in a subquery)."""
    today = today or timezone.localdate()
    return (
        ImprovementAction.objects.for_user(user)
        .open()
        .aggregate(
            open=Count("pk"),
            late=Count("pk", filter=Q(due_on__lt=today)),
            mine=Count("pk", filter=Q(owner=user)),
        )
    )
