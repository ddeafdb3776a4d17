from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mutualis.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde faite par `mutualis backup` : remplace la base de données et les fichiers "
        "déposés. Refuse une base qui contient des comptes, sauf avec --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Dossier écrit par `mutualis backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Remplacer une base qui contient déjà des données."
        )

    def handle(self, *args, **options):
        try:
            restored = restore(options["folder"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        made = timezone.localtime(datetime.fromisoformat(manifest["created_at"]))
        self.stdout.write(
            f"Sauvegarde du {made:%d/%m/%Y à %H:%M} restaurée (version {manifest['mutualis_version']}, "
            f"{manifest['files']['count']} fichier(s))."
        )
        if restored.migrations_behind:
            self.stdout.write("Elle précède le code installé : lancez `mutualis migrate`.")
