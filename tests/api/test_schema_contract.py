"""The API keeps its own contract: Schemathesis generates requests from the served OpenAPI schema (valid
and invalid ones) and every answer must be documented, well-typed and never a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.models import ServiceRequest
from mutualis.contracts.models import Contract
from mutualis.evaluations.models import Evaluation, EvaluationCampaign, Incident
from mutualis.organisations.models import Entity, User
from mutualis.procurements.models import Project
from mutualis.suppliers.models import Supplier
from mutualis.tokens.models import TokenScope
from mutualis.tokens.services import token_create

# Bounded and derandomized: the same requests on every run, within the file's time budget.
EXAMPLES = 6
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
# Who calls: a buyer's read-only token, the same buyer's read-and-write token (a manager, who may also move
# projects and edit suppliers), and nobody.
CALLERS = {"read_only": TokenScope.READ, "manager": TokenScope.WRITE, "anonymous": None}


def token_header(scope: str | None) -> dict:
    """The Authorization header of the demo buyer (the one place that knows how API tokens are made)."""
    if scope is None:
        return {}
    secret = token_create(
        actor=User.objects.get(username="acheteur"), name="Schemathesis", scope=scope, days=1
    )[1]
    return {"Authorization": f"Token {secret}"}


# A well-formed id or code may still name no record the caller may use (a filter's buyer, a family code),
# a well-formed move may be refused by the project's state, a date precede the law's first dated
# thresholds, an edit break a rule of the record (a SIRET's checksum, a postal code), a gain estimate lack
# the field its kind needs (gains/method.py), an answer's marks miss a criterion of the campaign's grid, a
# request be asked for an entity the caller may not ask for or be in a state that refuses the move:
# no schema can say which, so there a schema-valid request may get a 400 (which the schema documents).
# A move may also carry the project's version read: a version that is not the current one gets the
# documented 409 (which request hits a movable project depends on the demo's ids): moves have their own
# block. Every other check keeps its defaults.
MAY_REFUSE = "^/api/v1/(portail/)?[a-z-]+/$|/(answer|assign|messages)/$|/procedure-estimate$|/gains/estimate$"
CONFIG = f"""
[[operations]]
include-path-regex = "{MAY_REFUSE}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "429"]

[[operations]]
include-path-regex = "/transitions/$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]

[[operations]]
include-method = "PATCH"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409"]
"""


def in_test_transaction(app):
    """The WSGI app, without the end-of-request close of "old" connections: inside the test's transaction
    PostgreSQL's connection would be closed and the demo lost (Django's test client does the same)."""

    def call(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = app(environ, start_response)
            try:
                return list(response)
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return call


@pytest.fixture(scope="module")
def api_schema(demo_for_module):
    app = in_test_transaction(get_wsgi_application())
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", app, config=schemathesis.Config.from_str(CONFIG)
    )


DETAILS = {
    "contracts": Contract,
    "projects": Project,
    "entities": Entity,
    "suppliers": Supplier,
    "purchase-families": PurchaseFamily,
    "incidents": Incident,
    "evaluation-campaigns": EvaluationCampaign,
    "evaluations": Evaluation,
    "service-requests": ServiceRequest,
    # The portal's public API: its records are among these (a published project, a public contract).
    "portail/achats-prevus": Project,
    "portail/consultations": Project,
    "portail/marches": Contract,
}


def existing_ids(path: str) -> list[int]:
    """Real ids for the detail routes, so that their 200 answers are checked too, not only 404s."""
    parts = path.split("/")  # /api/v1/<resource>/{id}/… or /api/v1/portail/<resource>/{id}/
    model = DETAILS.get("/".join(parts[3:5]) if parts[3] == "portail" else parts[3])
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:20]) if model else []


def cases(operation, mode, headers):
    generated = operation.as_strategy(generation_mode=mode, headers=headers)
    ids = existing_ids(operation.path) if "{id}" in operation.path else []
    if mode is GenerationMode.NEGATIVE or not ids:
        return generated
    known = st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(generation_mode=mode, headers=headers, path_parameters={"id": pk})
    )
    return st.one_of(known, generated)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("caller", CALLERS)
def test_every_operation_keeps_the_contract(api_schema, db, caller, mode):
    """Every built-in check (all are enabled by default), on every operation, for each caller."""
    headers = token_header(CALLERS[caller])
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 39  # a schema that failed to load would test nothing
    failures, statuses = [], set()
    for operation in operations:

        @HYPOTHESIS
        @given(case=cases(operation, mode, headers))
        def run(case):
            statuses.add(case.call_and_validate(headers=headers).status_code)

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to get wrong in the request
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
    # The run reached the data, not only the doors: tokens were read, records served, strangers refused.
    if mode is GenerationMode.POSITIVE:
        assert 200 in statuses, statuses
    assert (401 in statuses) == (caller == "anonymous"), statuses
