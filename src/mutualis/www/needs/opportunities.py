"""Splitting risks and pooling opportunities, from the registry and from a campaign's needs: the page, its
exports, the way on to a project built from a campaign's needs and to a groupement de commandes."""

import tablib
from django.views.generic import TemplateView

from mutualis.needs.models import Campaign, NeedLine
from mutualis.needs.opportunities import pooling_opportunities, splitting_alerts
from mutualis.needs.pooling import needs_pooling
from mutualis.organisations.roles import Perm
from mutualis.organisations.vocabulary import current_words
from mutualis.procurements.models import Project

from ..exports import FORMATS, dataset_response
from ..permissions import RequirePermMixin

TABLES = {
    "fractionnement": "Risques de fractionnement",
    "mutualisation": "Occasions de mutualisation",
    "besoins": "Besoins que plusieurs acheteurs pourraient grouper",
}


def _splitting_dataset(alerts) -> tablib.Dataset:
    headers = [
        "Famille (code)",
        "Famille",
        "Année",
        "Achats",
        "Plus gros (€ HT)",
        "Total (€ HT)",
        "Seuil franchi",
        "Seuil (€ HT)",
        "Acheteur",
        "SIRET de l'acheteur",
    ]
    rows = [
        (
            a.family.code,
            a.family.label,
            a.year,
            a.purchases,
            a.largest,
            a.total,
            a.threshold_name,
            a.threshold,
            str(a.buyer or ""),
            getattr(a.buyer, "siret", ""),
        )
        for a in alerts
    ]
    return tablib.Dataset(*rows, headers=headers)


def _pooling_dataset(pooling) -> tablib.Dataset:
    headers = [
        "Famille (code)",
        "Famille",
        current_words().many_cap,
        "Contrats",
        "Fournisseurs",
        "Montant cumulé (€ HT)",
        "Première fin de contrat",
        "Dernière fin de contrat",
        "Acheteurs indépendants",
        "Groupement de commandes nécessaire",
        "Procédure pour le montant cumulé",
        "Publicité",
        "Seuils (version)",
    ]
    rows = [
        (
            p.family.code,
            p.family.label,
            p.entities,
            p.contracts,
            p.suppliers,
            p.combined_amount,
            p.first_end,
            p.align_by,
            p.buyers,
            "Oui" if p.needs_groupement else "Non",
            p.estimate.procedure if p.estimate else "",
            p.estimate.publicity if p.estimate else "",
            p.estimate.thresholds["version"] if p.estimate else "",
        )
        for p in pooling
    ]
    return tablib.Dataset(*rows, headers=headers)


def _needs_pooling_dataset(pooling) -> tablib.Dataset:
    """One row per buyer of each family, with the family's combined figures repeated: a flat table."""
    headers = [
        "Famille (code)",
        "Famille",
        "Acheteur",
        "SIRET de l'acheteur",
        f"{current_words().many_cap} de l'acheteur",
        "Valeur estimée de l'acheteur (€ HT)",
        "Procédure de l'acheteur seul",
        "Fin des contrats remplacés de l'acheteur",
        "Acheteurs",
        "Valeur cumulée (€ HT)",
        "Procédure d'un groupement",
        "Publicité d'un groupement",
        "Fin des contrats à aligner",
        "Groupement existant",
        "Seuils (version)",
    ]
    rows = [
        (
            p.family.code,
            p.family.label,
            str(share.buyer),
            share.buyer.siret,
            share.entities,
            share.estimated_value,
            share.estimate.procedure_label,
            share.align_by or "",
            len(p.shares),
            p.combined_value,
            p.estimate.procedure_label if p.estimate else "",
            p.estimate.publicity_label if p.estimate else "",
            p.align_by or "",
            ", ".join(str(group) for group in p.groups),
            p.estimate.thresholds["version"] if p.estimate else "",
        )
        for p in pooling
        for share in p.shares
    ]
    return tablib.Dataset(*rows, headers=headers)


def chosen_campaign(value) -> Campaign | None:
    """The campaign `?campagne=<pk>` names, else the latest open one, else the latest one."""
    campaigns = Campaign.objects.order_by("-year", "-launch_date", "-pk")
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        chosen = campaigns.filter(pk=int(value)).first()
        if chosen is not None:
            return chosen
    return campaigns.open().first() or campaigns.first()


def campaigns_ready(families) -> dict:
    """Per family, the latest campaign whose counted needs of that family have no project yet."""
    taken = set(Project.objects.filter(family__in=families).values_list("source_campaign", "family"))
    ready = {}
    lines = (
        NeedLine.objects.counted()
        .filter(family__in=families)
        .order_by("family", "-campaign__year", "-campaign")
    )
    for family, campaign in lines.values_list("family", "campaign").distinct():
        if family not in ready and (campaign, family) not in taken:
            ready[family] = campaign
    return ready


class OpportunitiesView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_NEEDS
    template_name = "www/needs/opportunities.html"
    extra_context = {"page_title": "Fractionnement et mutualisation"}

    def get(self, request, *args, **kwargs):
        file_format, table = request.GET.get("export"), request.GET.get("table")
        if file_format in FORMATS and table in TABLES:
            if table == "fractionnement":
                dataset = _splitting_dataset(splitting_alerts())
            elif table == "besoins":
                campaign = chosen_campaign(request.GET.get("campagne"))
                dataset = _needs_pooling_dataset(needs_pooling(campaign) if campaign else [])
            else:
                dataset = _pooling_dataset(pooling_opportunities())
            return dataset_response(dataset, file_stem=table, file_format=file_format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        alerts, pooling = splitting_alerts(), pooling_opportunities()
        campaign = chosen_campaign(self.request.GET.get("campagne"))
        can_create = self.access.has(Perm.MANAGE_CAMPAIGNS)  # what project_from_needs requires
        families = {a.family.pk for a in alerts} | {p.family.pk for p in pooling}
        return super().get_context_data(
            alerts=alerts,
            pooling=pooling,
            campaign=campaign,
            campaigns=Campaign.objects.order_by("-year", "-launch_date", "-pk"),
            needs=needs_pooling(campaign) if campaign else [],
            can_create_group=self.access.has(Perm.MANAGE_GROUPS),  # what group_create requires
            can_create_project=can_create,
            ready=campaigns_ready(families) if can_create else {},
            **kwargs,
        )
