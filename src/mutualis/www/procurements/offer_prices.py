"""An offer's price schedule: seen by those who may see offers (business secrets), imported by the
team while offers may still change; awarding the lot hands it to the contract."""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from mutualis.core.french import of
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Offer, Project
from mutualis.procurements.resources import OfferPriceLineResource
from mutualis.procurements.services.lots import offer_price_lines_problems

from ..contracts.prices import REPLACE_NOTE, PriceScheduleMixin
from ..imports import ImportView
from ..permissions import RequirePermMixin

CONFIDENTIAL = "Les offres sont confidentielles : réservé à l'équipe et à la commission."


def offer_for(user, pk: int) -> Offer:
    """The offer of a project the user sees (else 404), refused (403) to who may not see its offers."""
    offer = get_object_or_404(
        Offer.objects.filter(lot__project__in=Project.objects.for_user(user)).select_related(
            "lot__project__stage", "supplier"
        ),
        pk=pk,
    )
    if not offer.lot.project.offers_visible_to(user):
        raise PermissionDenied(CONFIDENTIAL)
    return offer


def offer_label(offer: Offer) -> str:
    return f"offre {of(str(offer.supplier))} — {offer.lot}"


class OfferPriceScheduleView(PriceScheduleMixin, RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_PROJECTS
    resource_class = OfferPriceLineResource

    @cached_property
    def offer(self) -> Offer:
        return offer_for(self.request.user, self.kwargs["pk"])

    def owner(self):
        return self.offer

    def file_stem(self) -> str:
        return f"bpu_offre_{self.offer.lot.project.reference}_L{self.offer.lot.number}_{self.offer.pk}"

    def get_context_data(self, **kwargs):
        offer, project = self.offer, self.offer.lot.project
        can_import = not offer_price_lines_problems(self.request.user, offer)
        return super().get_context_data(
            title=f"Bordereau de prix — {offer_label(offer)}",
            caption=f"Bordereau de prix unitaires de l'{offer_label(offer)}",
            intro="Prix confidentiels. À l'attribution du lot, le bordereau de l'offre retenue devient "
            "celui du contrat.",
            back_url=f"{project.get_absolute_url()}#lot-{offer.lot_id}",
            back_label=f"Projet {project.reference}",
            import_url=self.request.path + "import/" if can_import else "",
            **kwargs,
        )


class OfferPriceScheduleImportView(ImportView):
    required_perm = Perm.MANAGE_PROJECTS
    resource_class = OfferPriceLineResource
    natural_key = "aucune : le fichier remplace le bordereau"

    @cached_property
    def offer(self) -> Offer:
        return offer_for(self.request.user, self.kwargs["pk"])

    @property
    def title(self) -> str:
        return f"Importer le bordereau de prix — {offer_label(self.offer)}"

    @property
    def file_stem(self) -> str:
        return f"bpu_offre_{self.offer.pk}"

    def import_params(self) -> dict:
        return {"offer": self.offer.pk}

    def get_resource(self):
        # Shown (columns, template) whatever the stage; an upload is refused first (form_valid), and the
        # background worker goes through for_import, which asks the same.
        return self.resource_class(owner=self.offer)

    def form_valid(self, form):
        problems = offer_price_lines_problems(self.request.user, self.offer)
        if problems:
            context = self.get_context_data(form=form, file_error=" ".join(problems))
            return self.render_to_response(context, status=400)
        return super().form_valid(form)

    def get_cancel_url(self) -> str:
        return self.request.path.removesuffix("import/")

    def template_queryset(self):
        return self.offer.price_lines.all()

    def get_context_data(self, **kwargs):
        problems = offer_price_lines_problems(self.request.user, self.offer)
        return super().get_context_data(replace_note=REPLACE_NOTE, notice=" ".join(problems), **kwargs)
