"""The permission matrix: every named URL of the resolver × every role (plus a superuser and anonymous) ×
an object of the user's own entity and of another entity, each answer declared here, by hand, independently
of the role matrix (organisations/roles.py) it checks.

How to declare a view: one line in DECLARATIONS, keyed by its URL name.

    "contracts:contract_detail": page(ALL, obj="contract"),
    "contracts:renewal_decide": page(REGISTRY_EDITORS, obj="contract", post=True),
    "needs:line_update": page(DECLARERS, obj="line", methods=EDIT),
    "api:contract-list": api(ALL),
    "login": public(ok=(200, 302)),

- `page(roles)`: a staff page; anonymous is sent to the login page; the roles listed (and the superuser)
  get `ok` (200 by default); a role left out gets `denied` (403 by default). `api(roles)` is the same
  for the REST API (the request carries the user's token; anonymous gets 401). `public()`: anyone,
  anonymous included, gets `ok`.
- `obj="<key>"`: the URL is about one object, built once for the module by `_build`. A key of
  OWN_AND_OTHER gives two cases: the object of the member hospital where the entity roles hold their role
  ("own"), and one of another hospital ("other"). On "other", only `other` get it (default: the roles of
  the list that see the whole territory) and the rest of the listed roles get `hidden` (404 by default);
  with `scope_first=True` (the view finds the object in the user's scope before checking the role), every
  refused role that does not see the whole territory gets `hidden` there.
  Team roles hold their role in the support establishment and see both. A URL with one argument gets
  the object's id under that argument's name; an object may also give the whole kwargs (a dict).
- `post=True` (or `methods=("PATCH",)`): an action, sent with an empty body: an allowed role gets
  anything but a refusal (401/403/404/405) or a server error, e.g. 200 or 400 with form errors, or a
  302; `methods=("GET", "POST")` exercises both. `query={...}`: the GET query string.
- A tuple of declarations for one name when its methods differ in roles.
- `admin:*`: one rule for the group (ADMIN_SITE): the superuser gets the page, everyone else the admin's
  login page; ADMIN_EXCEPTIONS overrides it for a few names.

A new object: one more key in `_build` (a pk or the URL's kwargs; for "own" and "other", a dict of both
and the key added to OWN_AND_OTHER).

A name found in the resolver without a declaration, or declared but no longer in the resolver, fails
`test_every_url_name_is_declared`. Objects are created once per module; each case only does one request,
in a transaction rolled back after it.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from mutualis.organisations.roles import Role

ALL = frozenset(Role)
TEAM = frozenset(
    {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.GOVERNANCE, Role.CONTROLLER}
)  # whole territory
ADMIN = frozenset({Role.ADMIN})
CATALOGUE_EDITORS = frozenset({Role.ADMIN, Role.BUYER})
CAMPAIGN_MANAGERS = frozenset({Role.ADMIN, Role.BUYER})
REGISTRY_EDITORS = frozenset({Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER})  # suppliers, contracts, projects
# Offers are read by the team that runs consultations and by management control (who checks the gains).
OFFER_READERS = REGISTRY_EDITORS | {Role.CONTROLLER}
DECLARERS = frozenset({Role.ADMIN, Role.BUYER, Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER})
# Gains and the action plan are read by the team, governance, management control and the referents (their
# establishments); the plan is drawn up by the buyers and management control.
GAIN_READERS = TEAM | {Role.REFERENT}
GAIN_DECLARERS = frozenset({Role.ADMIN, Role.BUYER})
PLAN_MANAGERS = frozenset({Role.ADMIN, Role.BUYER, Role.CONTROLLER})
# Spend is read by the team, governance, management control and the referents (their entities' lines);
# imported by the buyers, management control and the referents (their own establishment only); the team's
# buyers, administrators and management control correct links and keep the accounts' mapping.
SPEND_READERS = TEAM | {Role.REFERENT}
SPEND_IMPORTERS = frozenset({Role.ADMIN, Role.BUYER, Role.CONTROLLER, Role.REFERENT})
SPEND_MANAGERS = frozenset({Role.ADMIN, Role.BUYER, Role.CONTROLLER})
# Steering: read by the team, governance, management control and the referents (their entities' figures);
# objectives set by the administrator and management control; risk flags acknowledged and improvement
# actions kept by the team that acts (administrators, buyers, legal officers, management control).
STEERING_READERS = TEAM | {Role.REFERENT}
OBJECTIVE_MANAGERS = frozenset({Role.ADMIN, Role.CONTROLLER})
FLAG_ACKNOWLEDGERS = frozenset({Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.CONTROLLER})
IMPROVEMENT_MANAGERS = FLAG_ACKNOWLEDGERS
# Incidents during execution: read by everyone (an entity role its own entities'), declared by the team
# that buys and by the entities' referents and family correspondents; the workflow (buyers, legal
# officers, administrators) handles them.
INCIDENT_DECLARERS = frozenset(
    {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.REFERENT, Role.FAMILY_CORRESPONDENT}
)
# QCD evaluations: campaigns and results read by everyone (an entity role sees its own entities' answers
# only), launched, reminded, closed and their grids edited by the team that buys; answered by the
# referents of the evaluated entity.
EVALUATION_MANAGERS = frozenset({Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER})
# The service offer: read by everyone, edited by the administrator. Requests: made and followed by the
# entities' prescribers, referents and family correspondents (their own entities') and by the team that
# handles them; governance and management control see none (the messages are the client's and the team's).
# Actions on a request answer a redirect with the refusal for a party who may not take them.
REQUESTERS = frozenset(
    {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER}
)
# Matinales are organised by the team that handles the clients' requests.
EVENT_MANAGERS = frozenset({Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER})
# The library for internal clients: read by everyone (each document by its audience: an entity's documents
# by its people and the whole territory's roles), kept by the team that handles the requests.
LIBRARY_KEEPERS = frozenset({Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER})

# The edit pages of one object: the form (GET) and its submission (POST, empty: the form's errors at best),
# so that the write path is proved to check the same role and scope as the page.
EDIT = ("GET", "POST")

SUPERUSER, ANONYMOUS = "superuser", "anonymous"
SUBJECTS = [*(role.value for role in Role), SUPERUSER, ANONYMOUS]
# A refusal or a failure: what an allowed POST never answers.
REFUSALS = {401, 403, 404, 405}


class PerUser(dict):
    """An object per signed-in subject (their own API token): {subject: pk}."""


@dataclass(frozen=True)
class Rule:
    kind: str  # page, api, public, admin
    roles: frozenset = frozenset()
    obj: str | None = None
    other: frozenset | None = None
    methods: tuple = ("GET",)
    ok: tuple = (200,)
    denied: int = 403
    hidden: int = 404
    scope_first: bool = False  # the object is looked up in the user's scope before the role is checked
    superuser: bool = True  # admin only: False where even the superuser is refused (denied)
    refused_to: str = ""  # admin only: where a refusal redirects (default: the admin's login page)
    query: dict = field(default_factory=dict)

    def allowed(self, subject: str, side: str) -> bool:
        if subject == SUPERUSER:  # every permission, the whole territory: refused only when declared
            return self.superuser and (side != "other" or self.other is None or SUPERUSER in self.other)
        if self.kind == "public":
            return True
        if subject == ANONYMOUS:
            return False
        role = Role(subject)
        if side == "other":
            return role in (self.other if self.other is not None else self.roles & TEAM)
        return role in self.roles


def _rule(kind, roles=frozenset(), *, post=False, methods=None, ok=None, **options) -> Rule:
    methods = methods or (("POST",) if post else ("GET",))
    return Rule(kind, frozenset(roles), methods=methods, ok=ok or (200,), **options)


def page(roles, **options) -> Rule:
    return _rule("page", roles, **options)


def api(roles, **options) -> Rule:
    return _rule("api", roles, **options)


def public(**options) -> Rule:
    return _rule("public", ALL, **options)


def admin_site(**options) -> Rule:
    return _rule("admin", frozenset(), **options)


DECLARATIONS: dict[str, Rule | tuple[Rule, ...]] = {
    # Site-wide, account and password pages
    "www:home": page(ALL),
    "www:accessibility": public(),
    "health": public(),  # /sante/ for the proxy and monitoring; its answers in tests/deploy/test_health.py
    "public_file": public(obj="public_file"),  # MEDIA_ROOT/public: the territory's logo
    # A spreadsheet import run is its author's only ("own"); another person's is not found.
    "www:import_run": page(ALL, obj="spreadsheet_import", other=frozenset()),
    # A background list export and its file are its author's only, like an import run.
    "www:export_job": page(ALL, obj="export_job", other=frozenset()),
    "www:export_job_file": page(ALL, obj="export_job", other=frozenset()),
    "account": page(ALL),
    "token_create": page(ALL, post=True),
    # One's own token ("own"); another person's is not found, even by the superuser.
    "token_revoke": page(ALL, obj="token", post=True, other=frozenset()),
    "login": public(ok=(200, 302)),  # a signed-in user is sent on
    "logout": public(post=True),
    # Sign-on by OpenID Connect (issue 21; tests/oidc drives them against a real provider): not found while
    # no provider is configured, as here.
    "oidc_login": public(ok=(404,)),
    "oidc_callback": public(ok=(404,)),
    "awaiting_role": page(ALL),  # the page of an agent signed on without any role
    "password_change": page(ALL),
    "password_change_done": page(ALL),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(obj="reset_link"),
    "password_reset_complete": public(),
    # The public portal for businesses (issue 19): no login; tests/portal checks what it shows
    "portal:home": public(),
    "portal:planned": public(),
    "portal:consultations": public(),
    "portal:project": public(obj="portal_project"),  # a published project at its planned stage
    "portal:interest": public(obj="portal_project", methods=EDIT),  # an empty POST: the form's errors
    "portal:interest_thanks": public(obj="portal_project"),
    "portal:contracts": public(),
    "portal:entities": public(),
    "portal:entity": public(obj="entity"),
    "portal:guide": public(),
    "portal:open_data": public(),
    "portal:decp": public(ok=(404,)),  # no DECP file built in this world: none to serve
    "portal:planned_atom": public(),
    "portal:planned_ics": public(),
    "portal:alerts": public(),  # e-mail alerts without an account (tests/portal/test_alerts.py)
    "portal:alert_confirm": public(obj="alert_link", ok=(404,)),  # a made-up link: refused
    "portal:alert_unsubscribe": public(obj="alert_link", ok=(404,)),  # a made-up link: refused
    "portal:accessibility": public(),  # the portal's RGAA statement (tests/portal/test_accessibility.py)
    # Territory, entities, groups, people
    "organisations:entity_list": page(ALL),
    "organisations:entity_create": page(ADMIN),
    "organisations:entity_import": page(ADMIN),
    "organisations:entity_detail": page(ALL, obj="entity"),
    "organisations:entity_update": page(ADMIN, obj="entity", methods=EDIT),
    "organisations:membership_grant": page(ADMIN, obj="entity", post=True),
    "organisations:membership_revoke": page(ADMIN, obj="membership", post=True),
    "organisations:territory_update": page(ADMIN),
    "organisations:group_list": page(ALL),
    "organisations:group_create": page(REGISTRY_EDITORS),
    "organisations:group_detail": page(ALL, obj="group"),
    "organisations:group_update": page(REGISTRY_EDITORS, obj="group", methods=EDIT),
    "organisations:adhesion_decide": page(REGISTRY_EDITORS, obj="group", post=True),
    "organisations:adhesion_sign": page(REGISTRY_EDITORS, obj="adhesion", post=True),
    "organisations:adhesion_leave": page(REGISTRY_EDITORS, obj="adhesion", post=True),
    "organisations:user_list": page(ADMIN),
    "organisations:user_create": page(ADMIN),
    "organisations:user_detail": page(ADMIN, obj="person"),
    "organisations:user_update": page(ADMIN, obj="person", methods=EDIT),
    "organisations:user_unlock": page(ADMIN, obj="person", post=True),
    # Catalogue and suppliers: reference data, readable by every role
    "catalogue:family_list": page(ALL),
    "catalogue:family_create": page(CATALOGUE_EDITORS),
    "catalogue:family_import": page(CATALOGUE_EDITORS),
    "catalogue:family_detail": page(ALL, obj="family"),
    "catalogue:family_update": page(CATALOGUE_EDITORS, obj="family"),
    "catalogue:cpv_list": page(ALL),
    "catalogue:cpv_detail": page(ALL, obj="cpv"),
    "catalogue:cpv_suggest": page(ALL),
    "suppliers:supplier_list": page(ALL),
    "suppliers:supplier_create": page(REGISTRY_EDITORS),
    "suppliers:supplier_import": page(REGISTRY_EDITORS),
    "suppliers:supplier_detail": page(ALL, obj="supplier"),
    "suppliers:supplier_update": page(REGISTRY_EDITORS, obj="supplier"),
    "suppliers:data_import": page(REGISTRY_EDITORS, methods=EDIT),
    "suppliers:data_import_run": page(REGISTRY_EDITORS, obj="supplier_data_import"),
    "suppliers:candidate_list": page(REGISTRY_EDITORS),
    "suppliers:candidate_promote": page(REGISTRY_EDITORS, obj="supplier_candidate", post=True),
    # Contracts registry
    "contracts:contract_list": page(ALL),
    "contracts:usable_list": page(ALL),
    "contracts:timeline": page(ALL),
    "contracts:contract_create": page(REGISTRY_EDITORS),
    "contracts:contract_import": page(REGISTRY_EDITORS),
    "contracts:contract_detail": page(ALL, obj="contract"),
    "contracts:contract_update": page(REGISTRY_EDITORS, obj="contract", methods=EDIT),
    "contracts:amendment_create": page(REGISTRY_EDITORS, obj="contract", methods=EDIT),
    "contracts:renewal_decide": page(REGISTRY_EDITORS, obj="contract", post=True),
    "contracts:document_upload": page(REGISTRY_EDITORS, obj="contract", methods=EDIT),
    "contracts:price_schedule": page(ALL, obj="contract"),
    "contracts:price_schedule_import": page(REGISTRY_EDITORS, obj="contract", methods=EDIT),
    "contracts:document_download": page(ALL, obj="document"),
    "contracts:document_delete": page(REGISTRY_EDITORS, obj="document", post=True),
    # Needs
    "needs:campaign_list": page(ALL),
    "needs:opportunities": page(ALL),
    "needs:campaign_create": page(CAMPAIGN_MANAGERS),
    "needs:campaign_detail": page(ALL, obj="campaign"),
    "needs:campaign_update": page(CAMPAIGN_MANAGERS, obj="campaign"),
    "needs:campaign_export": page(ALL, obj="campaign"),
    "needs:line_create": page(DECLARERS, obj="campaign"),
    "needs:line_import": page(DECLARERS, obj="campaign"),
    "needs:line_list": page(ALL),
    "needs:line_detail": page(ALL, obj="line"),
    "needs:line_update": page(DECLARERS, obj="line"),
    "needs:line_transition": page(ALL, obj="line", post=True),
    # Procurement projects, their lots, criteria, offers and decisions, the process map
    "procurements:project_list": page(ALL),
    "procurements:board": page(ALL),
    "procurements:my_tasks": page(ALL),
    "procurements:project_create": page(REGISTRY_EDITORS),
    "procurements:project_detail": page(ALL, obj="project"),
    "procurements:project_update": page(REGISTRY_EDITORS, obj="project", methods=EDIT),
    "procurements:project_transition": page(REGISTRY_EDITORS, obj="project", post=True),
    "procurements:interest_export": page(REGISTRY_EDITORS, obj="project", query={"export": "xlsx"}),
    "procurements:project_from_needs": page(CAMPAIGN_MANAGERS, obj="campaign_family", post=True),
    "procurements:lot_create": page(REGISTRY_EDITORS, obj="project", methods=EDIT),
    "procurements:lot_update": page(REGISTRY_EDITORS, obj="lot", methods=EDIT),
    "procurements:lot_delete": page(REGISTRY_EDITORS, obj="lot", methods=("GET", "POST")),
    "procurements:criterion_create": page(REGISTRY_EDITORS, obj="project", methods=EDIT),
    "procurements:criterion_update": page(REGISTRY_EDITORS, obj="criterion", methods=EDIT),
    "procurements:criterion_delete": page(REGISTRY_EDITORS, obj="criterion", methods=("GET", "POST")),
    "procurements:offer_create": page(REGISTRY_EDITORS, obj="lot", methods=EDIT),
    "procurements:offer_update": page(REGISTRY_EDITORS, obj="offer", methods=EDIT),
    "procurements:offer_delete": page(REGISTRY_EDITORS, obj="offer", methods=("GET", "POST")),
    # An offer's price schedule: its readers only; the page says when it can no longer be imported.
    "procurements:offer_price_schedule": page(OFFER_READERS, obj="offer", scope_first=True),
    "procurements:offer_price_schedule_import": page(REGISTRY_EDITORS, obj="offer", methods=EDIT),
    "procurements:lot_negotiate": page(REGISTRY_EDITORS, obj="lot", methods=EDIT),
    "procurements:lot_award": page(REGISTRY_EDITORS, obj="lot", methods=EDIT),
    "procurements:lot_unsuccessful": page(REGISTRY_EDITORS, obj="lot", methods=EDIT),
    "procurements:lot_notify": page(REGISTRY_EDITORS, obj="lot", methods=EDIT),
    # Offers are business secrets: the team that runs consultations (and the project's committee) only.
    "procurements:analysis_pdf": page(OFFER_READERS, obj="project", scope_first=True),
    "procurements:analysis_xlsx": page(OFFER_READERS, obj="project", scope_first=True),
    "procurements:process_map": page(ALL),
    "procurements:process_map_draft_create": page(ADMIN, post=True),
    "procurements:process_map_draft": page(ADMIN, obj="process_map"),
    "procurements:process_map_publish": page(ADMIN, obj="process_map", post=True),
    # Purchasing gains: read by the team, governance, management control and referents (their
    # establishments' only); declared by buyers, validated by management control; the target is the plan's.
    # Spend imports
    "spend:import_list": page(SPEND_READERS),
    "spend:import": page(SPEND_IMPORTERS, methods=EDIT),
    "spend:import_run": page(SPEND_READERS, obj="spend_import"),
    "spend:import_report": page(SPEND_READERS, obj="spend_import"),
    "gains:summary": page(GAIN_READERS),
    "gains:summary_xlsx": page(GAIN_READERS),
    "gains:target_update": page(PLAN_MANAGERS, methods=EDIT),
    "gains:gain_list": page(GAIN_READERS),
    "gains:gain_create": page(GAIN_DECLARERS, methods=EDIT),
    "gains:gain_detail": page(GAIN_READERS, obj="gain"),
    "gains:gain_update": page(GAIN_DECLARERS, obj="gain", methods=EDIT),
    # The workflow checks the role: a reader's empty POST is told to choose an action.
    "gains:gain_transition": page(GAIN_READERS, obj="gain", post=True),
    # The purchasing action plan (PAAT and the establishments' PAA)
    "plan:territory": page(GAIN_READERS),
    "plan:action_list": page(GAIN_READERS),
    "plan:action_create": page(PLAN_MANAGERS, methods=EDIT),
    "plan:action_detail": page(GAIN_READERS, obj="plan_action"),
    "plan:action_update": page(PLAN_MANAGERS, obj="plan_action", methods=EDIT),
    "plan:entity": page(GAIN_READERS, obj="entity"),
    "plan:export_xlsx": page(GAIN_READERS),
    "plan:import": page(PLAN_MANAGERS, methods=EDIT),
    # The improvement log: read in the steering scope, kept by the team that acts; the workflow checks
    # who moves an action (a reader's empty POST is told to choose one).
    "steering:improvement_list": page(STEERING_READERS),
    "steering:improvement_create": page(IMPROVEMENT_MANAGERS, methods=EDIT),
    "steering:improvement_detail": page(STEERING_READERS, obj="improvement"),
    "steering:improvement_update": page(IMPROVEMENT_MANAGERS, obj="improvement", methods=EDIT),
    "steering:improvement_transition": page(STEERING_READERS, obj="improvement", post=True),
    # Incidents during execution; the workflow checks who moves one (an empty POST: choose an action).
    "clients:module_list": page(ALL),
    "clients:module_update": page(ADMIN, obj="service_module", methods=EDIT),
    "clients:request_list": page(REQUESTERS),
    "clients:request_create": page(REQUESTERS, methods=EDIT),
    "clients:request_detail": page(REQUESTERS, obj="service_request"),
    # Corrected while submitted by its requester or his entity's referent (the "own" request is another
    # prescriber's): the others who see it are refused, those who do not see it do not find it.
    "clients:request_update": page(
        {Role.REFERENT}, obj="service_request", methods=EDIT, scope_first=True, other=frozenset({SUPERUSER})
    ),
    "clients:request_transition": page(REQUESTERS, obj="service_request", post=True),
    "clients:request_assign": page(REQUESTERS, obj="service_request", post=True),
    "clients:message_create": page(REQUESTERS, obj="service_request", post=True),
    "clients:attachment_create": page(REQUESTERS, obj="service_request", post=True),
    "clients:request_to_need": page(REQUESTERS, obj="service_request", post=True),
    "clients:request_to_project": page(REQUESTERS, obj="service_request", post=True),
    "clients:attachment_download": page(REQUESTERS, obj="request_attachment"),
    "clients:attachment_delete": page(REQUESTERS, obj="request_attachment", post=True),
    # The questionnaire: its requester's own (anyone else gets 404: the answers stay anonymous); the
    # results, anonymous aggregates, are read with the steering (and the governance report).
    "clients:survey_answer": page(REQUESTERS, obj="survey", methods=EDIT),
    "clients:satisfaction": page(STEERING_READERS),
    "clients:question_list": page(ADMIN, methods=EDIT),
    # The matinales: seen by everyone who sees the offer, organised by the team that handles requests; a
    # registration refused (not invited) comes back as a message; the questionnaire is its attendee's own.
    "events:event_list": page(ALL),
    "events:event_create": page(EVENT_MANAGERS, methods=EDIT),
    "events:event_detail": page(ALL, obj="event"),
    "events:event_update": page(EVENT_MANAGERS, obj="event", methods=EDIT),
    "events:event_transition": page(EVENT_MANAGERS, obj="event", post=True),
    "events:invitations_prepare": page(EVENT_MANAGERS, obj="event", post=True),
    "events:invitation_add": page(EVENT_MANAGERS, obj="event", post=True),
    "events:register": page(ALL, obj="event", post=True),
    "events:unregister": page(ALL, obj="event", post=True),
    "events:attendance": page(EVENT_MANAGERS, obj="event", methods=EDIT),
    "events:survey_answer": page(ALL, obj="event_survey", methods=EDIT),
    "library:document_list": page(ALL),
    "library:document_create": page(LIBRARY_KEEPERS, methods=EDIT),
    "library:document_detail": page(ALL, obj="library_document"),
    "library:document_update": page(LIBRARY_KEEPERS, obj="library_document", methods=EDIT),
    "library:version_create": page(LIBRARY_KEEPERS, obj="library_document", methods=EDIT),
    "library:document_archive": page(LIBRARY_KEEPERS, obj="library_document", post=True),
    "library:version_download": page(ALL, obj="library_version"),
    "evaluations:incident_list": page(ALL),
    "evaluations:incident_create": page(INCIDENT_DECLARERS, methods=EDIT),
    "evaluations:incident_detail": page(ALL, obj="incident"),
    "evaluations:incident_update": page(INCIDENT_DECLARERS, obj="incident", methods=EDIT),
    "evaluations:incident_transition": page(ALL, obj="incident", post=True),
    "evaluations:campaign_list": page(ALL),
    "evaluations:campaign_create": page(EVALUATION_MANAGERS, methods=EDIT),
    "evaluations:campaign_detail": page(ALL, obj="qcd_campaign", other=ALL | {SUPERUSER}),
    "evaluations:campaign_transition": page(EVALUATION_MANAGERS, obj="qcd_campaign", post=True),
    "evaluations:campaign_remind": page(EVALUATION_MANAGERS, obj="qcd_campaign", post=True),
    # Read by everyone who sees the entity's answers; answered (POST) by its referents only.
    "evaluations:evaluation_answer": (
        page(ALL, obj="evaluation"),
        page({Role.REFERENT}, obj="evaluation", post=True, scope_first=True),
    ),
    "evaluations:grid_list": page(ALL),
    "evaluations:grid_detail": page(ALL, obj="qcd_grid"),
    "evaluations:grid_update": page(EVALUATION_MANAGERS, obj="qcd_grid", methods=EDIT),
    "evaluations:grid_family_create": page(EVALUATION_MANAGERS, post=True),
    # A family's QCD panel; a supplier's results in a campaign (shared with the whole territory, like the
    # campaign's), its PDF and its observations.
    "evaluations:panel": page(ALL),
    "evaluations:supplier_result": page(ALL, obj="qcd_supplier", other=ALL | {SUPERUSER}),
    "evaluations:supplier_pdf": page(EVALUATION_MANAGERS, obj="qcd_supplier"),
    "evaluations:supplier_comment": page(EVALUATION_MANAGERS, obj="qcd_supplier", methods=EDIT),
    # Spend: the budget accounts' mapping and the correction of a line's link
    "spend:account_list": page(SPEND_READERS),
    "spend:account_create": page(SPEND_MANAGERS, methods=EDIT),
    "spend:account_import": page(SPEND_MANAGERS, methods=EDIT),
    "spend:account_update": page(SPEND_MANAGERS, obj="account", methods=EDIT),
    "spend:account_delete": page(SPEND_MANAGERS, obj="account", methods=EDIT),
    "spend:account_load_defaults": page(SPEND_MANAGERS, post=True),
    "spend:account_reclassify": page(SPEND_MANAGERS, post=True),
    "spend:line_detail": page(SPEND_READERS, obj="spend_line"),
    "spend:line_relink": page(SPEND_MANAGERS, obj="spend_line", methods=EDIT),
    # Spend: the map, its workbook and the lines behind its figures
    "spend:map": page(SPEND_READERS),
    "spend:map_xlsx": page(SPEND_READERS),
    "spend:line_list": page(SPEND_READERS),
    # Steering: the cockpit, an indicator's page and the objectives
    "steering:cockpit": page(STEERING_READERS),
    "steering:indicator_detail": page(STEERING_READERS, obj="indicator"),
    "steering:objective_list": page(STEERING_READERS),
    "steering:objective_create": page(OBJECTIVE_MANAGERS, methods=EDIT),
    "steering:objective_update": page(OBJECTIVE_MANAGERS, obj="objective", methods=EDIT),
    "steering:objective_delete": page(OBJECTIVE_MANAGERS, obj="objective", methods=EDIT),
    "steering:report_list": page(STEERING_READERS),
    "steering:report_create": page(STEERING_READERS, post=True),
    "steering:report_detail": page(STEERING_READERS, obj="governance_report"),
    "steering:report_pdf": page(STEERING_READERS, obj="governance_report"),
    "steering:report_xlsx": page(STEERING_READERS, obj="governance_report"),
    "steering:flag_list": page(STEERING_READERS),
    "steering:flag_acknowledge": page(FLAG_ACKNOWLEDGERS, post=True),
    "steering:flag_withdraw": page(FLAG_ACKNOWLEDGERS, post=True),
    # Notifications
    "notifications:list": page(ALL),
    "notifications:mark_read": page(ALL, post=True),
    "notifications:preferences": page(ALL),
    # Open data
    "opendata:exports": page(REGISTRY_EDITORS),
    "opendata:exports_prepare": page(REGISTRY_EDITORS, post=True),
    "opendata:decp_export": page(REGISTRY_EDITORS, ok=(200, 302)),  # 302: no export prepared yet
    "opendata:decp_published": page(REGISTRY_EDITORS, post=True),
    "opendata:ocds_export": page(REGISTRY_EDITORS, ok=(200, 302)),  # 302: no export prepared yet
    "opendata:benchmark": page(ALL),
    "opendata:published_list": page(ALL),
    "opendata:import_list": page(REGISTRY_EDITORS),
    "opendata:import_create": page(REGISTRY_EDITORS),
    "opendata:import_detail": page(REGISTRY_EDITORS, obj="import_run"),
    "opendata:import_report": page(REGISTRY_EDITORS, obj="import_run"),
    "opendata:import_file": page(REGISTRY_EDITORS, obj="import_file"),
    # REST API
    "api:procedure-estimate": public(post=True),  # without authentication, rate-limited
    "api:gains-estimate": public(post=True),  # without authentication, rate-limited
    # The portal's public API (issue 19): no token, the portal's rows only (tests/portal/test_api.py).
    "api:portal-planned-list": public(),
    "api:portal-planned-detail": public(obj="portal_project"),
    "api:portal-consultation-list": public(),
    "api:portal-consultation-detail": public(obj="portal_project", ok=(404,)),  # planned, not yet open
    "api:portal-contract-list": public(),
    "api:portal-contract-detail": public(obj="contract"),  # notified, above the DECP threshold
    "api:portal-member-list": public(),
    "api:schema": public(),
    "api:docs": public(),
    "api:api-root": api(ALL),
    "api:process-map": api(ALL),
    "api:indicators": api(STEERING_READERS),
    "api:entity-list": api(ALL),
    "api:entity-detail": api(ALL, obj="entity"),
    "api:supplier-list": api(ALL),
    "api:supplier-detail": (
        api(ALL, obj="supplier"),
        api(REGISTRY_EDITORS, obj="supplier", methods=("PATCH",)),  # empty: the version is missing
    ),
    "api:purchase-family-list": api(ALL),
    "api:purchase-family-detail": api(ALL, obj="family"),
    "api:contract-list": api(ALL),
    "api:contract-detail": api(ALL, obj="contract"),
    "api:project-list": api(ALL),
    "api:project-detail": api(ALL, obj="project"),
    "api:project-transitions": (
        api(ALL, obj="project"),
        api(REGISTRY_EDITORS, obj="project", post=True),
    ),
    "api:incident-list": api(ALL),
    "api:incident-detail": api(ALL, obj="incident"),
    # API only: campaigns and results read by everyone, as the campaign's page; the answer of the page's
    # form (POST).
    "api:evaluation-campaign-list": api(ALL),
    "api:evaluation-campaign-detail": api(ALL, obj="qcd_campaign", other=ALL | {SUPERUSER}),
    "api:evaluation-campaign-results": api(ALL, obj="qcd_campaign", other=ALL | {SUPERUSER}),
    "api:evaluation-list": api(ALL),
    "api:evaluation-detail": api(ALL, obj="evaluation"),
    # Only a referent of the evaluated entity answers (empty body: 400); the right to answer is checked
    # before the scope, so another entity's roles without it get 403, its referent 404.
    "api:evaluation-answer": api({Role.REFERENT}, obj="evaluation", post=True),
    # Internal clients' requests, as their pages: read, asked, moved and written on by the requesters and
    # the team that handles them (empty body: 400); corrected by the "own" request's entity referent
    # (another prescriber asked it); given to a buyer by the team only, refused before the record is read.
    "api:service-request-list": (api(REQUESTERS), api(REQUESTERS, post=True)),
    "api:service-request-detail": (
        api(REQUESTERS, obj="service_request"),
        api(
            {Role.REFERENT},
            obj="service_request",
            methods=("PATCH",),
            scope_first=True,
            other=frozenset({SUPERUSER}),
        ),
    ),
    "api:service-request-transitions": api(REQUESTERS, obj="service_request", post=True),
    "api:service-request-messages": api(REQUESTERS, obj="service_request", post=True),
    "api:service-request-assign": api(
        {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}, obj="service_request", post=True
    ),
}

# The Django admin, for technical staff only: one rule for the group, and its exceptions.
ADMIN_SITE = admin_site()
ADMIN_EXCEPTIONS: dict[str, Rule] = {
    "admin:login": public(ok=(200, 302)),  # the superuser is sent on to the index
    "admin:logout": admin_site(post=True, refused_to="admin:index"),
    # Task results are written by the worker only: the admin shows them read-only.
    "admin:django_tasks_database_dbtaskresult_add": admin_site(superuser=False),
    "admin:django_tasks_database_dbtaskresult_delete": admin_site(superuser=False),
    "admin:autocomplete": admin_site(
        query={"app_label": "catalogue", "model_name": "purchasefamily", "field_name": "cpv_codes"}
    ),
}

# Objects with a version in the member hospital ("own") and in another hospital ("other").
OWN_AND_OTHER = {
    "entity",
    "membership",
    "person",
    "token",
    "spreadsheet_import",
    "export_job",
    "group",
    "adhesion",
    "contract",
    "document",
    "line",
    "project",
    "lot",
    "criterion",
    "offer",
    "gain",
    "plan_action",
    "spend_import",
    "spend_line",
    "improvement",
    "incident",
    "qcd_campaign",
    "evaluation",
    "governance_report",
    "qcd_supplier",
    "service_request",
    "request_attachment",
    "library_document",
    "library_version",
}


# ---------------------------------------------------------------------------------------------------
# The resolver


def url_patterns(patterns=None, namespace="", prefix=""):
    """(name or None, pattern, full route) of every URL the resolver serves, namespaces included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern, route


