"""Roles, permissions and the matrix that joins them: the single source of who may do what.

A user holds roles per member entity (Membership). Team roles see the whole territory; entity
roles see their own entities. Views and QuerySets ask `Access` rather than testing roles.
"""

from enum import StrEnum, nonmember

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur"
    BUYER = "buyer", "Acheteur de la cellule achats"
    LEGAL_OFFICER = "legal_officer", "Juriste marchés"
    REFERENT = "referent", "Référent achats"  # of an establishment, a commune, a directorate…
    FAMILY_CORRESPONDENT = "family_correspondent", "Correspondant de famille d'achat"
    PRESCRIBER = "prescriber", "Client interne (prescripteur)"
    GOVERNANCE = "governance", "Gouvernance (lecture seule)"
    CONTROLLER = "controller", "Contrôleur de gestion achat"


# Roles of the central purchasing team and governance: their scope is the whole territory.
TERRITORY_WIDE_ROLES = frozenset(
    {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.GOVERNANCE, Role.CONTROLLER}
)


class Perm(StrEnum):
    # Templates read Perm.X: keep Django from calling the class (as its own Choices do).
    do_not_call_in_templates = nonmember(True)

    VIEW_ENTITIES = "view_entities"
    MANAGE_ENTITIES = "manage_entities"
    MANAGE_MEMBERSHIPS = "manage_memberships"
    CONFIGURE_TERRITORY = "configure_territory"
    VIEW_CATALOGUE = "view_catalogue"
    MANAGE_CATALOGUE = "manage_catalogue"
    VIEW_SUPPLIERS = "view_suppliers"
    MANAGE_SUPPLIERS = "manage_suppliers"
    VIEW_CONTRACTS = "view_contracts"
    MANAGE_CONTRACTS = "manage_contracts"
    VIEW_GROUPS = "view_groups"
    MANAGE_GROUPS = "manage_groups"
    VIEW_NEEDS = "view_needs"
    DECLARE_NEEDS = "declare_needs"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    VIEW_PROJECTS = "view_projects"
    MANAGE_PROJECTS = "manage_projects"
    # Bidders' offers (names, prices, scores, ranking) are business secrets: the purchasing team sees
    # them; anyone else only as a member of a project's evaluation committee (Project.evaluation_committee).
    VIEW_OFFERS = "view_offers"
    # Purchasing gains (PHARE method) and the action plan: the buyer declares a gain, management
    # control validates it; the plan is kept by the team and management control.
    VIEW_GAINS = "view_gains"
    DECLARE_GAINS = "declare_gains"
    VALIDATE_GAINS = "validate_gains"
    MANAGE_PLAN = "manage_plan"
    # Spend (payment orders from the entities' finance software): an entity role sees and imports its
    # own entity's; the team corrects links and keeps the mapping of budget accounts to families.
    VIEW_SPEND = "view_spend"
    IMPORT_SPEND = "import_spend"
    MANAGE_SPEND = "manage_spend"
    # Steering: indicators, objectives, risk flags, the improvement log and the governance report.
    # An entity role reads its own entities' figures; the team acts on flags and improvement actions;
    # management control and the administrator set the objectives.
    VIEW_STEERING = "view_steering"
    MANAGE_OBJECTIVES = "manage_objectives"
    ACKNOWLEDGE_FLAGS = "acknowledge_flags"
    MANAGE_IMPROVEMENTS = "manage_improvements"
    # Incidents during a contract's execution (late delivery, non-conformity…): read by everyone who sees
    # contracts (an entity role its own entities' only), declared by the team and the entities' referents
    # and family correspondents (for their own entities), handled and closed by the purchasing team.
    VIEW_INCIDENTS = "view_incidents"
    DECLARE_INCIDENTS = "declare_incidents"
    MANAGE_INCIDENTS = "manage_incidents"
    # Quality–cost–delay evaluations of contracts and suppliers: results are shared with everyone who sees
    # suppliers (an entity role reads its own entities' answers only); the purchasing team launches,
    # reminds and closes campaigns and edits the grids; the entities' referents answer for their entity.
    VIEW_EVALUATIONS = "view_evaluations"
    MANAGE_EVALUATIONS = "manage_evaluations"
    ANSWER_EVALUATIONS = "answer_evaluations"
    # The purchasing team's service offer to internal clients (the seven modules): read by everyone, kept
    # by the administrator; requested by the entities' prescribers, referents and family correspondents
    # (for their own entities) and by the team; handled (assigned, moved, answered) by the team that buys.
    VIEW_SERVICE_OFFER = "view_service_offer"
    MANAGE_SERVICE_OFFER = "manage_service_offer"
    REQUEST_SERVICES = "request_services"
    MANAGE_SERVICE_REQUESTS = "manage_service_requests"
    # The matinales (events for internal clients): seen by everyone who sees the offer, organised by the
    # team that handles the requests (invitations, attendance, results).
    MANAGE_EVENTS = "manage_events"
    # The library of guides, booklets and templates for internal clients: read by everyone (each document
    # says who may see it: Document.objects.visible_to), kept by the team that handles the requests.
    VIEW_LIBRARY = "view_library"
    MANAGE_LIBRARY = "manage_library"


