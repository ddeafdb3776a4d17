"""Writes the territory's notified contracts as an OCDS 1.1.5 release package."""

from django.core.management.base import BaseCommand, CommandError

from mutualis.opendata.exports import write_atomically
from mutualis.opendata.exports.ocds import export_ocds, prefix_error


class Command(BaseCommand):
    help = (
        "Paquet de publications OCDS 1.1.5 (JSON) des contrats notifiés du territoire : une publication par "
        "contrat et une par avenant, validé contre le schéma officiel avant écriture."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Fichier JSON à écrire.")

    def handle(self, *args, **options):
        refusal = prefix_error()
        if refusal:
            raise CommandError(f"{refusal.message} {options['out']} n'a pas été écrit.")
        result = export_ocds()
        for item in result.left_out:
            self.stdout.write(f"Écarté : {item.reference} ({item.buyer}) — {item.reason}")
        if not result.is_valid:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Paquet OCDS non conforme au schéma officiel ({len(result.errors)} erreur(s)) : "
                f"{options['out']} n'a pas été écrit."
            )
        write_atomically(options["out"], result.to_json())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.contracts)} contrat(s), {result.release_count} publication(s) dans "
                f"{options['out']}."
            )
        )
