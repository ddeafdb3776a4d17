"""Answering an evaluation: the campaign's grid, one radio group per criterion with its four anchored
descriptions, the incidents of the period beside it, or « non concerné » with the reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from mutualis.core.scoping import scoped
from mutualis.evaluations.models import Evaluation, EvaluationStatus, Incident
from mutualis.evaluations.services.answers import evaluation_answer, evaluation_not_concerned, may_answer
from mutualis.organisations.roles import Perm

from ..edits import add_service_errors
from ..permissions import RequirePermMixin
from .campaign_forms import AnswerForm

NOT_CONCERNED = "not_concerned"


class EvaluationAnswerView(RequirePermMixin, FormView):
    required_perm = Perm.VIEW_EVALUATIONS
    template_name = "www/evaluations/evaluation_answer.html"
    form_class = AnswerForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            queryset = scoped(Evaluation.objects.all(), request.user).select_related(
                "campaign", "contract", "entity", "answered_by"
            )
            self.evaluation = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["criteria"] = self.evaluation.campaign.criteria.all()
        if self.request.method == "GET":
            kwargs["initial"] = {
                "comment": self.evaluation.comment,
                **{f"criterion_{s.criterion_id}": s.value for s in self.evaluation.scores.all()},
            }
        return kwargs

    def get_context_data(self, **kwargs):
        evaluation = self.evaluation
        campaign = evaluation.campaign
        incidents = (
            scoped(Incident.objects.all(), self.request.user)
            .of_contract(evaluation.contract)
            .filter(entity=evaluation.entity)
            .between(campaign.period_start, campaign.period_end)
            .select_related("supplier")
        )
        return super().get_context_data(
            evaluation=evaluation,
            campaign=campaign,
            incidents=incidents,
            can_answer=may_answer(self.request.user, evaluation),
            page_title=str(evaluation),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not may_answer(request.user, self.evaluation):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        evaluation, user = self.evaluation, self.request.user
        try:
            if self.request.POST.get("answer") == NOT_CONCERNED:
                evaluation_not_concerned(
                    actor=user, evaluation=evaluation, reason=form.cleaned_data["comment"]
                )
            else:
                evaluation_answer(
                    actor=user,
                    evaluation=evaluation,
                    marks=form.marks(),
                    comment=form.cleaned_data["comment"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        evaluation.refresh_from_db()
        done = (
            "« non concerné »" if evaluation.status == EvaluationStatus.NOT_CONCERNED else "votre évaluation"
        )
        messages.success(
            self.request, f"Merci : {done} pour {evaluation.contract.reference} est enregistrée."
        )
        return redirect(evaluation.campaign)