def argument_names(pattern: URLPattern) -> list[str]:
    """The URL's arguments by name; unnamed groups (a few admin routes) as "0", "1"…"""
    regex = pattern.pattern.regex
    if not regex.groupindex:
        return [str(position) for position in range(regex.groups)]
    return [name for name in regex.groupindex if name != "format"]


@cache
def resolver_names() -> dict[str, URLPattern]:
    names = {}
    for name, pattern, _ in url_patterns():
        if name is not None:
            names.setdefault(name, pattern)  # the first one is the one reverse() gives without format
    return names


def rules_of(name: str) -> tuple[Rule, ...]:
    if name.startswith("admin:"):
        return (ADMIN_EXCEPTIONS.get(name, ADMIN_SITE),)
    declared = DECLARATIONS[name]
    return declared if isinstance(declared, tuple) else (declared,)


def declared(name: str) -> bool:
    return name.startswith("admin:") or name in DECLARATIONS


def _cases():
    names = resolver_names()
    for name in sorted(n for n in names if declared(n)):
        rules = rules_of(name)
        sides = ("own", "other") if rules[0].obj in OWN_AND_OTHER else ("-",)
        for index, rule in enumerate(rules):
            for method in rule.methods:
                for side in sides:
                    for subject in SUBJECTS:
                        yield pytest.param(
                            name,
                            index,
                            method,
                            side,
                            subject,
                            id="-".join(part for part in (name, method, side, subject) if part != "-"),
                        )