_EVERYONE = {
    Perm.VIEW_ENTITIES,
    Perm.VIEW_CATALOGUE,
    Perm.VIEW_SUPPLIERS,
    Perm.VIEW_CONTRACTS,
    Perm.VIEW_GROUPS,
    Perm.VIEW_NEEDS,
    Perm.VIEW_PROJECTS,
    Perm.VIEW_INCIDENTS,
    Perm.VIEW_EVALUATIONS,
    Perm.VIEW_SERVICE_OFFER,
    Perm.VIEW_LIBRARY,
}
_SERVICE_TEAM = {
    Perm.REQUEST_SERVICES,
    Perm.MANAGE_SERVICE_REQUESTS,
    Perm.MANAGE_EVENTS,
    Perm.MANAGE_LIBRARY,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.BUYER: frozenset(
        _EVERYONE
        | {Perm.MANAGE_CATALOGUE, Perm.MANAGE_SUPPLIERS, Perm.MANAGE_CONTRACTS, Perm.MANAGE_GROUPS}
        | {Perm.DECLARE_NEEDS, Perm.MANAGE_CAMPAIGNS, Perm.MANAGE_PROJECTS, Perm.VIEW_OFFERS}
        | {Perm.VIEW_GAINS, Perm.DECLARE_GAINS, Perm.MANAGE_PLAN}
        | {Perm.VIEW_SPEND, Perm.IMPORT_SPEND, Perm.MANAGE_SPEND}
        | {Perm.VIEW_STEERING, Perm.ACKNOWLEDGE_FLAGS, Perm.MANAGE_IMPROVEMENTS}
        | {Perm.DECLARE_INCIDENTS, Perm.MANAGE_INCIDENTS, Perm.MANAGE_EVALUATIONS}
        | _SERVICE_TEAM
    ),
    Role.LEGAL_OFFICER: frozenset(
        _EVERYONE
        | {Perm.MANAGE_SUPPLIERS, Perm.MANAGE_CONTRACTS, Perm.MANAGE_GROUPS, Perm.MANAGE_PROJECTS}
        | {Perm.VIEW_OFFERS, Perm.VIEW_GAINS, Perm.VIEW_SPEND}
        | {Perm.VIEW_STEERING, Perm.ACKNOWLEDGE_FLAGS, Perm.MANAGE_IMPROVEMENTS}
        | {Perm.DECLARE_INCIDENTS, Perm.MANAGE_INCIDENTS, Perm.MANAGE_EVALUATIONS}
        | _SERVICE_TEAM
    ),
    Role.REFERENT: frozenset(
        _EVERYONE
        | {Perm.DECLARE_NEEDS, Perm.VIEW_GAINS, Perm.VIEW_SPEND, Perm.IMPORT_SPEND, Perm.VIEW_STEERING}
        | {Perm.DECLARE_INCIDENTS, Perm.ANSWER_EVALUATIONS, Perm.REQUEST_SERVICES}
    ),
    Role.FAMILY_CORRESPONDENT: frozenset(
        _EVERYONE | {Perm.DECLARE_NEEDS, Perm.DECLARE_INCIDENTS, Perm.REQUEST_SERVICES}
    ),
    # The internal client declares his service's needs as drafts, proposed to his entity's referent, and
    # asks the purchasing team for its services.
    Role.PRESCRIBER: frozenset(_EVERYONE | {Perm.DECLARE_NEEDS, Perm.REQUEST_SERVICES}),
    Role.GOVERNANCE: frozenset(_EVERYONE | {Perm.VIEW_GAINS, Perm.VIEW_SPEND, Perm.VIEW_STEERING}),
    # Management control reads everything a gain is computed from, offers included, and validates.
    Role.CONTROLLER: frozenset(
        _EVERYONE
        | {Perm.VIEW_OFFERS, Perm.VIEW_GAINS, Perm.VALIDATE_GAINS, Perm.MANAGE_PLAN}
        | {Perm.VIEW_SPEND, Perm.IMPORT_SPEND, Perm.MANAGE_SPEND}
        | {Perm.VIEW_STEERING, Perm.MANAGE_OBJECTIVES, Perm.ACKNOWLEDGE_FLAGS, Perm.MANAGE_IMPROVEMENTS}
    ),
}
