"""The one reader of the law: dated rows (data/*.json → LegalRule table), asked "what was in force on D".

Which rule applies is fixed by a date (the launch of the consultation, the notification…; DOMAIN.md
§1.1), so every lookup takes that date and every answer names the row it used.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SHIPPED_FILES = tuple(sorted(DATA_DIR.glob("*.json")))


class MissingRule(Exception):
    """No row of the table covers the date: the table must be completed before computing."""


@dataclass(frozen=True)
class Applied:
    """One row in force: its value, the date it applies from and the text it comes from."""

    rule: str
    value: Decimal
    valid_from: date
    reference: str

    @property
    def amount(self) -> Decimal:
        return self.value

    @property
    def days(self) -> int:
        return int(self.value)

    @property
    def flag(self) -> bool:
        return bool(self.value)


class RuleBook:
    """The rows in force on one date."""

    def __init__(self, rows, *, day: date):
        self.day = day
        self.rows = [r for r in rows if r.valid_from <= day]

    def find(
        self, rule: str, *, scope: str = "", natures: tuple[str, ...] = ("",), buyer_kind: str = ""
    ) -> Applied | None:
        """The latest row of that rule and scope, for one of the natures, the buyer kind (or all)."""
        candidates = [
            r
            for r in self.rows
            if r.rule == rule
            and r.scope == scope
            and r.nature in natures
            and r.buyer_kind in (buyer_kind, "")
        ]
        if not candidates:
            return None
        # Latest date first; on a tie, the row specific to the buyer kind wins over the general one.
        best = max(candidates, key=lambda r: (r.valid_from, r.buyer_kind == buyer_kind))
        return Applied(best.rule, best.value, best.valid_from, best.reference)

    def require(self, rule: str, what: str, **criteria) -> Applied:
        """Like find(), but a missing row is an error naming the rule and the date."""
        applied = self.find(rule, **criteria)
        if applied is None:
            raise MissingRule(f"Aucune règle « {what} » n'est définie au {self.day:%d/%m/%Y}.")
        return applied


@dataclass(frozen=True)
class Row:
    """A row of a shipped data file, shaped like a LegalRule: the reader takes either."""

    rule: str
    scope: str
    nature: str
    buyer_kind: str
    valid_from: date
    value: Decimal
    reference: str


def shipped_rows(paths=SHIPPED_FILES) -> list[Row]:
    """The rows of the shipped data files, without the database (tests, checks of the code)."""
    return [Row(**row) for row in _read(paths)]


def rule_rows():
    """Every row of the table (some fifty): read once, then reused for many computations."""
    from .models import LegalRule  # the reader is imported by models of other apps: no cycle

    return list(LegalRule.objects.all())


def in_force(day: date, *, rows: list | None = None) -> RuleBook:
    """The rules in force on `day`; `rows` (from rule_rows()) saves a query per computation."""
    return RuleBook(rule_rows() if rows is None else rows, day=day)


def versions_of(rule: str, *, scope: str = "", rows: list | None = None) -> list[Applied]:
    """Every dated value of one general rule (all natures and buyers), oldest first."""
    rows = rule_rows() if rows is None else rows
    found = [r for r in rows if r.rule == rule and r.scope == scope and not r.nature and not r.buyer_kind]
    return [
        Applied(r.rule, r.value, r.valid_from, r.reference) for r in sorted(found, key=lambda r: r.valid_from)
    ]


def _parsed(raw: dict, path: Path, line: int) -> dict:
    """One row of a data file; the old threshold shape (kind, amount) is read too."""
    where = f"{path.name}, ligne {line}"
    value = raw.get("value", raw.get("amount"))
    if value is None:
        raise ValueError(f"{where} : le champ « value » manque.")
    rule = raw.get("rule") or raw.get("kind")
    if not rule:
        raise ValueError(f"{where} : le champ « rule » manque.")
    try:
        value = Decimal(str(value))
        valid_from = date.fromisoformat(raw["valid_from"])
        reference = raw["reference"]
    except KeyError as error:
        raise ValueError(f"{where} : le champ « {error.args[0]} » manque.") from error
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"{where} : valeur ou date « valid_from » invalide ({error}).") from error
    return {
        "rule": rule,
        "scope": raw.get("scope", ""),
        "nature": raw.get("nature", ""),
        "buyer_kind": raw.get("buyer_kind", ""),
        "valid_from": valid_from,
        "value": value,
        "reference": reference,
    }


def _read(paths) -> list[dict]:
    """Every row of the files, checked: a French error names the file, the line and the field."""
    parsed = []
    for path in map(Path, paths):
        rows = json.loads(path.read_text(encoding="utf-8")).get("rows")
        if not isinstance(rows, list):
            raise ValueError(f"{path.name} : la liste « rows » des règles manque.")
        parsed += [_parsed(raw, path, index) for index, raw in enumerate(rows, start=1)]
    return parsed


def load_rules(model, paths=SHIPPED_FILES) -> int:
    """Insert or update rows by (rule, scope, nature, buyer kind, date); takes the model for migrations."""
    parsed = _read(paths)
    for row in parsed:  # every file is checked before anything is written
        keys = {k: row[k] for k in ("rule", "scope", "nature", "buyer_kind", "valid_from")}
        model.objects.update_or_create(
            **keys, defaults={"value": row["value"], "reference": row["reference"]}
        )
    return len(parsed)
