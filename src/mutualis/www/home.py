"""The home page's sections, chosen by the roles the person holds: each section once, whatever the
number of roles that call for it."""

from dataclasses import dataclass, field

from django.utils import timezone

from mutualis.events.today import my_matinales
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role
from mutualis.organisations.vocabulary import current_words
from mutualis.steering import today as reads
from mutualis.steering import today_requests
from mutualis.steering.today import Item, Records, link

TEAM = frozenset({Role.BUYER, Role.LEGAL_OFFICER})
CLIENTS = frozenset({Role.PRESCRIBER, Role.REFERENT, Role.FAMILY_CORRESPONDENT})


@dataclass(frozen=True)
class Section:
    key: str  # the id of its heading
    title: str
    items: list[Item] = field(default_factory=list)
    records: Records | None = None
    empty: str = "Rien ne vous attend ici aujourd'hui."
    more_url: str = ""
    more_label: str = ""


def sections_for(user) -> list[Section]:
    roles = access_for(user).roles
    today = timezone.localdate()
    sections = []
    if roles & TEAM:
        sections += [
            Section("taches", "Mes tâches", reads.project_tasks(user, today)),
            Section("contrats", "Contrats à surveiller", reads.contracts_to_watch(user, today)),
            Section(
                "demandes-clients", "Demandes des clients internes", today_requests.service_queue(user, today)
            ),
        ]
    if Role.BUYER in roles:
        sections.append(Section("gains-a-declarer", "Gains à déclarer", reads.gains_to_declare(user)))
    if Role.REFERENT in roles:
        yours = current_words().your_one
        sections += [
            Section(
                "besoins-etablissement",
                f"Besoins de {yours}",
                reads.entity_needs(user),
                empty=f"Aucun besoin n'attend {yours} dans les campagnes ouvertes.",
            ),
            Section("nouveaux-contrats", "Nouveaux contrats", [reads.new_contracts(user, today)]),
            Section(
                "evaluations",
                "Évaluations fournisseurs à remplir",
                reads.evaluations_to_answer(user),
                empty="Aucune évaluation qualité, coût, délai n'attend vos entités.",
            ),
            Section(
                "consommation",
                "Alertes de consommation des contrats",
                records=reads.consumption_alerts(user),
                empty="Aucune alerte de consommation non lue.",
            ),
        ]
    if Role.PRESCRIBER in roles:
        sections.append(
            Section(
                "mes-besoins",
                "Les besoins que vous avez saisis",
                reads.my_need_lines(user),
                empty="Vous n'avez saisi aucun besoin.",
                more_url=link("needs:line_list", mine="true"),
                more_label="Tous les besoins que vous avez saisis",
            )
        )
    if roles & CLIENTS:
        sections.append(
            Section(
                "mes-demandes",
                "Vos demandes d'accompagnement à la cellule achats",
                records=today_requests.my_service_requests(user),
                empty="Vous n'avez fait aucune demande d'accompagnement.",
                more_url=link("clients:module_list"),
                more_label="L'offre de service de la cellule achats",
            )
        )
    matinales = my_matinales(user)
    if matinales.rows:  # only for the people invited or registered to a coming one
        sections.append(Section("matinales", "Matinales : vous êtes invité", records=matinales))
    if Role.CONTROLLER in roles:
        sections += [
            Section("gains-a-valider", "Gains à valider", [reads.gains_to_validate(user)]),
            Section(
                "imports-en-echec",
                f"Imports de mandats en échec depuis {reads.RECENT_WINDOW} jours",
                records=reads.failed_spend_imports(user),
                empty="Aucun import de mandats en échec.",
            ),
        ]
    return sections