CASES = list(_cases())


# ---------------------------------------------------------------------------------------------------
# The objects, built once


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        yield _build(media)
        transaction.set_rollback(True)


def _build(media) -> dict:
    from django.contrib.auth.models import Group

    from mutualis.clients.models import ServiceModule
    from mutualis.clients.services.requests import attachment_add, request_transition
    from mutualis.contracts.services import document_attach
    from mutualis.core.models import ExportJob, ExportState, SpreadsheetImport
    from mutualis.core.storage import PUBLIC_FOLDER
    from mutualis.evaluations.models import EvaluationCampaign, Incident
    from mutualis.evaluations.qcd.default_grid import default_grid
    from mutualis.evaluations.services.campaigns import campaign_launch
    from mutualis.evaluations.services.incidents import incident_save
    from mutualis.gains.models import PlanAction
    from mutualis.gains.services import plan_action_save
    from mutualis.library.models import Audience
    from mutualis.needs.models import Campaign, NeedLine
    from mutualis.needs.services import campaign_save
    from mutualis.notifications.services import Message, notify
    from mutualis.opendata.models import ImportRun
    from mutualis.opendata.tasks import REPORT_NAME, stored_name
    from mutualis.organisations.models import PurchasingGroup, Territory
    from mutualis.procurements.models import ProcessMap, Project
    from mutualis.procurements.services import process_map_draft, project_save
    from mutualis.spend.models import AccountFamily, SpendImport, SpendLine
    from mutualis.spend.tasks import REPORT_NAME as SPEND_REPORT
    from mutualis.spend.tasks import stored_name as spend_stored_name
    from mutualis.steering.models import GovernanceReport, ImprovementAction, Objective
    from mutualis.steering.services.improvements import improvement_save
    from mutualis.steering.tasks import stored_name as report_stored_name
    from mutualis.suppliers.models import SupplierCandidate, SupplierDataImport
    from mutualis.tokens.models import TokenScope
    from mutualis.tokens.services import may_write, token_create
    from tests.catalogue.factories import PurchaseFamilyFactory
    from tests.clients.factories import make_request
    from tests.contracts.factories import make_contract
    from tests.events.factories import make_event
    from tests.gains.factories import gain as gain_factory
    from tests.library.factories import make_document
    from tests.organisations.factories import EntityFactory, MembershipFactory, UserFactory
    from tests.procurements.factories import project_in_analysis
    from tests.suppliers.factories import SupplierFactory

    support = EntityFactory(name="CHU support", kind="support")
    sides = {"own": EntityFactory(name="Centre hospitalier membre"), "other": EntityFactory(name="Autre CH")}
    users = {}
    for role in Role:
        entity = support if role in TEAM else sides["own"]
        users[role.value] = MembershipFactory(
            user=UserFactory(username=f"m_{role.value}"), entity=entity, role=role
        ).user
    users[SUPERUSER] = UserFactory(username="m_superuser", is_superuser=True, is_staff=True)
    tokens = {}  # API tokens: write scope where the user's roles allow a write
    for subject, user in users.items():
        scope = TokenScope.WRITE if may_write(user) else TokenScope.READ
        tokens[subject] = token_create(actor=user, name="Matrice", scope=scope)
    sessions = {}  # signed in once: each case only sets the cookie
    for subject, user in users.items():
        browser = Client()
        browser.force_login(user)
        sessions[subject] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    buyer, legal = users[Role.BUYER], users[Role.LEGAL_OFFICER]
    admin_user = users[Role.ADMIN]

    family = PurchaseFamilyFactory()
    campaign = campaign_save(
        actor=None,
        campaign=Campaign(
            title="Besoins 2031", year=2031, deadline=date(2030, 12, 15), launch_date=date(2031, 2, 1)
        ),
        families=[family],
    )
    current_map = ProcessMap.objects.current()
    stranger = MembershipFactory(entity=sides["other"], role=Role.PRESCRIBER).user
    surveys = {}  # each requester's own delivered request's questionnaire
    for subject, user in users.items():
        if subject in {Role.GOVERNANCE, Role.CONTROLLER}:
            continue
        entity = sides["own"] if subject in {r.value for r in Role} - {r.value for r in TEAM} else support
        delivered = make_request(user, entity=entity, family=family)
        for move in ("take", "start", "deliver"):
            delivered = request_transition(actor=buyer, request=delivered, name=move)
        surveys[subject] = delivered.survey.pk
    objects: dict = {
        "token": {
            "own": PerUser({subject: token.pk for subject, (token, _) in tokens.items()}),
            "other": token_create(actor=stranger, name="Jeton d'un autre")[0].pk,
        },
        "reset_link": {"uidb64": "MA", "token": "lien-invalide"},
        "alert_link": {"token": "lien-invalide"},
        "family": family.pk,
        "survey": PerUser(surveys),
        "event": make_event(buyer, entity=support).pk,
        "event_survey": PerUser(event_surveys(buyer, support, users)),
        "cpv": "33141000",
        "supplier": SupplierFactory().pk,
        "supplier_candidate": SupplierCandidate.objects.create(siret="73282932000074", name="Candidate").pk,
        "supplier_data_import": SupplierDataImport.objects.create(
            kind="inclusion", data_date=date(2030, 11, 1), file_name="structures.csv", status="done"
        ).pk,
        "campaign": campaign.pk,
        "campaign_family": {"campaign": campaign.pk, "family": family.pk},
        "process_map": process_map_draft(actor=admin_user, source=current_map).pk,
        "service_module": ServiceModule.objects.get(code="sourcing").pk,
        "account": AccountFamily.objects.create(nomenclature="M21", account="6021", family=family).pk,
    }
    run = ImportRun.objects.create(user=admin_user, files=["decp.json"])
    folder = media / stored_name(run.pk)
    folder.mkdir(parents=True)
    (folder / "decp.json").write_text("{}")
    (folder / REPORT_NAME).write_text("{}")
    run.report_file = str(folder / REPORT_NAME)
    run.save()
    objects["import_run"] = run.pk
    objects["import_file"] = {"pk": run.pk, "index": 0}
    objects["indicator"] = {"code": "contracts_notified"}
    objects["qcd_grid"] = default_grid().pk
    objects["objective"] = Objective.objects.create(indicator="social_share", year=2031, target=50).pk
    (media / PUBLIC_FOLDER).mkdir()
    (media / PUBLIC_FOLDER / "logo.png").write_bytes(b"\x89PNG")
    objects["public_file"] = {"name": "logo.png"}

    def spreadsheet_import(user):
        return SpreadsheetImport.objects.create(
            resource_path="mutualis.suppliers.resources.SupplierResource",
            title="Import de fournisseurs",
            file_name="fournisseurs.xlsx",
            user=user,
        ).pk

    objects["spreadsheet_import"] = {
        "own": PerUser({subject: spreadsheet_import(user) for subject, user in users.items()}),
        "other": spreadsheet_import(stranger),
    }

    def export_job(user):
        job = ExportJob.objects.create(
            user=user, title="Fournisseurs", path="/fournisseurs/", file_format="csv",
            file_stem="fournisseurs", state=ExportState.DONE, finished_at=timezone.now(),
        )  # fmt: skip
        (media / "exports").mkdir(exist_ok=True)
        (media / "exports" / f"{job.pk}.csv").write_bytes(b"\xef\xbb\xbf")
        ExportJob.objects.filter(pk=job.pk).update(file=f"exports/{job.pk}.csv")
        return job.pk

    objects["export_job"] = {
        "own": PerUser({subject: export_job(user) for subject, user in users.items()}),
        "other": export_job(stranger),
    }

    for side, entity in sides.items():
        # The member hospital's group and contract are the support establishment's, which it joins or
        # may use; the other hospital's are its own.
        coordinator = support if side == "own" else entity
        group = PurchasingGroup.objects.create(name=f"Groupement {side}", coordinator=coordinator)
        group.members.set([entity])
        contract = make_contract(
            buyer=coordinator,
            available_to=[entity],
            notification_date=timezone.localdate() - timedelta(days=30),
        )
        document = document_attach(
            actor=None, contract=contract, kind="other", title=side, file=SimpleUploadedFile("a.pdf", b"%PDF")
        )
        line = NeedLine.objects.create(
            campaign=campaign,
            entity=entity,
            family=family,
            description="Location-entretien du linge",
            estimated_amount=Decimal("12000"),
            recurrence="recurring",
        )
        project = project_in_analysis(buyer=buyer, legal=legal, entities=[entity], buyer_entity=support)
        lot = project.lots.first()
        gain = gain_factory(entity=entity, buyer=buyer, notification_date=date(2026, 3, 1))
        person = MembershipFactory(entity=entity, role=Role.PRESCRIBER).user
        plan_action = plan_action_save(
            actor=None,
            action=PlanAction(
                year=2031,
                title=f"Action du plan {side}",
                planned_quarter="2031-T2",
                reference_unit_price=Decimal("10"),
                new_unit_price=Decimal("8"),
                quantity=Decimal("100"),
            ),
            entities=[entity],
        )
        spend_run = SpendImport.objects.create(entity=entity, status="done")
        (media / spend_stored_name(spend_run.pk)).mkdir(parents=True)
        (media / spend_stored_name(spend_run.pk, SPEND_REPORT)).write_text("fichier;ligne\n")
        spend_line = SpendLine.objects.create(
            entity=entity, fiscal_year=2031, mandate_number=f"M-{side}", paid_on=date(2031, 3, 1),
            amount_ht=Decimal("100.00"), account="6021", contract=contract, match_method="reference",
        )  # fmt: skip
        improvement = improvement_save(
            actor=buyer,
            action=ImprovementAction(
                kind="non_conformity", title=f"Non-conformité {side}", project=project, owner=buyer,
                due_on=date(2031, 6, 30),
            ),
        )  # fmt: skip
        incident = incident_save(
            actor=buyer,
            incident=Incident(
                contract=contract, entity=entity, kind="late_delivery", severity="minor",
                occurred_on=timezone.localdate() - timedelta(days=3), description=f"Retard {side}",
            ),
        )  # fmt: skip
        # A QCD campaign on the contract, which the entity used last week: its evaluation to answer.
        today = timezone.localdate()
        SpendLine.objects.create(
            entity=entity, fiscal_year=today.year, mandate_number=f"Q-{side}",
            paid_on=today - timedelta(days=7), amount_ht=Decimal("250.00"), account="6021", contract=contract,
            match_method="reference",
        )  # fmt: skip
        qcd_campaign = campaign_launch(
            actor=buyer,
            campaign=EvaluationCampaign(
                title=f"Évaluation {side}", contract=contract, period_start=today - timedelta(days=30),
                period_end=today, answer_by=today + timedelta(days=30),
            ),
        )  # fmt: skip
        qcd_supplier = {"pk": qcd_campaign.pk, "supplier_pk": contract.holder_links.get().supplier_id}
        # A finished governance report about the entity, asked by the team, with its two files.
        report = GovernanceReport.objects.create(
            year=2031, entity=entity, requested_by=admin_user, status="done"
        )
        for file_format in ("pdf", "xlsx"):
            (media / report_stored_name(report.pk, file_format)).parent.mkdir(parents=True, exist_ok=True)
            (media / report_stored_name(report.pk, file_format)).write_bytes(b"fichier")
        # A client's request of the entity's prescriber, with a file.
        service_request = make_request(person, entity=entity, family=family)
        attachment = attachment_add(
            actor=person, request=service_request, file=SimpleUploadedFile("besoin.pdf", b"%PDF")
        )
        # A library document for the entity's people only, with its file.
        library_document = make_document(
            buyer, title=f"Guide {side}", audience=Audience.ENTITIES, entities=[entity]
        )
        values = {
            "library_document": library_document.pk,
            "library_version": library_document.current_version.pk,
            "service_request": service_request.pk,
            "request_attachment": attachment.pk,
            "governance_report": report.pk,
            "spend_import": spend_run.pk,
            "entity": entity.pk,
            "membership": person.memberships.get().pk,
            "person": person.pk,
            "group": group.pk,
            "adhesion": group.adhesions.get().pk,
            "contract": contract.pk,
            "document": document.pk,
            "line": line.pk,
            "project": project.pk,
            "lot": lot.pk,
            "criterion": project.criteria.first().pk,
            "offer": lot.offers.first().pk,
            "gain": gain.pk,
            "plan_action": plan_action.pk,
            "spend_line": spend_line.pk,
            "improvement": improvement.pk,
            "incident": incident.pk,
            "qcd_campaign": qcd_campaign.pk,
            "evaluation": qcd_campaign.evaluations.get(entity=entity).pk,
            "qcd_supplier": qcd_supplier,
        }
        for key, value in values.items():
            objects.setdefault(key, {})[side] = value
    assert set(OWN_AND_OTHER) <= set(objects)
    # A project published on the portal, at its first stage (the sides' projects stay unpublished).
    portal_project = project_save(
        actor=buyer,
        project=Project(
            object="Achat annoncé sur le portail", family=family, estimated_value=Decimal("50000"),
            planned_launch_quarter="2031-T1", portal_published=True,
        ),
        entities=[sides["own"]],
    )  # fmt: skip
    objects["portal_project"] = portal_project.pk

    # Rows for the admin's record pages that nothing above made
    Group.objects.create(name="Groupe technique")
    Territory.objects.get_or_create(
        defaults={"name": "Territoire de test", "short_name": "GHT", "kind": "ght"}
    )
    notify(recipients=[admin_user], message=Message(key="matrice", subject="Échéance", body="…", url="/"))
    for model in admin.site._registry:  # a past version for the history pages (rows loaded by migrations)
        if hasattr(model, "history") and not model.history.exists():
            model._default_manager.order_by("pk").first().save()
    return {
        "users": users,
        "tokens": {subject: secret for subject, (_, secret) in tokens.items()},
        "sessions": sessions,
        "objects": objects,
        "entity": sides["own"],
    }


