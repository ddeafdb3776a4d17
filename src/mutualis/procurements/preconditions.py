"""The preconditions of leaving a stage. Each takes a project and returns its problems, in French,
naming the lot or field to fix; an empty list means the stage may be validated."""

from decimal import Decimal

from django.db.models import Sum

from mutualis.contracts.enums import Procedure
from mutualis.core.formats import weight
from mutualis.legal.vocabulary import ProcedureKind

from . import rules
from .analysis import project_analysis
from .models import CriterionKind, LotStatus

HUNDRED = Decimal(100)


def competition(project) -> bool:
    return project.procedure_value != Procedure.NO_COMPETITION


def scope_defined(project) -> list[str]:
    problems = []
    if not project.purchasing_group_id and not project.entities.exists():
        problems.append("Indiquez les entités concernées ou le groupement de commandes.")
    if not project.buyer_entity_id and not project.purchasing_group_id:
        problems.append("Indiquez l'entité acheteuse.")
    if not project.estimated_value or project.estimated_value <= 0:
        problems.append("Indiquez la valeur estimée du besoin.")
    return problems


def lots_defined(project) -> list[str]:
    return (
        []
        if project.lots.exists()
        else ["Déclarez au moins un lot (un lot unique si le marché n'est pas alloti)."]
    )


def people_assigned(project) -> list[str]:
    problems = []
    if not project.buyer_id:
        problems.append("Désignez l'acheteur en charge.")
    if not project.legal_officer_id:
        problems.append("Désignez le juriste en charge.")
    return problems


def procedure_retained(project) -> list[str]:
    problems = []
    if not project.contract_procedure:
        problems.append("Choisissez la procédure retenue.")
    elif rules.needs_reason(project.procedure, project.contract_procedure) and not (
        project.procedure_override_reason.strip() or project.is_emergency
    ):
        problems.append(
            "La procédure retenue est moins exigeante que la procédure calculée "
            f"({ProcedureKind(project.procedure).label}) : écrivez le motif de ce choix."
        )
    if project.is_emergency and project.contract_procedure != Procedure.NO_COMPETITION:
        problems.append("L'urgence impérieuse se traite sans publicité ni mise en concurrence (R2122-1).")
    return problems


def criteria_grid_complete(project) -> list[str]:
    if not competition(project):
        return []
    total = project.criteria.aggregate(total=Sum("weight"))["total"]
    if total is None:
        return ["Déclarez les critères d'attribution et leur pondération."]
    if total != HUNDRED:
        return [f"Les pondérations des critères totalisent {weight(total)} % au lieu de 100 %."]
    return []


def responsible_obligations(project) -> list[str]:
    """Loi Climat et résilience, for consultations launched from the date it applies (DOMAIN.md §6.1)."""
    due = rules.obligations_for(
        launch_date=rules.launch_date(project),
        above_eu=project.procedure == ProcedureKind.FORMALISED,
        competition=competition(project),
    )
    problems = []
    kinds = set(project.criteria.values_list("kind", flat=True))
    if due.environmental_award_criterion and CriterionKind.ENVIRONMENTAL not in kinds:
        problems.append(
            f"Au moins un critère d'attribution environnemental est obligatoire (L2152-7 ; {due.reference})."
        )
    if due.environmental_condition and not project.environmental_condition:
        problems.append(
            f"Une condition d'exécution environnementale est obligatoire (L2112-2 ; {due.reference})."
        )
    if due.social_condition and not project.social_condition and not project.social_exception.strip():
        problems.append(
            "Au-dessus des seuils européens, une condition d'exécution sociale est obligatoire "
            f"(L2112-2-1 ; {due.reference}), sauf exception à motiver."
        )
    return problems


def publication_dates(project) -> list[str]:
    problems = []
    if not project.published_on:
        problems.append("Indiquez la date d'envoi de l'avis.")
    if not project.tender_deadline:
        problems.append("Indiquez la date limite de remise des offres.")
    return problems


def tender_time_limit(project) -> list[str]:
    if not (project.published_on and project.tender_deadline):
        return []
    reduction = project.time_limit_reduction
    earliest = rules.earliest_deadline(project.procedure_value, project.published_on, reduction)
    if earliest and project.tender_deadline < earliest:
        days = rules.minimum_time_limit_days(project.procedure_value, reduction, day=project.published_on)
        return [
            f"La date limite ({project.tender_deadline:%d/%m/%Y}) est trop proche : {days} jours au moins "
            f"après l'envoi de l'avis pour cette procédure, reportés au jour ouvré suivant s'ils tombent un "
            f"samedi, un dimanche ou un jour férié, soit le {earliest:%d/%m/%Y} au plus tôt."
        ]
    if project.tender_deadline <= project.published_on:
        return ["La date limite doit suivre la date d'envoi de l'avis."]
    return []


def offers_received_and_scored(project) -> list[str]:
    problems = []
    criteria, analyses = project_analysis(project)
    for analysis in analyses:
        lot = analysis.lot
        if lot.status == LotStatus.UNSUCCESSFUL:
            continue
        regular = [r for r in analysis.offers if r.offer.is_regular]
        if not regular:
            problems.append(
                f"{lot} : aucune offre régulière ; saisissez les offres ou déclarez le lot infructueux."
            )
        elif criteria and any(not r.is_scored for r in regular):
            names = ", ".join(str(r.offer.supplier) for r in regular if not r.is_scored)
            problems.append(f"{lot} : notes manquantes pour {names}.")
    return problems


def lots_decided(project) -> list[str]:
    lots = list(project.lots.all())
    problems = [
        f"{lot} : attribuez-le ou déclarez-le infructueux." for lot in lots if lot.status == LotStatus.OPEN
    ]
    if lots and not problems and not any(lot.status == LotStatus.AWARDED for lot in lots):
        problems.append("Aucun lot n'est attribué : déclarez le projet sans suite.")
    return problems


def lots_signed_and_notified(project) -> list[str]:
    return [
        f"{lot} : saisissez la signature et la notification."
        for lot in project.lots.filter(status=LotStatus.AWARDED)
        if not (lot.signed_on and lot.notified_on)
    ]
