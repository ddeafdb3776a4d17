from datetime import date

from django.core.management.base import BaseCommand

from mutualis.evaluations.services.campaigns import send_evaluation_reminders


class Command(BaseCommand):
    help = (
        "Relances des évaluations fournisseurs (qualité, coût, délai) : les référents qui n'ont pas répondu "
        "sont prévenus sept jours et un jour avant la date de réponse, puis le lendemain de cette date. "
        "À lancer une fois par jour (cron, minuteur systemd) ; relancé le même jour, il n'envoie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Date du calcul (AAAA-MM-JJ), pour rejouer un jour."
        )

    def handle(self, *args, **options):
        campaigns, referents = send_evaluation_reminders(today=options["today"])
        self.stdout.write(
            f"{campaigns} campagne(s) d'évaluation concernée(s) ; {referents} référent(s) relancé(s)."
        )
