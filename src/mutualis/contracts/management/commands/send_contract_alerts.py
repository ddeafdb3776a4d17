from datetime import date

from django.core.management.base import BaseCommand

from mutualis.contracts.alerts import send_contract_alerts


class Command(BaseCommand):
    help = (
        "Alertes du registre : contrats qui se terminent dans l'horizon du territoire et décisions de "
        "reconduction ou de relance en retard, données essentielles non publiées dans le délai, contrats "
        "consommés à 80 % et 100 % de leur maximum. "
        "À lancer une fois par jour (cron, minuteur systemd)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Date du calcul (AAAA-MM-JJ), pour rejouer un jour."
        )
        parser.add_argument(
            "--horizon-days", type=int, help="Horizon en jours (par défaut : paramètre du territoire)."
        )

    def handle(self, *args, **options):
        report = send_contract_alerts(today=options["today"], horizon_days=options["horizon_days"])
        self.stdout.write(
            f"{report.refreshed} contrats recalculés ; {report.ending} se terminent dans l'horizon ; "
            f"{report.overdue} décisions en retard ; {report.publication_late} publications en retard ; "
            f"{report.consumption} contrats consommés à 80 % ou plus ; "
            f"{report.notifications} notifications nouvelles."
        )
