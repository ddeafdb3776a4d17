"""`mutualis purge_exports`: the daily removal of background exports older than MUTUALIS_EXPORT_KEEP_DAYS."""

from django.core.management.base import BaseCommand

from mutualis.core.export_jobs import exports_purge


class Command(BaseCommand):
    help = "Supprime les exports en arrière-plan (et leurs fichiers) terminés depuis plus de quelques jours."

    def handle(self, *args, **options):
        count = exports_purge()
        self.stdout.write(f"{count} export(s) supprimé(s).")