def event_surveys(buyer, entity, users) -> dict:
    """A closed matinale which every subject attended: each one's questionnaire."""
    from mutualis.events.models import EventSurvey
    from tests.events.factories import make_event

    event = make_event(buyer, entity=entity, title="Matinale passée")
    type(event).objects.filter(pk=event.pk).update(status="closed")
    return {
        subject: EventSurvey.objects.create(event=event, person=user, sent_at=timezone.now()).pk
        for subject, user in users.items()
    }


def _admin_kwargs(name: str, arguments: list[str], world) -> dict:
    """Arguments of an admin URL: one row of the model it is about."""
    if not arguments:
        return {}
    if name == "admin:auth_user_password_change":  # Django's UserAdmin names it so whatever the model
        return {"id": world["users"][Role.PRESCRIBER].pk}
    if arguments == ["app_label"]:
        return {"app_label": "organisations"}
    if set(arguments) == {"content_type_id", "object_id"}:
        entity = world["entity"]
        return {"content_type_id": ContentType.objects.get_for_model(entity).pk, "object_id": entity.pk}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            if name.endswith("_simple_history"):  # django-simple-history's page of one past version
                version = model.history.order_by("history_id").first()
                return {"0": getattr(version, model._meta.pk.attname), "1": version.history_id}
            row = model._default_manager.order_by("pk").first()
            # A model without rows (task results, written by the worker) is opened with an unknown id:
            # the superuser is sent back to the index, everyone else to the login page.
            return {arguments[0]: str(row.pk) if row else _unknown_id(model)}
    raise AssertionError(f"{name}: no model found for the arguments {arguments}")


