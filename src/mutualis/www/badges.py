"""Urgent things stand out the same way everywhere: a red badge that says so in words (RGAA 3.1)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

LATE_LABEL = "En retard"


def late_badge(label: str = LATE_LABEL) -> SafeString:
    """The badge of www/includes/late_badge.html, for tables (the templates include the file)."""
    return render_to_string("www/includes/late_badge.html", {"label": label})  # already safe
