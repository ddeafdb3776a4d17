from datetime import date

from django.core.management.base import BaseCommand

from mutualis.events.services.invitations import send_due_invitations


class Command(BaseCommand):
    help = (
        "Invitations aux matinales : pour chaque matinale programmée dont la date d'envoi est arrivée "
        "(par défaut quinze jours avant), les invités sont prévenus dans l'application et par courriel. "
        "À lancer une fois par jour (cron, minuteur systemd) ; relancé, il n'envoie rien de plus."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Date du calcul (AAAA-MM-JJ), pour rejouer un jour."
        )

    def handle(self, *args, **options):
        sent, problems = send_due_invitations(today=options["today"])
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(f"{sent} matinale(s) : invitations envoyées.")