def _unknown_id(model) -> str:
    return str(uuid.UUID(int=0)) if model._meta.pk.get_internal_type() == "UUIDField" else "0"


def _url(name: str, rule: Rule, side: str, subject: str, world) -> str:
    arguments = argument_names(resolver_names()[name])
    if name.startswith("admin:"):
        kwargs = _admin_kwargs(name, arguments, world)
        if all(key.isdigit() for key in kwargs):  # unnamed groups
            return reverse(name, args=[kwargs[key] for key in sorted(kwargs)]) if kwargs else reverse(name)
        return reverse(name, kwargs=kwargs)
    if rule.obj is None:
        assert not arguments, f"{name} takes {arguments}: declare obj=…"
        return reverse(name)
    value = world["objects"][rule.obj]
    if side != "-":
        value = value[side]
    if isinstance(value, PerUser):  # the subject's own (anonymous: the first one's)
        value = value.get(subject, next(iter(value.values())))
    kwargs = value if isinstance(value, dict) else {arguments[0]: value}
    return reverse(name, kwargs=kwargs)


# ---------------------------------------------------------------------------------------------------
# The tests


def test_every_url_name_is_declared():
    names = resolver_names()
    # The admin's own unnamed routes (its catch-all, the old "object_id/" redirects) are its business.
    unnamed = sorted(
        route for name, _, route in url_patterns() if name is None and not route.startswith("admin/")
    )
    undeclared = sorted(name for name in names if not declared(name))
    gone = sorted(name for name in [*DECLARATIONS, *ADMIN_EXCEPTIONS] if name not in names)
    missing_objects = sorted(
        name
        for name in DECLARATIONS
        if name in names and argument_names(names[name]) and not rules_of(name)[0].obj
    )
    assert not undeclared, f"URL names without a declaration in {__name__}.DECLARATIONS: {undeclared}"
    assert not gone, f"declared URL names no longer in the resolver: {gone}"
    assert not unnamed, f"URLs without a name cannot be declared: {unnamed}"
    assert not missing_objects, f"URLs with arguments declared without obj=…: {missing_objects}"


