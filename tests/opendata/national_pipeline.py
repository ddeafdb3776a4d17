"""The rule by which the national DECP pipeline (decp-processing, behind decp.info) reads our export.

decp-processing flattens each `marche` into rows, one per holder and per state of the contract: the
initial notification and then each modification, a modification carrying new totals only for what it
changed. It keeps one row per (uid, holder id, notification date) and takes the last one by date as
the current state. Rows are ordered by date only, so several rows of the same day (two modifications,
or a modification notified the day of the contract) come out in no defined order. This helper plays
every order the pipeline could pick within a day and returns the set of current states it may
publish: a contract comes through whole only when that set holds one state, the one the registry has.
"""

from collections import defaultdict
from decimal import Decimal
from itertools import groupby, permutations, product

State = tuple[Decimal, int]  # (montant, dureeMois)
INITIAL = None  # the row of the initial notification, in an ordering of rows


def _current_state(initial: State, rows: list) -> State:
    """The state carried by the last row, modifications applied in the order of `rows`."""
    amount, months = initial
    for row in rows:
        if row is not INITIAL:
            amount = Decimal(str(row.get("montant", amount)))
            months = row.get("dureeMois", months)
    return initial if rows[-1] is INITIAL else (amount, months)


def possible_states(marche: dict) -> set[State]:
    """Every current state the pipeline may derive, over the orders of same-day rows."""
    initial = (Decimal(str(marche["montant"])), marche["dureeMois"])
    dated = [(marche["dateNotification"], INITIAL)] + [
        (m["modification"]["dateNotificationModification"], m["modification"])
        for m in marche.get("modifications", [])
    ]
    dated.sort(key=lambda pair: pair[0])
    days = [[row for _, row in group] for _, group in groupby(dated, key=lambda pair: pair[0])]
    orders = product(*(permutations(day) for day in days))
    return {_current_state(initial, [row for day in order for row in day]) for order in orders}


def national_rows(document: dict) -> dict[tuple[str, str], list[set[State]]]:
    """Per (uid, holder id), the possible current states of each record of the export that gives it."""
    rows: dict[tuple[str, str], list[set[State]]] = defaultdict(list)
    for marche in document["marches"]["marche"]:
        uid = marche["acheteur"]["id"] + marche["id"]
        states = possible_states(marche)
        for holder in marche["titulaires"]:
            rows[(uid, holder["titulaire"]["id"])].append(states)
    return dict(rows)


def lost_contracts(document: dict, registry: dict[str, State]) -> dict[str, str]:
    """uid -> what the national dataset would get wrong, for the registry's current states by uid."""
    lost = {}
    for (uid, holder), records in national_rows(document).items():
        expected = registry[uid]
        if len(records) > 1:
            lost[uid] = f"{len(records)} enregistrements pour le titulaire {holder}"
        elif records[0] != {expected}:
            lost[uid] = f"états possibles {sorted(records[0])}, registre {expected}"
    return lost
