from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mutualis.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers déposés (MEDIA_ROOT) dans un dossier neuf ou "
        "vide, avec un manifeste (moteur, date, version, migrations, sommes de contrôle) que la "
        "restauration vérifie."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Dossier de la sauvegarde (créé s'il n'existe pas).")

    def handle(self, *args, **options):
        try:
            manifest = backup(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Sauvegarde écrite dans {options['folder']} : base {manifest['engine']}, "
            f"{manifest['files']['count']} fichier(s)."
        )