def test_the_matrix_is_large_enough():
    """Every role and side is exercised: a change to CASES that drops most of them shows here."""
    assert len(CASES) > 1500


def _request(client, name, rule, method, side, subject, world):
    url = _url(name, rule, side, subject, world)
    headers = {}
    if subject != ANONYMOUS:
        if rule.kind == "api":
            headers["HTTP_AUTHORIZATION"] = f"Token {world['tokens'][subject]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][subject]
    if method == "GET":
        response = client.get(url, rule.query, **headers)
    elif method == "PATCH":
        response = client.patch(url, "{}", content_type="application/json", **headers)
    else:
        response = client.post(url, {}, **headers)
    if response.streaming:  # read to the end: the test client closes it then (files stay open otherwise)
        b"".join(response.streaming_content)
    return url, response


@pytest.mark.parametrize(("name", "index", "method", "side", "subject"), CASES)
def test_answer(client, db, world, name, index, method, side, subject):
    rule = rules_of(name)[index]
    url, response = _request(client, name, rule, method, side, subject, world)
    status = response.status_code
    where = f"{method} {url} as {subject} ({side}): {status}"
    if rule.allowed(subject, side):
        if method != "GET" or rule.kind == "admin":
            assert status not in REFUSALS and status < 500, f"{where}, expected the action to be allowed"
        else:
            assert status in rule.ok, f"{where}, expected {rule.ok}"
        return
    if subject == ANONYMOUS:
        if rule.kind == "api":
            assert status == 401, f"{where}, expected 401"
        else:
            login = reverse((rule.refused_to or "admin:login") if rule.kind == "admin" else "login")
            assert status == 302 and response["Location"].startswith(login), (
                f"{where}, expected the login page"
            )
        return
    if subject == SUPERUSER:
        expected = rule.hidden if side == "other" else rule.denied
        assert status == expected, f"{where}, expected {expected}"
        return
    if rule.kind == "admin":
        login = reverse(rule.refused_to or "admin:login")
        assert status == 302 and response["Location"].startswith(login), f"{where}, expected the admin login"
        return
    role = Role(subject)
    out_of_scope = role in rule.roles or (rule.scope_first and role not in TEAM)
    expected = rule.hidden if side == "other" and out_of_scope else rule.denied
    assert status == expected, f"{where}, expected {expected}"
