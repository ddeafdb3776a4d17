"""Writes the territory's essential contract data (DECP 2.0.3 JSON) for data.gouv.fr."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mutualis.opendata.exports import write_atomically
from mutualis.opendata.exports.decp import export_decp
from mutualis.opendata.services import decp_export_published


class Command(BaseCommand):
    help = (
        "Données essentielles (DECP 2.0.3, JSON) des contrats du territoire à publier : validées contre le "
        "schéma officiel avant écriture ; les contrats écartés sont listés avec leur motif."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Fichier JSON à écrire.")
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            help="Seulement les contrats notifiés, ou modifiés par un avenant notifié, depuis cette date "
            "(AAAA-MM-JJ).",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        result = export_decp(since=options["since"], today=today)
        for item in result.left_out:
            self.stdout.write(f"Écarté : {item.reference} ({item.buyer}) — {item.reason}")
        if result.outside_window:
            self.stdout.write(f"{result.outside_window} contrat(s) hors période (--since), non examiné(s).")
        if not result.is_valid:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Document DECP non conforme au schéma officiel ({len(result.errors)} erreur(s)) : "
                f"{options['out']} n'a pas été écrit."
            )
        write_atomically(options["out"], result.to_json())
        # The file is what gets published: its contracts keep today as their first publication date.
        decp_export_published(actor=None, export=result, on=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.exported)} contrat(s) exporté(s) dans {options['out']} ; "
                f"{len(result.left_out)} écarté(s)."
            )
        )
