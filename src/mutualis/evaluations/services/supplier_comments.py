"""The supplier's side of its evaluation: when the evaluation was sent to it, when its answer came back
and what it said, recorded by the purchasing team (one record per campaign and supplier, its history kept
by the model)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import SupplierComment
from ..qcd.supplier_report import supplier_evaluations


def _check(campaign, supplier, sent_on, received_on, comment) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not supplier_evaluations(campaign, supplier).exists():
        errors["supplier"] = [
            f"{supplier} n'est titulaire d'aucun contrat évalué dans la campagne « {campaign} »."
        ]
    if sent_on and sent_on > today:
        errors["sent_on"] = [f"La date d'envoi est dans le futur (aujourd'hui : {today:%d/%m/%Y})."]
    if received_on:
        if received_on > today:
            errors["received_on"] = [
                f"La date de réception est dans le futur (aujourd'hui : {today:%d/%m/%Y})."
            ]
        elif not sent_on:
            errors["received_on"] = ["Indiquez d'abord la date d'envoi de l'évaluation au fournisseur."]
        elif received_on < sent_on:
            errors["received_on"] = [f"La date de réception précède la date d'envoi ({sent_on:%d/%m/%Y})."]
    if comment and not received_on:
        errors["received_on"] = ["Indiquez la date de réception des observations du fournisseur."]
    return errors


@transaction.atomic
def supplier_comment_save(
    *, actor, campaign, supplier, sent_on=None, received_on=None, comment: str = ""
) -> SupplierComment:
    """Record (or correct) the sending of a supplier's evaluation and its observations; nothing is written
    when refused."""
    if not access_for(actor).has(Perm.MANAGE_EVALUATIONS):
        raise PermissionDenied
    comment = (comment or "").strip()
    errors = _check(campaign, supplier, sent_on, received_on, comment)
    if errors:
        raise ValidationError(errors)
    record = SupplierComment.objects.select_for_update().filter(
        campaign=campaign, supplier=supplier
    ).first() or SupplierComment(campaign=campaign, supplier=supplier)
    record.sent_on, record.received_on, record.comment = sent_on, received_on, comment
    record.recorded_by = actor
    record.save()
    return record
