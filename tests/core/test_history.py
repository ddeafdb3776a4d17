"""Every business model keeps its history (who changed what, deletions included); the exceptions are
named here with their reason, so a new model without history fails this test."""

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from simple_history.models import registered_models

from mutualis.contracts.models import ContractDocument
from mutualis.contracts.services import document_attach, document_delete
from mutualis.core.history import history_of
from mutualis.procurements.models import Criterion
from tests.contracts.factories import make_contract

WITHOUT_HISTORY = {
    # Reference lists loaded from official files by migrations; a new edition is a new load.
    "geo.Commune": "référentiel officiel (COG)",
    "catalogue.CpvCode": "référentiel officiel (CPV 2008)",
    # Append-only logs: each row is itself the history of its record and is never edited.
    "needs.NeedTransition": "journal des passages d'une ligne de besoin",
    "procurements.StageTransition": "journal des passages d'étape d'un projet",
    "procurements.LotTransition": "journal des décisions sur un lot",
    "procurements.NegotiationRound": "journal des tours de négociation d'une offre (écrit une fois)",
    "gains.GainTransition": "journal de validation d'un gain",
    "opendata.ImportRun": "journal d'un import DECP",
    "opendata.OpenDataExport": "fichier régénérable depuis le registre, lui-même historisé",
    # Personal data kept for one purpose only (RGPD): a desubscription must forget the address.
    "portal.AlertSubscription": "adresse e-mail d'une alerte du portail, effacée au désabonnement",
    "core.SpreadsheetImport": "journal d'un import de tableur en arrière-plan",
    "core.ExportJob": "fichier d'export régénérable depuis une liste, supprimé après quelques jours",
    "spend.SpendImport": "journal d'un import de dépenses",
    "suppliers.SupplierDataImport": "journal d'un import SIRENE ou d'une liste de l'inclusion",
    "steering.ImprovementTransition": "journal des passages d'une action d'amélioration",
    "evaluations.IncidentTransition": "journal du suivi d'un incident d'exécution",
    "evaluations.CampaignTransition": "journal d'une campagne d'évaluation",
    "clients.RequestTransition": "journal des passages d'une demande d'accompagnement",
    "clients.RequestMessage": "message entre le client et la cellule achats, écrit une fois",
    "clients.SatisfactionAnswer": "note d'un questionnaire de satisfaction, écrite une fois avec lui",
    "events.EventTransition": "journal des passages d'une matinale",
    "events.EventAnswer": "note d'un questionnaire de matinale, écrite une fois avec lui",
    "evaluations.CampaignCriterion": "copie de la grille figée au lancement d'une campagne, jamais modifiée",
    "steering.GovernanceReport": "fichier régénérable depuis les données, elles-mêmes historisées",
    # Sums recomputed from the spend lines after every write: never edited, nothing of their own.
    "spend.SpendFamilyCell": "somme recalculée des lignes de dépense",
    "spend.SpendSupplierCell": "somme recalculée des lignes de dépense",
    "steering.ContractCell": "somme recalculée des contrats du registre",
    "steering.HolderCell": "somme recalculée des contrats du registre",
    "steering.CubeBuild": "date du dernier calcul complet des sommes",
    "opendata.BenchmarkCpvCell": "somme recalculée des marchés publiés",
    "opendata.BenchmarkBuyerCell": "somme recalculée des marchés publiés",
    "opendata.BenchmarkHolderCell": "somme recalculée des marchés publiés",
    "opendata.BenchmarkAmountCell": "somme recalculée des marchés publiés",
    "opendata.BenchmarkSummaryBuild": "date du dernier calcul complet des sommes du parangonnage",
    "core.WorkerHeartbeat": "signal de vie d'un travailleur, réécrit toutes les quelques secondes",
    # Messages to a person, and public data of buyers outside the territory (their import run is their trace).
    "notifications.Notification": "message à une personne",
    "opendata.ExternalContract": "données publiées par d'autres acheteurs",
    "opendata.ExternalHolder": "données publiées par d'autres acheteurs",
}


def test_every_business_model_has_its_history():
    with_history = set(registered_models.values())
    models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("mutualis.") and not m.__name__.startswith("Historical")
    ]
    assert len(models) > 20
    missing = [
        m._meta.label for m in models if m not in with_history and m._meta.label not in WITHOUT_HISTORY
    ]
    assert missing == []
    assert not WITHOUT_HISTORY.keys() & {m._meta.label for m in with_history}  # no stale exception


def test_a_deleted_document_and_a_changed_criterion_leave_a_trace(
    db, support, team, project, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    buyer, _ = team
    criterion = Criterion.objects.create(project=project, label="Prix", kind="price", weight=60, position=0)
    criterion.weight = 50
    criterion.save()
    assert [h.weight for h in criterion.history.order_by("history_date")] == [60, 50]
    contract = make_contract(buyer=support)
    upload = SimpleUploadedFile("ccap.pdf", b"%PDF-1.4", content_type="application/pdf")
    document = document_attach(actor=buyer, contract=contract, kind="ccap", title="CCAP", file=upload)
    document_id = document.pk  # delete() forgets it
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(actor=buyer, document=document)
    assert not ContractDocument.objects.exists()
    trace = ContractDocument.history.filter(id=document_id).order_by("history_date")
    assert [(h.history_type, h.title) for h in trace] == [("+", "CCAP"), ("-", "CCAP")]


def test_a_foreign_key_set_for_the_first_time_reads_from_empty(db, support, team):
    """An empty foreign key is shown empty in the history, not as a « deleted » person."""
    _, legal = team
    contract = make_contract(buyer=support)
    contract.manager = legal
    contract.save()
    change = next(c for c in history_of(contract)[0].changes if c.field == "Acheteur en charge")
    assert change.old == "" and change.new == str(legal)
