"""A person's side of a matinale: registering or withdrawing, the team's attendance sheet, and the
questionnaire of an attendee (only their own: 404 for anyone else, the answers stay anonymous)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from mutualis.events.models import Event, EventQuestion, EventStatus, EventSurvey, RegistrationStatus
from mutualis.events.services.registrations import attendance_save, register, unregister
from mutualis.events.services.surveys import may_answer, survey_answer
from mutualis.organisations.roles import Perm

from ..edits import add_service_errors
from ..permissions import RequirePermMixin
from .events import EventActionView
from .forms import EventSurveyForm


class RegisterView(EventActionView):
    required_perm = Perm.VIEW_SERVICE_OFFER
    refused = "Cette matinale est réservée aux personnes invitées."

    def act(self, event):
        registration = register(actor=self.request.user, event=event)
        if registration.status == RegistrationStatus.REGISTERED:
            return "Vous êtes inscrit à la matinale."
        return "La matinale est complète : vous êtes en liste d'attente, prévenu si une place se libère."


class UnregisterView(EventActionView):
    required_perm = Perm.VIEW_SERVICE_OFFER

    def act(self, event):
        unregister(actor=self.request.user, event=event)
        return "Vous êtes désinscrit de la matinale."


class AttendanceView(RequirePermMixin, TemplateView):
    """The sheet of the registered: tick those who came (the others are noted absent)."""

    required_perm = Perm.MANAGE_EVENTS
    template_name = "www/events/attendance.html"

    @cached_property
    def event(self) -> Event:
        return get_object_or_404(Event, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        registered = self.event.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
            "person"
        )
        return super().get_context_data(
            event=self.event,
            registered=registered.order_by("person__last_name", "person__first_name", "pk"),
            held=self.event.status == EventStatus.HELD,
            **kwargs,
        )

    def post(self, request, pk):
        try:
            count = attendance_save(
                actor=request.user, event=self.event, present_ids=request.POST.getlist("present")
            )
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, f"Présence notée : {count} présent(s).")
        return redirect(self.event)


class SurveyAnswerView(RequirePermMixin, FormView):
    required_perm = Perm.VIEW_SERVICE_OFFER
    template_name = "www/events/survey_form.html"
    form_class = EventSurveyForm

    @cached_property
    def survey(self) -> EventSurvey:
        return get_object_or_404(
            EventSurvey.objects.select_related("event"), pk=self.kwargs["pk"], person=self.request.user
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "questions": EventQuestion.objects.filter(is_active=True)}

    def get_context_data(self, **kwargs):
        survey = self.survey
        answers = survey.answers.select_related("question") if survey.is_answered else ()
        return super().get_context_data(survey=survey, event=survey.event, answers=answers, **kwargs)

    def post(self, request, *args, **kwargs):
        if not may_answer(request.user, self.survey):
            messages.info(request, "Vous avez déjà répondu à ce questionnaire : merci !")
            return redirect(self.survey)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            survey_answer(
                actor=self.request.user, survey=self.survey, scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Merci : votre avis est enregistré.")
        return redirect(self.survey.event)
