"""The one table of the law: loaded from the shipped files, read for a date, extended by a new decree."""

import ast
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import mutualis
from mutualis.legal import consultation, publication
from mutualis.legal.models import LegalRule
from mutualis.legal.rules import MissingRule, in_force, shipped_rows
from mutualis.legal.vocabulary import Procedure
from mutualis.legal.working_days import next_working_day

LEGAL = Path(mutualis.__file__).parent / "legal"


def _write(tmp_path, rows, name="decret.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"source": "test", "rows": rows}), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_table_holds_every_shipped_row():
    key = ("rule", "scope", "nature", "buyer_kind", "valid_from", "value", "reference")
    stored = set(LegalRule.objects.values_list(*key))
    shipped = {tuple(getattr(row, k) for k in key) for row in shipped_rows()}
    assert shipped <= stored and len(shipped) > 40


@pytest.mark.django_db
def test_the_reader_takes_the_latest_row_and_names_it():
    before, after = in_force(date(2026, 8, 21)), in_force(date(2026, 8, 22))
    assert before.find("environmental_condition").flag is False
    climat = after.find("environmental_condition")
    assert climat.flag is True and climat.valid_from == date(2026, 8, 22) and "Loi Climat" in climat.reference
    # The row of the buyer kind wins over the general one of the same date.
    assert in_force(date(2026, 6, 1)).find("eu_sss", buyer_kind="entite_adjudicatrice").value == 1_000_000
    assert in_force(date(2026, 6, 1)).find("eu_sss", buyer_kind="autorite_centrale").value == 750_000


@pytest.mark.django_db
def test_a_missing_rule_is_a_french_error_naming_rule_and_date():
    with pytest.raises(MissingRule, match=r"« délai de suspension » .* 01/01/2018"):
        consultation.rules_on(date(2018, 1, 1))


@pytest.mark.django_db
def test_a_new_decree_changes_every_kind_of_rule_from_its_date(tmp_path):
    decree = _write(
        tmp_path,
        [
            {
                "rule": "standstill_days",
                "valid_from": "2028-01-01",
                "value": "20",
                "reference": "décret fictif",
            },
            {
                "rule": "publication_deadline_months",
                "valid_from": "2028-01-01",
                "value": "1",
                "reference": "fictif",
            },
        ],
    )
    call_command("load_legal_rules", str(decree))
    assert consultation.rules_on(date(2027, 12, 31)).standstill_days == 11
    assert consultation.rules_on(date(2028, 1, 1)).standstill_days == 20
    assert publication.publication_deadline_months(date(2027, 12, 31)) == 2
    assert publication.publication_deadline_months(date(2028, 1, 1)) == 1
    call_command("load_legal_rules", str(decree))  # loading twice changes nothing
    assert LegalRule.objects.filter(rule="standstill_days").count() == 2


@pytest.mark.django_db
def test_a_bad_file_is_refused_whole_with_file_line_and_field(tmp_path):
    decree = _write(
        tmp_path,
        [
            {"rule": "standstill_days", "valid_from": "2029-01-01", "value": "20", "reference": "bon"},
            {"rule": "standstill_days", "valid_from": "2029-01-01", "reference": "sans valeur"},
        ],
    )
    with pytest.raises(CommandError, match=r"decret.json, ligne 2 : le champ « value » manque"):
        call_command("load_legal_rules", str(decree))
    assert not LegalRule.objects.filter(valid_from=date(2029, 1, 1)).exists()
    with pytest.raises(CommandError, match="« rows »"):
        call_command("load_legal_rules", str(_write(tmp_path, None, "vide.json")))


@pytest.mark.django_db
def test_time_limits_and_their_reductions():
    day = date(2026, 6, 1)
    assert consultation.minimum_time_limit_days(Procedure.OPEN, day=day) == 30
    assert consultation.minimum_time_limit_days(Procedure.RESTRICTED, "urgency", day=day) == 15
    assert consultation.minimum_time_limit_days(Procedure.RESTRICTED, "prior_notice", day=day) == 30
    # The law gives the competitive dialogue no reduced limit.
    assert consultation.minimum_time_limit_days(Procedure.DIALOGUE, "urgency", day=day) == 30
    assert consultation.minimum_time_limit_days(Procedure.ADAPTED, day=day) is None


def test_public_holidays_carry_to_the_next_working_day():
    assert next_working_day(date(2026, 7, 14)) == date(2026, 7, 15)  # Fête nationale, a Tuesday
    assert next_working_day(date(2026, 12, 26)) == date(2026, 12, 28)  # a Saturday
    assert next_working_day(date(2026, 6, 2)) == date(2026, 6, 2)


def test_the_shipped_rules_answer_without_the_database():
    rules = consultation.rules_on(date(2026, 9, 1), rows=shipped_rows())
    assert (rules.standstill_days, rules.abnormally_low_share_of_estimate) == (11, Decimal("0.70"))
    assert rules.environmental_award_criterion


def test_the_legal_app_calls_no_other_domain_app():
    """At the bottom of the graph: Django, the standard library, `holidays`, mutualis.core at most."""
    imported = set()
    for path in LEGAL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    ours = {name for name in imported if name.startswith("mutualis")}
    assert ours <= {"mutualis", "mutualis.core", "mutualis.legal"} | {
        name for name in ours if name.startswith(("mutualis.legal.", "mutualis.core."))
    }
