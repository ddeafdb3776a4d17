"""The law lives in the legal app's data files: no Python module of the application writes a legal
amount, duration or date of its own (issue 10). The values looked for are read from the shipped data."""

import ast
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import mutualis
from mutualis.legal.rules import shipped_rows

SOURCE = Path(mutualis.__file__).parent
AMOUNT_RULES = {"waiver", "publicity", "buyer_profile", "eu", "eu_sss", "decp_minimum_amount"}
DURATION_RULES = {"time_limit", "reduced_time_limit", "standstill_days", "standstill_days_not_electronic"}
# Numbers that equal a legal amount or duration by chance, each with its reason.
# A constant named like a time limit holds durations: its numbers are looked at too.
DURATION_NAME = re.compile(r"limit|days|delai|standstill", re.IGNORECASE)
NOT_LAW = {
    (
        "events/models/event.py",
        Decimal(15),
    ): "the days before a matinale its invitations leave (product setting)",
}


def _legal_values():
    rows = shipped_rows()
    amounts = {row.value for row in rows if row.rule in AMOUNT_RULES}
    days = {int(row.value) for row in rows if row.rule in DURATION_RULES}
    # The first of January is any year's start; the other dates of the table are the law's own.
    dates = {row.valid_from for row in rows if (row.valid_from.month, row.valid_from.day) != (1, 1)}
    return amounts, days, dates


def _number(node) -> Decimal | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str):
        try:
            return Decimal(str(node.value).replace("_", ""))
        except InvalidOperation:
            return None
    return None


def _date(node) -> date | None:
    if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "date":
        parts = [n.value for n in node.args if isinstance(n, ast.Constant) and isinstance(n.value, int)]
        if len(parts) == 3 == len(node.args):
            try:
                return date(*parts)
            except ValueError:
                return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return date.fromisoformat(node.value)
        except ValueError:
            return None
    return None


def law_in(tree: ast.AST, relative: str, amounts, days, dates) -> list[str]:
    """The legal values written in one module, as 'file:line value'."""
    found = []
    for node in ast.walk(tree):
        number = _number(node)
        if number is not None and number in amounts and (relative, number) not in NOT_LAW:
            found.append(f"{relative}:{node.lineno} montant {number}")
        if isinstance(node, ast.keyword) and node.arg == "days" and _number(node.value) in days:
            found.append(f"{relative}:{node.value.lineno} durée {node.value.value} jours")
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and DURATION_NAME.search(t.id) for t in targets):
                found += [
                    f"{relative}:{n.lineno} durée {n.value} jours"
                    for n in ast.walk(node.value)
                    if isinstance(n, ast.Constant)
                    and isinstance(n.value, int)
                    and n.value in days
                    and (relative, Decimal(n.value)) not in NOT_LAW
                ]
        day = _date(node)
        if day is not None and day in dates:
            found.append(f"{relative}:{node.lineno} date {day}")
    return sorted(found, key=lambda hit: int(hit.split(":")[1].split()[0]))


def modules():
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" not in relative and not relative.startswith("legal/data/"):
            yield relative, ast.parse(path.read_text(encoding="utf-8"))


def test_no_legal_amount_duration_or_date_in_the_code():
    amounts, days, dates = _legal_values()
    found = [hit for relative, tree in modules() for hit in law_in(tree, relative, amounts, days, dates)]
    assert found == [], (
        "Valeurs juridiques écrites dans le code (à déplacer dans legal/data) :\n" + "\n".join(found)
    )


def test_the_scan_finds_what_it_looks_for():
    """The check above would fail on a module that wrote a threshold, a time limit or a Loi Climat date."""
    amounts, days, dates = _legal_values()
    assert {Decimal(40000), Decimal(216000)} <= amounts and {11, 30} <= days and date(2026, 8, 22) in dates
    code = (
        "from datetime import date, timedelta\n"
        "WAIVER = Decimal('60000')\n"
        "EU = 216_000\n"
        "deadline = sent + timedelta(days=30)\n"
        "climat = date(2026, 8, 22)\n"
        "not_law = 60001, timedelta(days=31)\n"
        "TIME_LIMITS = {'appel_offres_ouvert': {'offres': 30}}\n"
        "PAGE_SIZE = 25\n"
    )
    found = law_in(ast.parse(code), "x.py", amounts, days, dates)
    assert found == [
        "x.py:2 montant 60000",
        "x.py:3 montant 216000",
        "x.py:4 durée 30 jours",
        "x.py:5 date 2026-08-22",
        "x.py:7 durée 30 jours",
    ]
