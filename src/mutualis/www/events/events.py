"""The matinales: their list, the form of the team that organises them, a matinale's page (invitations,
registrations and waiting list, attendance, results) and the team's actions on it."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from mutualis.events.filters import EventFilterSet
from mutualis.events.models import Event, EventStatus, EventSurvey, RegistrationStatus
from mutualis.events.resources import EventResource
from mutualis.events.results import MASKED, MIN_RESPONSES, results, table
from mutualis.events.services.events import event_save, event_transition
from mutualis.events.services.invitations import invitation_add, invitations_prepare
from mutualis.events.services.registrations import may_register
from mutualis.events.targeting import WINDOW_MONTHS, entity_ranking, people_ranking
from mutualis.events.workflow import EVENT
from mutualis.organisations.roles import Perm

from ..actions import RecordActionView
from ..edits import RecordCreateView, RecordDetailView, RecordUpdateView
from ..lists import FilteredListView
from .forms import EventForm, InvitationForm
from .tables import EventTable


class EventListView(FilteredListView):
    model = Event
    required_perm = Perm.VIEW_SERVICE_OFFER
    table_class = EventTable
    filterset_class = EventFilterSet
    resource_class = EventResource
    export_name = "matinales"
    title = "Matinales"
    intro = (
        "Les matinales de la cellule achats : un thème de l'offre de service présenté aux clients internes, "
        "sur invitation ; les places sont limitées, au-delà une liste d'attente."
    )
    create_perm = Perm.MANAGE_EVENTS
    create_url_name = "events:event_create"

    def optimise(self, queryset):
        return queryset.select_related("theme").prefetch_related("registrations", "invitations")


class EventCreateView(RecordCreateView):
    model = Event
    form_class = EventForm
    required_perm = Perm.MANAGE_EVENTS
    service = event_save
    title = "Programmer une matinale"
    success_message = "Matinale programmée."
    list_url_name = "events:event_list"


class EventUpdateView(RecordUpdateView):
    model = Event
    form_class = EventForm
    required_perm = Perm.MANAGE_EVENTS
    service = event_save
    title = "Modifier la matinale"
    success_message = "Matinale enregistrée."


class EventDetailView(RecordDetailView):
    model = Event
    required_perm = Perm.VIEW_SERVICE_OFFER
    edit_perm = Perm.MANAGE_EVENTS
    template_name = "www/events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.select_related("theme", "organiser", "organiser_entity")

    def get_context_data(self, **kwargs):
        event, user = self.object, self.request.user
        manages = self.access.has(Perm.MANAGE_EVENTS)
        registrations = list(event.registrations.select_related("person").order_by("registered_at", "pk"))
        mine = next((r for r in registrations if r.person_id == user.pk), None)
        context = {
            "manages": manages,
            "moves": EVENT.available(event, user),
            "transitions": event.transitions.select_related("by"),
            "my_registration": mine if mine and mine.status != RegistrationStatus.CANCELLED else None,
            "my_invitation": event.invitations.filter(person=user).first(),
            "may_register": event.registrations_open and may_register(user, event),
            "survey_to_answer": EventSurvey.objects.filter(
                event=event, person=user, answered_at__isnull=True
            ).first(),
            "registered_count": sum(1 for r in registrations if r.status == RegistrationStatus.REGISTERED),
            "waiting_count": sum(1 for r in registrations if r.status == RegistrationStatus.WAITING),
        }
        if manages:
            context.update(
                registered=[r for r in registrations if r.status == RegistrationStatus.REGISTERED],
                waiting=[r for r in registrations if r.status == RegistrationStatus.WAITING],
                invitations=event.invitations.select_related("person"),
                invitation_form=InvitationForm(),
                editable=event.registrations_open,
                window_months=WINDOW_MONTHS,
            )
            if event.status == EventStatus.PLANNED:
                context.update(
                    people_ranking=people_ranking(event, limit=event.targeted_count),
                    entity_ranking=entity_ranking(event, limit=10),
                )
        if event.status == EventStatus.CLOSED and (manages or self.access.has(Perm.VIEW_STEERING)):
            result = results(event)
            headers, rows = table(result)
            context.update(results=result, result_headers=headers, result_rows=rows, masked=MASKED,
                           min_responses=MIN_RESPONSES)  # fmt: skip
        return super().get_context_data(**context, **kwargs)


class EventActionView(RecordActionView):
    """A POST of the organising team on one matinale; refusals come back as messages."""

    required_perm = Perm.MANAGE_EVENTS

    def get_record(self, pk):
        return get_object_or_404(Event, pk=pk)


class EventTransitionView(EventActionView):
    def act(self, event):
        moved = event_transition(
            actor=self.request.user, event=event, name=self.move_name(), comment=self.comment()
        )
        return f"La matinale est maintenant : {moved.get_status_display().lower()}."


class InvitationsPrepareView(EventActionView):
    def act(self, event):
        created = invitations_prepare(actor=self.request.user, event=event)
        return f"{len(created)} invitation(s) ajoutée(s) d'après l'activité des clients internes."


class InvitationAddView(EventActionView):
    def act(self, event):
        form = InvitationForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError("Personne à inviter : choisissez une personne dans la liste.")
        invitation = invitation_add(actor=self.request.user, event=event, person=form.cleaned_data["person"])
        return f"{invitation.person} est invité."
