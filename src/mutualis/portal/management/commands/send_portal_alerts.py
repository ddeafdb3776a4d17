from django.core.management.base import BaseCommand

from mutualis.portal.alerts import send_portal_alerts


class Command(BaseCommand):
    help = (
        "Alertes du portail public : envoie à chaque abonné confirmé les achats prévus publiés depuis sa "
        "dernière alerte dans sa famille ou son entité, et efface les demandes non confirmées depuis "
        "7 jours. À lancer une fois par jour (cron, minuteur systemd)."
    )

    def handle(self, *args, **options):
        report = send_portal_alerts()
        self.stdout.write(
            f"{report.emails} alertes envoyées ({report.projects} achats signalés) ; "
            f"{report.purged} demandes non confirmées effacées."
        )
