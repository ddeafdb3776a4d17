"""The satisfaction pages: the requester's questionnaire, the results per module, buyer or quarter (with
their CSV/XLSX), and the questions' editing by the offer's administrators."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from mutualis.clients.models import SatisfactionQuestion, SatisfactionSurvey
from mutualis.clients.satisfaction import GROUPINGS, MASKED, MIN_RESPONSES, results, table
from mutualis.clients.services.satisfaction import may_answer, question_save, survey_answer
from mutualis.organisations.roles import Perm

from ..edits import add_service_errors
from ..exports import FORMATS, dataset_response
from ..permissions import RequirePermMixin
from .satisfaction_forms import QuestionForm, ResultsFilterForm, SurveyForm


class SurveyAnswerView(RequirePermMixin, FormView):
    """Only the client who asked sees his questionnaire (404 for anyone else: answers stay anonymous)."""

    required_perm = Perm.REQUEST_SERVICES
    template_name = "www/clients/survey_form.html"
    form_class = SurveyForm

    @cached_property
    def survey(self) -> SatisfactionSurvey:
        # Looked up after the permission check (RequirePermMixin.dispatch): 403 before 404.
        return get_object_or_404(
            SatisfactionSurvey.objects.select_related("request"),
            pk=self.kwargs["pk"],
            request__requested_by=self.request.user,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "questions": SatisfactionQuestion.objects.filter(is_active=True)}

    def get_context_data(self, **kwargs):
        survey = self.survey
        answers = survey.answers.select_related("question") if survey.is_answered else ()
        return super().get_context_data(
            survey=survey, service_request=survey.request, answers=answers, **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not may_answer(request.user, self.survey):
            messages.info(request, "Vous avez déjà répondu à ce questionnaire : merci !")
            return redirect(self.survey)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            survey_answer(
                actor=self.request.user,
                survey=self.survey,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Merci : votre avis est enregistré.")
        return redirect(self.survey.request)


class SatisfactionResultsView(RequirePermMixin, TemplateView):
    """Anonymous aggregates, read by those who read the steering (the team, governance, control)."""

    required_perm = Perm.VIEW_STEERING
    template_name = "www/clients/satisfaction_results.html"

    def get(self, request, *args, **kwargs):
        data = {"year": timezone.localdate().year, "by": "module", **request.GET.dict()}
        self.form = ResultsFilterForm(data)
        self.form.is_valid()
        criteria = {"year": timezone.localdate().year, "by": "module", **self.form.cleaned_data}
        criteria["by"] = criteria["by"] or "module"
        self.results = results(**criteria)
        self.criteria = criteria
        if request.GET.get("export") in FORMATS:
            return dataset_response(
                self.dataset(),
                file_stem=f"satisfaction_{criteria['year']}",
                file_format=request.GET["export"],
            )
        return super().get(request, *args, **kwargs)

    def dataset(self) -> tablib.Dataset:
        headers, rows = table(self.results, self.criteria["by"])
        data = tablib.Dataset(headers=headers)
        for row in rows:
            data.append(row)
        return data

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("export", None)
        return super().get_context_data(
            form=self.form,
            grouping=GROUPINGS[self.criteria["by"]],
            masked=MASKED,
            min_responses=MIN_RESPONSES,
            query=query.urlencode(),
            can_edit_questions=self.access.has(Perm.MANAGE_SERVICE_OFFER),
            **self.results,
            **kwargs,
        )


class QuestionListView(RequirePermMixin, FormView):
    """The questions, each changed by its own small form; a new one added at the bottom."""

    required_perm = Perm.MANAGE_SERVICE_OFFER
    template_name = "www/clients/question_list.html"
    form_class = QuestionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.request.POST.get("question")
        if self.request.method == "POST" and pk and pk.isdigit():
            kwargs["instance"] = get_object_or_404(SatisfactionQuestion, pk=pk)
        return kwargs

    def get_context_data(self, **kwargs):
        questions = [
            (q, QuestionForm(instance=q, prefix=f"q{q.pk}")) for q in SatisfactionQuestion.objects.all()
        ]
        context = super().get_context_data(questions=questions, **kwargs)
        # The bottom form adds a question; after a refused change of an existing one it stays empty.
        context["new_form"] = QuestionForm() if context["form"].prefix else context["form"]
        return context

    def post(self, request, *args, **kwargs):
        pk = request.POST.get("question", "")
        form = QuestionForm(request.POST, instance=self.get_form_kwargs().get("instance"),
                            prefix=f"q{pk}" if pk else None)  # fmt: skip
        if form.is_valid():
            try:
                question_save(actor=request.user, question=form.instance)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Question enregistrée : « {form.instance.text} ».")
                return redirect(reverse("clients:question_list"))
        return self.form_invalid(form)
