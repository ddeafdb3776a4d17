"""A project's lots, criteria grid and offers, and the award, unsuccessful and notification decisions.

Thin pages over the procurement services: they load the objects the user may see, hand the typed
values to the service and show its refusals on the form. Which buttons the project page shows is in
lot_actions.py.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from django.views.generic import FormView, TemplateView

from mutualis.core.locking import EditConflict
from mutualis.organisations.roles import Perm
from mutualis.procurements import rules
from mutualis.procurements.analysis import LotAnalysis, lot_analysis
from mutualis.procurements.models import Criterion, Lot, Offer, Project
from mutualis.procurements.services import (
    criterion_delete,
    criterion_save,
    lot_award,
    lot_declare_unsuccessful,
    lot_delete,
    lot_notify,
    lot_save,
    offer_delete,
    offer_negotiate,
    offer_save,
)
from mutualis.procurements.services.guards import NEGOTIATION, stage_problems

from ..edits import add_service_errors
from ..locking import CONFLICT_STATUS, add_version_field, show_conflict, take_version
from ..permissions import RequirePermMixin
from .lot_actions import earliest_signature
from .offer_forms import (
    AwardForm,
    CriterionForm,
    LotForm,
    NegotiationForm,
    NotifyForm,
    OfferForm,
    UnsuccessfulForm,
)

# ---------------------------------------------------------------------------------------------------
# Base pages


def projects_for(user):
    return Project.objects.for_user(user)


def lots_for(user):
    return Lot.objects.filter(project__in=projects_for(user)).select_related("project__stage")


def project_url(project: Project, anchor: str = "") -> str:
    return project.get_absolute_url() + (f"#{anchor}" if anchor else "")


class PartMixin(RequirePermMixin):
    """A page about one part of a project the user may see (404 otherwise), back to the project."""

    required_perm = Perm.MANAGE_PROJECTS

    def get_instance(self):
        raise NotImplementedError

    @cached_property
    def instance(self):
        return self.get_instance()

    @cached_property
    def project(self) -> Project:
        return self.instance.project

    def get_anchor(self) -> str:
        return ""

    def back_url(self) -> str:
        return project_url(self.project, self.get_anchor())


class PartFormView(PartMixin, FormView):
    template_name = "www/form.html"
    title = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self.form_class, "_meta", None) is not None:
            kwargs["instance"] = self.instance
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        add_version_field(form)
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.get_title(), cancel_url=self.back_url(), project=self.project, **kwargs
        )

    def get_title(self) -> str:
        return self.title

    def form_valid(self, form):
        take_version(form)
        try:
            message = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except EditConflict as conflict:
            show_conflict(form, conflict)
            return self.render_to_response(self.get_context_data(form=form), status=CONFLICT_STATUS)
        messages.success(self.request, message)
        return redirect(self.back_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def save(self, form) -> str:
        raise NotImplementedError


class PartDeleteView(PartMixin, TemplateView):
    """Confirmation page, then the service's delete; a refusal comes back as a message."""

    template_name = "www/procurements/lot_confirm_delete.html"
    question = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Supprimer {self.instance}",
            question=self.question,
            cancel_url=self.back_url(),
            object=self.instance,
            project=self.project,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        label = str(self.instance)
        try:
            self.delete()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{label} : supprimé.")
        return redirect(self.back_url())

    def delete(self) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------------
# Lots


def lot_anchor(lot: Lot) -> str:
    return f"lot-{lot.pk}" if lot.pk else "lots"


class LotCreateView(PartFormView):
    form_class = LotForm

    def get_anchor(self):
        return lot_anchor(self.instance)

    def get_instance(self):
        return Lot(project=get_object_or_404(projects_for(self.request.user), pk=self.kwargs["project"]))

    def get_title(self):
        return f"Ajouter un lot — {self.project}"

    def save(self, form):
        lot = lot_save(actor=self.request.user, lot=form.save(commit=False))
        return f"{lot} : enregistré."


