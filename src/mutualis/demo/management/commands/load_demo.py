from django.core.management.base import BaseCommand

from mutualis.demo.services import DEMO_PASSWORD, TERRITORIES, demo_users, load_demo


class Command(BaseCommand):
    help = (
        "Charge (ou remet à l'état initial) un territoire de démonstration. Peut être relancée sans risque. "
        "Chaque territoire se charge dans sa propre base de données."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--territoire",
            choices=list(TERRITORIES),
            default="ght",
            help="ght : groupement hospitalier de territoire (par défaut) ; "
            "agglomeration : une agglomération et ses communes, qui achètent chacune pour leur compte.",
        )

    def _report(self, label: str, seconds: float) -> None:
        # Printed as each step ends, so a long load shows where it is.
        self.stdout.write(f"{label}… {seconds:.1f} s".replace(".", ",", 1))
        self.stdout.flush()

    def handle(self, *args, **options):
        territory = options["territoire"]
        summary = load_demo(report=self._report, territory=territory)
        self.stdout.write(
            self.style.SUCCESS(
                f"Territoire de démonstration prêt ({TERRITORIES[territory]}) : {summary.entities} entités, "
                f"{summary.users} utilisateurs, "
                f"{summary.families} familles d'achat, {summary.suppliers} fournisseurs, "
                f"{summary.groups} groupements de commandes, {summary.contracts} contrats, "
                f"{summary.projects} projets d'achat, {summary.gains} gains achats, "
                f"{summary.plan_actions} actions au plan d'actions, "
                f"{summary.spend_lines} mandats importés, {summary.objectives} objectifs de pilotage, "
                f"{summary.evaluation_campaigns} campagnes d'évaluation des fournisseurs, "
                f"{summary.service_requests} demandes d'accompagnement, "
                f"{summary.library_documents} documents dans la bibliothèque des clients, "
                f"{summary.benchmark} contrats publiés pour le parangonnage, "
                f"{summary.notifications} notifications envoyées "
                "(dans l'application)."
            )
        )
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for username, first, last, role, _siret, job in demo_users(territory):
            self.stdout.write(f"  {username:<14} {role.label} — {first} {last}, {job}")
