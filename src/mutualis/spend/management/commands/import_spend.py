from django.core.management.base import BaseCommand, CommandError

from mutualis.organisations.models import Entity
from mutualis.spend.importer import spend_import
from mutualis.spend.summary import summary_of


class Command(BaseCommand):
    help = (
        "Importe les mandats d'une entité (export de son logiciel financier, CSV ou XLSX, une ligne par "
        "mandat) et les rattache aux contrats du registre. Réimporter un fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fichiers de mandats à importer")
        parser.add_argument("--entity", required=True, help="SIRET de l'entité qui a payé ces mandats")
        parser.add_argument(
            "--dry-run", action="store_true", help="Tout vérifier et compter, sans rien enregistrer"
        )
        parser.add_argument(
            "--report", help="Écrire le rapport complet (toutes les lignes) dans ce fichier CSV"
        )

    def handle(self, *args, **options):
        siret = options["entity"].replace(" ", "")
        entity = Entity.objects.filter(siret=siret).first()
        if entity is None:
            raise CommandError(f"Aucune entité de SIRET {siret}.")
        result = spend_import(
            entity, options["files"], dry_run=options["dry_run"], report_path=options["report"]
        )
        self.stdout.write(summary_of(result.counts, dry_run=options["dry_run"]))
        shown = [e for e in result.run.report if e["kind"] != "refusé"][:20]
        for entry in shown:
            where = f"{entry['file']} ligne {entry['line']}"
            self.stdout.write(f"  {entry['kind']} : {where} — {entry['field']} : {entry['reason']}")
        if result.counts["report_total"] > len(shown):
            self.stdout.write(
                f"  … {result.counts['report_total']} lignes au rapport en tout : voir --report."
            )
        for name, reason in result.refused:
            self.stderr.write(f"Fichier refusé, rien n'en a été importé : {name} ({reason})")
        if result.refused:
            raise CommandError(f"{len(result.refused)} fichier(s) refusé(s).")
