"""Declaring an incident (each refusal on its field, nothing written), its workflow (who moves it, the
outcome required to close, one log row per move) and its reads."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mutualis.evaluations.models import Incident, IncidentStatus, IncidentTransition
from mutualis.evaluations.services.incidents import incident_save, incident_transition
from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.suppliers.factories import SupplierFactory


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def referent(role_users):
    return role_users[Role.REFERENT]


@pytest.fixture
def contract(support, hospital, buyer):
    """Bought by the support establishment, available to the member hospital, one holder."""
    found = make_contract(buyer=support, available_to=[hospital], notification_date=date(2026, 1, 5))
    found.manager = buyer
    found.save()
    return found


def _refusal(actor, **fields) -> dict:
    with pytest.raises(ValidationError) as caught:
        make_incident(actor, **fields)
    assert not Incident.objects.exists() and not IncidentTransition.objects.exists()
    return caught.value.message_dict


def test_a_referent_declares_for_his_entity_the_sole_holder_by_default(referent, buyer, contract, hospital):
    incident = make_incident(referent, contract=contract, entity=hospital, penalty_amount=Decimal("150.00"))
    assert incident.supplier == contract.holders.get()
    assert incident.status == IncidentStatus.DECLARED and incident.declared_by == referent
    assert [(t.name, t.by) for t in incident.transitions.all()] == [("declare", referent)]
    assert incident.history.count() == 1
    # The contract's buyer hears of it, once.
    notice = Notification.objects.get(recipient=buyer)
    assert contract.reference in notice.subject and notice.url == incident.get_absolute_url()


def test_the_declarer_is_not_told_of_his_own_incident(buyer, contract, hospital):
    make_incident(buyer, contract=contract, entity=hospital)
    assert not Notification.objects.exists()


def test_a_future_date_is_refused_on_its_field(referent, contract, hospital):
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = _refusal(referent, contract=contract, entity=hospital, occurred_on=tomorrow)
    assert list(errors) == ["occurred_on"] and "futur" in errors["occurred_on"][0]


def test_a_date_before_the_notification_is_refused(referent, contract, hospital):
    errors = _refusal(referent, contract=contract, entity=hospital, occurred_on=date(2025, 12, 31))
    assert "notification du contrat" in errors["occurred_on"][0]


def test_a_negative_penalty_is_refused_on_its_field(referent, contract, hospital):
    errors = _refusal(referent, contract=contract, entity=hospital, penalty_amount=Decimal("-1"))
    assert list(errors) == ["penalty_amount"] and "négatives" in errors["penalty_amount"][0]


def test_a_supplier_that_holds_no_part_of_the_contract_is_refused(referent, contract, hospital):
    stranger = SupplierFactory(name="Étranger au contrat")
    errors = _refusal(referent, contract=contract, entity=hospital, supplier=stranger)
    assert errors["supplier"] == [
        f"{stranger} n'est pas titulaire du contrat {contract.reference} : choisissez l'un de ses titulaires."
    ]


def test_with_several_holders_the_supplier_must_be_chosen(referent, support, hospital):
    first, second = SupplierFactory(), SupplierFactory()
    shared = make_contract(buyer=support, available_to=[hospital], holders=[first, second])
    errors = _refusal(referent, contract=shared, entity=hospital)
    assert "plusieurs titulaires" in errors["supplier"][0]
    assert make_incident(referent, contract=shared, entity=hospital, supplier=second).supplier == second


def test_an_entity_role_outside_its_entities_is_refused_naming_the_entity(
    referent, support, other_hospital, contract
):
    elsewhere = make_contract(buyer=support, available_to=[other_hospital])
    errors = _refusal(referent, contract=elsewhere, entity=other_hospital)
    assert list(errors) == ["entity"] and str(other_hospital) in errors["entity"][0]


def test_a_contract_the_entity_cannot_use_is_refused_naming_the_contract(buyer, support, other_hospital):
    """Even the team: the entity must buy the contract or have it at its disposal."""
    own = make_contract(buyer=support)
    errors = _refusal(buyer, contract=own, entity=other_hospital)
    assert list(errors) == ["contract"] and own.reference in errors["contract"][0]


def test_missing_fields_are_named(referent, contract, hospital):
    errors = _refusal(referent, contract=contract, entity=hospital, description="", occurred_on=None)
    assert {"description", "occurred_on"} <= set(errors)


def test_roles_without_the_right_cannot_declare(role_users, contract, hospital):
    for role in (Role.PRESCRIBER, Role.GOVERNANCE, Role.CONTROLLER):
        with pytest.raises(PermissionDenied):
            make_incident(role_users[role], contract=contract, entity=hospital)
    assert make_incident(role_users[Role.FAMILY_CORRESPONDENT], contract=contract, entity=hospital).pk


def test_an_edit_keeps_the_workflow_fields_and_a_closed_incident_is_not_edited(
    referent, buyer, contract, hospital
):
    incident = make_incident(referent, contract=contract, entity=hospital)
    incident.description = "Retard de cinq jours, finalement."
    incident.status, incident.outcome = IncidentStatus.CLOSED, "forgé"  # ignored: the workflow's
    incident = incident_save(actor=referent, incident=incident)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DECLARED and incident.outcome == ""
    assert incident.description == "Retard de cinq jours, finalement."
    incident_transition(actor=buyer, incident=incident, name="close", comment="Pénalités appliquées.")
    incident.refresh_from_db()
    incident.description = "Autre chose"
    with pytest.raises(ValidationError, match="rouvrez-le"):
        incident_save(actor=referent, incident=incident)


def test_the_workflow_logs_each_move_and_closing_needs_an_outcome(buyer, referent, contract, hospital):
    incident = make_incident(referent, contract=contract, entity=hospital)
    with pytest.raises(PermissionDenied):  # an entity role declares, the purchasing team handles
        incident_transition(actor=referent, incident=incident, name="handle")
    incident = incident_transition(actor=buyer, incident=incident, name="handle")
    assert incident.status == IncidentStatus.HANDLING and incident.handled_by == buyer
    with pytest.raises(ValidationError) as caught:
        incident_transition(actor=buyer, incident=incident, name="close", comment="  ")
    assert list(caught.value.message_dict) == ["comment"]
    incident = incident_transition(actor=buyer, incident=incident, name="close", comment="Avoir obtenu.")
    assert (incident.status, incident.outcome, incident.closed_on) == (
        IncidentStatus.CLOSED,
        "Avoir obtenu.",
        timezone.localdate(),
    )
    with pytest.raises(ValidationError):  # reopening says why
        incident_transition(actor=buyer, incident=incident, name="reopen")
    incident = incident_transition(
        actor=buyer, incident=incident, name="reopen", comment="Le défaut revient."
    )
    assert incident.status == IncidentStatus.HANDLING and incident.closed_on is None
    log = [(t.name, t.from_status, t.to_status, t.by) for t in incident.transitions.all()]
    assert log == [
        ("declare", "declared", "declared", referent),
        ("handle", "declared", "handling", buyer),
        ("close", "handling", "closed", buyer),
        ("reopen", "closed", "handling", buyer),
    ]


def test_reads_for_the_supplier_and_contract_pages(
    buyer, referent, support, hospital, other_hospital, contract
):
    holder = contract.holders.get()
    other = make_contract(buyer=support, available_to=[other_hospital], holders=[holder])
    first = make_incident(referent, contract=contract, entity=hospital, occurred_on=date(2026, 2, 1))
    second = make_incident(referent, contract=contract, entity=hospital, occurred_on=date(2026, 4, 1))
    elsewhere = make_incident(buyer, contract=other, entity=other_hospital)
    assert list(Incident.objects.of_contract(contract)) == [second, first]
    assert list(Incident.objects.of_supplier(holder)) == [second, elsewhere, first]
    # A referent reads his own entities' incidents only.
    assert list(Incident.objects.for_user(referent).of_supplier(holder)) == [second, first]
    assert list(Incident.objects.open().between(date(2026, 3, 1), None)) == [second, elsewhere]


def test_penalties_are_never_read_by_the_gains():
    """The gains module does not know the incidents' penalties (never counted as a gain)."""
    import pathlib

    import mutualis.gains

    root = pathlib.Path(mutualis.gains.__file__).parent
    sources = "".join(path.read_text() for path in root.rglob("*.py"))
    assert "penalty_amount" not in sources and "evaluations" not in sources
