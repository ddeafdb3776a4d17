from django.core.management.base import BaseCommand, CommandError

from mutualis.opendata.decp_import.service import import_decp


class Command(BaseCommand):
    help = (
        "Importe des données essentielles (DECP) publiées : format 2019 (JSON) et 2022 (JSON, XML), "
        "marchés et concessions, reconnus automatiquement. Relancer un import ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fichiers DECP à importer")
        parser.add_argument(
            "--dry-run", action="store_true", help="Tout vérifier et compter, sans rien enregistrer"
        )
        parser.add_argument("--report", help="Écrire le rapport complet dans ce fichier JSON")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        result = import_decp(
            options["files"],
            dry_run=options["dry_run"],
            report_path=options["report"],
            batch_size=options["batch_size"],
        )
        counts = result.summary["counts"]
        prefix = "Simulation : " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{counts['read']} enregistrements lus : {counts['created']} créés, "
            f"{counts['updated']} mis à jour, {counts['unchanged']} inchangés, "
            f"{counts['rejected']} rejetés ; "
            f"{counts['repaired']} réparés, {counts['warned']} avec avertissement ; "
            f"{counts['registry']} au registre, {counts['external']} externes."
        )
        for entry in result.rejections:
            where = f"{entry['file']} n° {entry['record']}"
            self.stdout.write(f"  rejeté : {where} — {entry['field']} : {entry['reason']}")
        if counts["rejected"] > len(result.rejections):
            self.stdout.write(f"  … et {counts['rejected'] - len(result.rejections)} autres : voir --report.")
        for failed in result.unreadable_files:
            self.stderr.write(
                f"Fichier illisible, rien n'a été importé : {failed['file']} ({failed['error']})"
            )
        if result.unreadable_files:
            raise CommandError(f"{len(result.unreadable_files)} fichier(s) illisible(s).")
