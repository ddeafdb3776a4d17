"""Writes of the spend app started by people: an import queued for the worker, a buyer's correction of a
link, the reclassification of what is off contract after the mapping changed."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.contracts.models import Contract
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm

from .cube import spend_cube_refresh
from .matching import AccountMapping
from .models import MatchMethod, SpendImport, SpendImportStatus, SpendLine, nomenclature_of
from .permissions import may_import_for
from .tasks import run_spend_import, upload_dir


@transaction.atomic
def spend_import_start(*, actor, entity, files, dry_run: bool = False) -> SpendImport:
    """Store the uploaded files privately for a new run and queue it for the background worker."""
    if not may_import_for(actor, entity.pk):
        raise PermissionDenied
    run = SpendImport.objects.create(
        entity=entity, status=SpendImportStatus.QUEUED, dry_run=dry_run, user=actor
    )
    folder = upload_dir(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for upload in files:
        # A browser may send a path; only the file name is kept, inside the run's folder.
        path = folder / upload.name.replace("/", "_").replace("\\", "_")
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        paths.append(str(path))
    run.files = paths
    run.save(update_fields=["files"])
    transaction.on_commit(lambda: run_spend_import.enqueue(run.pk))
    return run


def _check(actor) -> None:
    if actor is not None and not access_for(actor).has(Perm.MANAGE_SPEND):
        raise PermissionDenied


@transaction.atomic
def spend_line_relink(line: SpendLine, *, contract: Contract | None = None, family=None, user) -> SpendLine:
    """Set or remove the contract of a line, or set the family of an off-contract line.

    A contract must be one the line's entity may use. The family is the contract's (else the one given,
    else the account's); without a contract, the one given, else the account's. The line is then marked
    as corrected by hand, so that no reclassification overwrites it, and saved with its history.
    """
    _check(user)
    if contract is not None:
        usable = Contract.objects.usable_by_entities([line.entity_id]).filter(pk=contract.pk).exists()
        if not usable:
            raise ValidationError(
                {
                    "contract": f"Le contrat {contract.reference} n'est pas utilisable par {line.entity} : "
                    "ni passé par cette entité, ni mis à sa disposition. Choisissez un autre contrat ou "
                    "laissez la ligne hors marché."
                }
            )
        family = contract.family or family
    if family is None:
        family_id = AccountMapping(nomenclature_of(line.entity)).family_for(line.account)
    else:
        family_id = family.pk
    line.contract = contract
    line.family_id = family_id
    line.match_method = MatchMethod.MANUAL
    line.not_entitled = False  # only a usable contract is accepted above
    line._history_user = user  # outside a request, simple-history would not know who
    line.save()
    spend_cube_refresh([line.entity_id], [line.fiscal_year])
    return line


@transaction.atomic
def spend_reclassify_off_contract(*, actor=None) -> int:
    """Apply the current mapping again to the off-contract lines that no buyer corrected; returns how
    many lines changed family. Bulk updates, like the import that classified them first: the mapping's
    own history says what changed."""
    _check(actor)
    lines = SpendLine.objects.filter(contract__isnull=True, match_method=MatchMethod.OFF_CONTRACT)
    entity_ids = lines.values_list("entity_id", flat=True).distinct()
    by_nomenclature: dict[str, list[int]] = defaultdict(list)
    for entity in Entity.objects.filter(pk__in=entity_ids):
        by_nomenclature[nomenclature_of(entity)].append(entity.pk)
    changed = 0
    for nomenclature, entities in by_nomenclature.items():
        mapping = AccountMapping(nomenclature)
        scope = lines.filter(entity_id__in=entities)
        accounts_of: dict[int | None, list[str]] = defaultdict(list)
        for account in scope.values_list("account", flat=True).distinct().order_by():
            accounts_of[mapping.family_for(account)].append(account)
        for family_id, accounts in accounts_of.items():
            changed += (
                scope.filter(account__in=accounts).exclude(family_id=family_id).update(family_id=family_id)
                if family_id is not None
                else scope.filter(account__in=accounts, family__isnull=False).update(family_id=None)
            )
    spend_cube_refresh([entity for entities in by_nomenclature.values() for entity in entities])
    return changed
