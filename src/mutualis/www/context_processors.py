"""Values every page needs: the territory's identity and words, the user's access and their menu."""

from dataclasses import dataclass

from django.urls import reverse

from mutualis.notifications.models import Notification
from mutualis.organisations.access import Access, access_for
from mutualis.organisations.roles import Perm, Role
from mutualis.organisations.vocabulary import current_territory, current_words

_TEAM = frozenset({Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER})
_ENTITY = frozenset({Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER})
# The service offer's results, read by those who steer (its own entry, next to « Accompagnement »).
SATISFACTION_PAGES = frozenset({"satisfaction", "question_list"})


@dataclass(frozen=True)
class MenuItem:
    """One link of the main menu: shown to the roles that use it (and who hold `perm`, when set).

    `current` tells whether a page (namespace, url name) belongs to this entry. The menu only
    declutters: every page keeps its own permission check, and is reachable by its address.
    """

    label: str
    url_name: str
    roles: frozenset[Role] | None  # None: everyone signed in
    current: object  # callable(namespace, url_name) -> bool
    perm: Perm | None = None


MENU = (
    MenuItem("Accueil", "www:home", None, lambda ns, name: ns == "www" and name == "home"),
    MenuItem(
        "Besoins",
        "needs:campaign_list",
        frozenset({Role.ADMIN, Role.BUYER, Role.GOVERNANCE}) | _ENTITY,
        lambda ns, name: ns == "needs",
    ),
    MenuItem(
        "Projets",
        "procurements:project_list",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT, Role.FAMILY_CORRESPONDENT},
        lambda ns, name: ns == "procurements" and name != "my_tasks",
    ),
    MenuItem(
        "Mes tâches",
        "procurements:my_tasks",
        _TEAM,
        lambda ns, name: ns == "procurements" and name == "my_tasks",
        perm=Perm.MANAGE_PROJECTS,
    ),
    MenuItem(
        "Contrats utilisables",
        "contracts:usable_list",
        frozenset({Role.ADMIN, Role.BUYER}) | _ENTITY,
        lambda ns, name: ns == "contracts" and name == "usable_list",
    ),
    MenuItem(
        "Registre",
        "contracts:contract_list",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT},
        lambda ns, name: ns == "contracts" and name not in {"usable_list", "timeline"},
    ),
    MenuItem(
        "Échéancier",
        "contracts:timeline",
        _TEAM | {Role.GOVERNANCE, Role.REFERENT},
        lambda ns, name: ns == "contracts" and name == "timeline",
    ),
    MenuItem(
        "Incidents",
        "evaluations:incident_list",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT, Role.FAMILY_CORRESPONDENT},
        lambda ns, name: ns == "evaluations" and name.startswith("incident"),
        perm=Perm.VIEW_INCIDENTS,
    ),
    MenuItem(
        "Évaluations",
        "evaluations:campaign_list",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT},
        lambda ns, name: ns == "evaluations" and not name.startswith("incident"),
        perm=Perm.VIEW_EVALUATIONS,
    ),
    MenuItem(
        "Accompagnement",
        "clients:request_list",
        _TEAM | _ENTITY,
        lambda ns, name: ns == "clients" and name not in SATISFACTION_PAGES,
        perm=Perm.REQUEST_SERVICES,
    ),
    MenuItem(
        "Matinales",
        "events:event_list",
        _TEAM | _ENTITY,
        lambda ns, name: ns == "events",
        perm=Perm.VIEW_SERVICE_OFFER,
    ),
    MenuItem(
        "Satisfaction des clients",
        "clients:satisfaction",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT},
        lambda ns, name: ns == "clients" and name in SATISFACTION_PAGES,
        perm=Perm.VIEW_STEERING,
    ),
    MenuItem(
        "Bibliothèque",
        "library:document_list",
        _TEAM | _ENTITY,
        lambda ns, name: ns == "library",
        perm=Perm.VIEW_LIBRARY,
    ),
    MenuItem(
        "Gains achats",
        "gains:summary",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT},
        lambda ns, name: ns == "gains",
        perm=Perm.VIEW_GAINS,
    ),
    MenuItem(
        "Plan d'actions",
        "plan:territory",
        frozenset({Role.ADMIN, Role.BUYER, Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT}),
        lambda ns, name: ns == "plan",
        perm=Perm.VIEW_GAINS,
    ),
    MenuItem(
        "Dépenses",
        "spend:map",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT},
        lambda ns, name: ns == "spend",
        perm=Perm.VIEW_SPEND,
    ),
    MenuItem(
        "Pilotage",
        "steering:cockpit",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER, Role.REFERENT},
        lambda ns, name: ns == "steering",
        perm=Perm.VIEW_STEERING,
    ),
    MenuItem(
        "Parangonnage",
        "opendata:benchmark",
        _TEAM | {Role.GOVERNANCE, Role.CONTROLLER},
        lambda ns, name: ns == "opendata" and name == "benchmark",
    ),
    MenuItem(
        "Groupements",
        "organisations:group_list",
        _TEAM | {Role.GOVERNANCE},
        lambda ns, name: ns == "organisations" and name.startswith("group"),
    ),
    MenuItem(
        "Entités",
        "organisations:entity_list",
        _TEAM | {Role.GOVERNANCE, Role.REFERENT},
        lambda ns, name: ns == "organisations" and name.startswith("entity"),
    ),
    MenuItem(
        "Familles et CPV",
        "catalogue:family_list",
        frozenset({Role.ADMIN, Role.BUYER, Role.FAMILY_CORRESPONDENT}),
        lambda ns, name: ns == "catalogue",
    ),
    MenuItem(
        "Fournisseurs",
        "suppliers:supplier_list",
        _TEAM,
        lambda ns, name: ns == "suppliers",
    ),
    MenuItem(
        "Données ouvertes",
        "opendata:exports",
        _TEAM,
        lambda ns, name: ns == "opendata" and name != "benchmark",
        perm=Perm.MANAGE_CONTRACTS,
    ),
    MenuItem(
        "Personnes",
        "organisations:user_list",
        frozenset({Role.ADMIN}),
        lambda ns, name: ns == "organisations" and name.startswith("user"),
        perm=Perm.MANAGE_MEMBERSHIPS,
    ),
    MenuItem(
        "Paramètres du territoire",
        "organisations:territory_update",
        frozenset({Role.ADMIN}),
        lambda ns, name: ns == "organisations" and name == "territory_update",
        perm=Perm.CONFIGURE_TERRITORY,
    ),
)


def menu_for(access: Access, namespace: str = "", url_name: str = "") -> list[dict]:
    """The main menu of one user: the entries their roles use, the current page's entry marked."""
    items = []
    for item in MENU:
        used = item.roles is None or access.is_superuser or bool(access.roles & item.roles)
        if not used or (item.perm is not None and not access.has(item.perm)):
            continue
        items.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "current": bool(url_name) and item.current(namespace, url_name),
            }
        )
    return items


def mutualis(request):
    user = getattr(request, "user", None)
    access = access_for(user)
    authenticated = user is not None and user.is_authenticated
    match = getattr(request, "resolver_match", None)
    return {
        "territory": current_territory(),  # read once per request, shared with `words` below
        "access": access,
        "Perm": Perm,
        "menu": menu_for(access, match.namespace, match.url_name or "") if authenticated and match else [],
        "unread_notifications": Notification.objects.for_user(user).unread().count() if authenticated else 0,
    }


def words(request):
    """What the territory calls its members (« établissement », « membre », « direction »…)."""
    return {"words": current_words()}
