"""Filters of the matinales' list, shared by its page and exports."""

import django_filters
from django.utils import timezone

from mutualis.clients.models import ServiceModule
from mutualis.core.filters import SearchFilterSet, YesNoAllWidget

from .models import Event, EventStatus


class EventFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(label="État", choices=EventStatus.choices, empty_label="Tous")
    theme = django_filters.ModelChoiceFilter(
        label="Thème", queryset=ServiceModule.objects.all(), empty_label="Tous"
    )
    upcoming = django_filters.BooleanFilter(
        label="À venir (inscriptions ouvertes)", method="filter_upcoming", widget=YesNoAllWidget()
    )

    class Meta:
        model = Event
        fields = ["q", "status", "theme", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        upcoming = Event.objects.upcoming(timezone.now())
        return queryset.filter(pk__in=upcoming) if value else queryset.exclude(pk__in=upcoming)
