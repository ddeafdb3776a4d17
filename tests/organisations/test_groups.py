"""A joint purchasing group's convention (L2113-7) and its members' adhesions over time: a member's
decision, then its signature of the convention, then maybe its departure; only a signed member takes
part in the group's procedures."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.organisations.groups import AdhesionStatus, ConventionDuration, CostSharing
from mutualis.organisations.models import GroupMembership, PurchasingGroup
from mutualis.organisations.roles import Role
from mutualis.organisations.services import (
    adhesion_leave,
    adhesion_record_decision,
    adhesion_sign,
    group_save,
)


@pytest.fixture
def group(support):
    return PurchasingGroup.objects.create(name="Groupement linge", coordinator=support)


def field_errors(error: ValidationError) -> dict[str, str]:
    return {field: " ".join(messages) for field, messages in error.message_dict.items()}


def test_the_convention_says_its_duration_roles_and_costs(support):
    group = PurchasingGroup(name="G", coordinator=support, duration=ConventionDuration.FIXED)
    group.cost_sharing = CostSharing.OTHER
    with pytest.raises(ValidationError) as caught:
        group.full_clean()
    errors = field_errors(caught.value)
    assert errors["starts_on"].startswith("Le début de la convention")
    assert errors["ends_on"].startswith("La fin de la convention")
    assert errors["cost_sharing_details"].startswith("Précisez les modalités du partage des frais")
    group.starts_on, group.ends_on = date(2026, 1, 1), date(2025, 12, 31)
    group.cost_sharing_details = "10 % au coordonnateur, le reste au prorata"
    with pytest.raises(ValidationError, match="ne peut précéder son début"):
        group.full_clean()
    group.ends_on = date(2029, 12, 31)
    group.full_clean()
    # Until the end of the contracts: no end date; the usual defaults (coordinator signs, each executes).
    default = PurchasingGroup(name="H", coordinator=support)
    assert (default.duration, default.signature_by, default.execution_by, default.cost_sharing) == (
        "contracts",
        "coordinator",
        "each_member",
        "none",
    )
    default.ends_on = date(2030, 1, 1)
    with pytest.raises(ValidationError, match="jusqu'au terme des marchés"):
        default.full_clean()


def test_an_adhesion_is_decided_then_signed_then_left(role_users, group, hospital):
    buyer = role_users[Role.BUYER]
    adhesion = adhesion_record_decision(
        actor=buyer,
        group=group,
        entity=hospital,
        decision_date=date(2026, 3, 10),
        decision_reference="Délibération n° 2026-12",
    )
    assert adhesion.joined_on == date(2026, 3, 10)  # joins on its decision unless told otherwise
    assert adhesion.status(date(2026, 4, 1)) == AdhesionStatus.PENDING
    assert group.member_ids() == {group.coordinator_id, hospital.pk}  # a member, signed or not
    assert group.signed_member_ids(on=date(2026, 4, 1)) == {group.coordinator_id}
    adhesion_sign(actor=buyer, adhesion=adhesion, signed_on=date(2026, 4, 2))
    assert group.signed_member_ids(on=date(2026, 4, 1)) == {group.coordinator_id}
    assert group.signed_member_ids(on=date(2026, 4, 2)) == {group.coordinator_id, hospital.pk}
    assert adhesion.status(date(2026, 4, 2)) == AdhesionStatus.SIGNED
    adhesion_leave(actor=buyer, adhesion=adhesion, left_on=date(2026, 10, 1))
    assert group.signed_member_ids(on=date(2026, 9, 30)) == {group.coordinator_id, hospital.pk}
    assert group.signed_member_ids(on=date(2026, 10, 1)) == {group.coordinator_id}
    assert adhesion.status(date(2026, 10, 1)).label == "sortie"
    assert group.member_ids() == {group.coordinator_id}  # a member that left is no longer one
    # Each step is in the adhesion's history.
    steps = adhesion.history.order_by("history_date")
    assert [(h.signed_on, h.left_on) for h in steps] == [
        (None, None),
        (date(2026, 4, 2), None),
        (date(2026, 4, 2), date(2026, 10, 1)),
    ]


def test_dates_are_checked_and_errors_name_the_field(role_users, group, hospital, support):
    buyer = role_users[Role.BUYER]
    with pytest.raises(ValidationError) as caught:
        adhesion_record_decision(
            actor=buyer, group=group, entity=support, decision_date=date(2026, 3, 1), decision_reference="D"
        )
    assert field_errors(caught.value)["entity"].startswith("CHU de test coordonne")
    with pytest.raises(ValidationError) as caught:
        adhesion_record_decision(
            actor=buyer, group=group, entity=hospital, decision_date=date(2026, 3, 1), decision_reference=" "
        )
    assert field_errors(caught.value)["decision_reference"].startswith("Indiquez la référence de la décision")
    adhesion = adhesion_record_decision(
        actor=buyer, group=group, entity=hospital, decision_date=date(2026, 3, 10), decision_reference="D1"
    )
    with pytest.raises(ValidationError) as caught:
        adhesion_sign(actor=buyer, adhesion=adhesion, signed_on=date(2026, 3, 9))
    assert field_errors(caught.value) == {
        "signed_on": "La date de signature ne peut précéder la décision du membre (10 mars 2026)."
    }
    with pytest.raises(ValidationError) as caught:
        adhesion_leave(actor=buyer, adhesion=adhesion, left_on=date(2026, 3, 1))
    assert field_errors(caught.value) == {
        "left_on": "La date de sortie ne peut précéder la date d'adhésion (10 mars 2026)."
    }
    adhesion.refresh_from_db()
    assert (adhesion.signed_on, adhesion.left_on) == (None, None)


def test_a_signature_needs_the_members_decision_first(role_users, group, hospital):
    adhesion = GroupMembership.objects.create(group=group, entity=hospital)
    with pytest.raises(ValidationError, match="Enregistrez d'abord la décision de Centre hospitalier membre"):
        adhesion_sign(actor=role_users[Role.BUYER], adhesion=adhesion, signed_on=date(2026, 3, 1))


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIBER, Role.GOVERNANCE, Role.CONTROLLER])
def test_only_group_managers_record_adhesions(role_users, group, hospital, role):
    actor = role_users[role]
    with pytest.raises(PermissionDenied):
        adhesion_record_decision(
            actor=actor, group=group, entity=hospital, decision_date=date(2026, 3, 1), decision_reference="D"
        )
    adhesion = GroupMembership.objects.create(group=group, entity=hospital, decision_date=date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        adhesion_sign(actor=actor, adhesion=adhesion, signed_on=date(2026, 3, 2))
    with pytest.raises(PermissionDenied):
        adhesion_leave(actor=actor, adhesion=adhesion, left_on=date(2026, 3, 2))


def test_the_group_form_adds_members_pending_and_keeps_those_that_signed(
    role_users, group, hospital, other_hospital
):
    buyer = role_users[Role.BUYER]
    group_save(actor=buyer, group=group, members=[hospital, other_hospital], scope_families=[])
    assert {a.status().label for a in group.adhesions.all()} == {"en attente de signature"}
    adhesion = group.adhesions.get(entity=hospital)
    adhesion_record_decision(
        actor=buyer, group=group, entity=hospital, decision_date=date(2026, 3, 1), decision_reference="D"
    )
    adhesion.refresh_from_db()
    adhesion_sign(actor=buyer, adhesion=adhesion, signed_on=date(2026, 3, 2))
    with pytest.raises(ValidationError) as caught:
        group_save(actor=buyer, group=group, members=[], scope_families=[])
    assert "Centre hospitalier membre a déjà délibéré ou signé" in field_errors(caught.value)["members"]
    # A member that never decided nor signed was an entry error: it simply goes.
    group_save(actor=buyer, group=group, members=[hospital], scope_families=[])
    assert list(group.members.all()) == [hospital]


def test_signed_members_are_counted_per_group(role_users, group, hospital, other_hospital):
    GroupMembership.objects.create(group=group, entity=hospital, signed_on=date(2026, 1, 5))
    GroupMembership.objects.create(group=group, entity=other_hospital)
    [row] = PurchasingGroup.objects.with_signed_count(on=date(2026, 2, 1))
    assert row.signed_count == 1