class LotUpdateView(LotCreateView):
    def get_instance(self):
        return get_object_or_404(lots_for(self.request.user), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Modifier le {self.instance}"


class LotDeleteView(PartDeleteView):
    question = "Le lot et les offres saisies pour lui seront supprimés."

    def get_instance(self):
        return get_object_or_404(lots_for(self.request.user), pk=self.kwargs["pk"])

    def get_anchor(self):
        return "lots"

    def delete(self):
        lot_delete(actor=self.request.user, lot=self.instance)


# ---------------------------------------------------------------------------------------------------
# Criteria grid


def criteria_for(user):
    return Criterion.objects.filter(project__in=projects_for(user)).select_related("project__stage")


class CriterionCreateView(PartFormView):
    form_class = CriterionForm

    def get_anchor(self):
        return "criteres"

    def get_instance(self):
        project = get_object_or_404(projects_for(self.request.user), pk=self.kwargs["project"])
        return Criterion(project=project, position=project.criteria.count() + 1)

    def get_title(self):
        return f"Ajouter un critère d'attribution — {self.project}"

    def save(self, form):
        criterion = criterion_save(actor=self.request.user, criterion=form.save(commit=False))
        return f"Critère « {criterion.label} » enregistré."


class CriterionUpdateView(CriterionCreateView):
    def get_instance(self):
        return get_object_or_404(criteria_for(self.request.user), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Modifier le critère « {self.instance.label} »"


class CriterionDeleteView(PartDeleteView):
    question = "Les notes données sur ce critère seront supprimées."

    def get_anchor(self):
        return "criteres"

    def get_instance(self):
        return get_object_or_404(criteria_for(self.request.user), pk=self.kwargs["pk"])

    def delete(self):
        criterion_delete(actor=self.request.user, criterion=self.instance)


# ---------------------------------------------------------------------------------------------------
# Offers


def offers_for(user):
    return Offer.objects.filter(lot__project__in=Project.objects.offers_visible_to(user)).select_related(
        "lot__project__stage", "supplier"
    )


class OfferCreateView(PartFormView):
    form_class = OfferForm
    template_name = "www/procurements/offer_form.html"

    def get_instance(self):
        return Offer(lot=get_object_or_404(lots_for(self.request.user), pk=self.kwargs["lot"]))

    @cached_property
    def project(self):
        return self.instance.lot.project

    def get_anchor(self):
        return f"lot-{self.instance.lot_id}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "criteria": list(self.project.criteria.all())}

    def get_title(self):
        return f"Ajouter une offre — {self.instance.lot}"

    def save(self, form):
        offer = offer_save(actor=self.request.user, offer=form.save(commit=False), scores=form.scores())
        return f"Offre de {offer.supplier} enregistrée."


class OfferUpdateView(OfferCreateView):
    def get_instance(self):
        return get_object_or_404(offers_for(self.request.user), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Modifier l'offre de {self.instance.supplier} — {self.instance.lot}"


class OfferDeleteView(PartDeleteView):
    question = "Ses notes seront supprimées avec elle."

    def get_instance(self):
        return get_object_or_404(offers_for(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def project(self):
        return self.instance.lot.project

    def get_anchor(self):
        return f"lot-{self.instance.lot_id}"

    def delete(self):
        offer_delete(actor=self.request.user, offer=self.instance)


# ---------------------------------------------------------------------------------------------------
# Negotiation


class LotNegotiationView(PartFormView):
    """The prices obtained by a round of negotiation on a lot's regular offers, recorded in one go: every
    round of the form is saved, or none (the errors name the bidder and the field)."""

    form_class = NegotiationForm
    template_name = "www/procurements/negotiation_form.html"

    def get_instance(self):  # the form lists the offers: only for those who may see them
        lots = Lot.objects.filter(project__in=Project.objects.offers_visible_to(self.request.user))
        return get_object_or_404(lots.select_related("project__stage"), pk=self.kwargs["pk"])

    def get_anchor(self):
        return lot_anchor(self.instance)

    def get_title(self):
        return f"Négociation — {self.instance}"

    @cached_property
    def offers(self) -> list[Offer]:
        return list(
            self.instance.offers.filter(is_regular=True)
            .select_related("supplier")
            .prefetch_related("negotiation_rounds")
            .order_by("price", "pk")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "offers": self.offers}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lot=self.instance,
            problems=stage_problems(self.project, NEGOTIATION, "La négociation des offres"),
            **kwargs,
        )

    def form_valid(self, form):
        failed = conflicted = False
        with transaction.atomic():
            for offer, arguments in form.negotiated():
                try:
                    with transaction.atomic():  # a savepoint per offer: every error is reported
                        offer_negotiate(actor=self.request.user, offer=offer, **arguments)
                except ValidationError as error:
                    failed = True
                    self.add_offer_errors(form, offer, error)
                except EditConflict as conflict:
                    failed = conflicted = True
                    self.add_offer_conflict(form, offer, conflict)
            if failed:
                transaction.set_rollback(True)  # all or nothing: no round of this form is kept
        if failed:
            for offer in self.offers:  # shown as stored: the rounds of this form were undone
                offer.refresh_from_db(fields=["price", "version"])
            status = CONFLICT_STATUS if conflicted else 400
            return self.render_to_response(self.get_context_data(form=form), status=status)
        count = len(form.negotiated())
        messages.success(
            self.request,
            f"{count} tour{'s' if count > 1 else ''} de négociation enregistré{'s' if count > 1 else ''} "
            f"pour le {self.instance} ; le classement tient compte des nouveaux prix.",
        )
        return redirect(self.back_url())

    @staticmethod
    def add_offer_errors(form, offer: Offer, error: ValidationError) -> None:
        """The service names `new_price` or `held_on`: the error goes on that bidder's field."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:  # the stage or the lot: the same for every offer, shown once
                if message not in form.non_field_errors():
                    form.add_error(None, message)
            return
        for field, field_messages in error.message_dict.items():
            name = f"{field}_{offer.pk}"
            if name in form.fields:
                form.add_error(name, field_messages)
            else:
                form.add_error(None, [f"Offre de {offer.supplier.name} : {m}" for m in field_messages])

    @staticmethod
    def add_offer_conflict(form, offer: Offer, conflict: EditConflict) -> None:
        report = conflict.report()
        form.add_error(
            None,
            [f"Offre de {offer.supplier.name} : {report.message}", *report.change_lines, report.advice],
        )
        data = form.data.copy()
        data[form.add_prefix(f"version_{offer.pk}")] = report.version
        form.data = data


# ---------------------------------------------------------------------------------------------------
# Decisions on a lot


class LotDecisionView(PartFormView):
    def get_anchor(self):
        return lot_anchor(self.instance)

    def get_instance(self):
        return get_object_or_404(lots_for(self.request.user), pk=self.kwargs["pk"])


class LotAwardView(LotDecisionView):
    form_class = AwardForm
    template_name = "www/procurements/award_form.html"

    def get_instance(self):  # the form lists the ranked offers
        lots = Lot.objects.filter(project__in=Project.objects.offers_visible_to(self.request.user))
        return get_object_or_404(lots.select_related("project__stage"), pk=self.kwargs["pk"])

    @cached_property
    def analysis(self) -> LotAnalysis:
        return lot_analysis(self.instance)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "analysis": self.analysis}

    def get_title(self):
        return f"Attribuer le {self.instance}"

    def save(self, form):
        data = form.cleaned_data
        contract = lot_award(
            actor=self.request.user,
            lot=self.instance,
            offer=form.cleaned_offer(),
            awarded_on=data["awarded_on"],
            rejections_sent_on=data["rejections_sent_on"],
            rejections_sent_electronically=data["rejections_sent_electronically"],
            execution_place_code=data["execution_place_code"],
            execution_place_type=data["execution_place_type"],
        )
        return format_html(
            'Lot attribué ; le contrat est au registre : <a href="{}">{}</a>.',
            contract.get_absolute_url(),
            contract.reference,
        )


class LotUnsuccessfulView(LotDecisionView):
    form_class = UnsuccessfulForm

    def get_title(self):
        return f"Déclarer le {self.instance} infructueux ou sans suite"

    def save(self, form):
        lot = lot_declare_unsuccessful(
            actor=self.request.user, lot=self.instance, reason=form.cleaned_data["unsuccessful_reason"]
        )
        return f"{lot} : déclaré infructueux ou sans suite."


class LotNotifyView(LotDecisionView):
    form_class = NotifyForm
    template_name = "www/procurements/notify_form.html"

    def get_title(self):
        return f"Signature et notification du {self.instance}"

    def get_context_data(self, **kwargs):
        lot = self.instance
        regular = lot.offers.filter(is_regular=True).count()
        return super().get_context_data(
            lot=lot,
            earliest=earliest_signature(self.project, lot, regular),
            rules=rules.rules_for(self.project),
            **kwargs,
        )

    def save(self, form):
        contract = lot_notify(actor=self.request.user, lot=self.instance, **form.cleaned_data)
        return format_html(
            'Lot notifié ; le contrat <a href="{}">{}</a> est utilisable par les entités concernées.',
            contract.get_absolute_url(),
            contract.reference,
        )
