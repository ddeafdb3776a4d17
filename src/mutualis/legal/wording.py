"""The law's technical names written for people: "dispense:2026-04-01;publicite:2019-04-01;…" or
"CCP-2019-04-01" become « seuils en vigueur au 1er avril 2026 (décret 2025-1386 (R2122-8) ; …) »."""

import re
from datetime import date

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

# The names a thresholds version uses (legal.procedure.thresholds_in) and the rules they stand for.
THRESHOLD_NAMES = {"dispense": "waiver", "publicite": "publicity", "profil": "buyer_profile", "ue": "eu"}
AMENDMENT_RULES = ("amendment_low_value", "amendment_per_modification")
_UNCONFIRMED = re.compile(r"\s*\[U[^\]]*\]")


def french_date(day: date) -> str:
    """date(2026, 4, 1) → « 1er avril 2026 »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def _parse(version: str) -> tuple[list[tuple[str, date]], str]:
    """(rule, valid_from) pairs named by a version string, and the kind of rules they are."""
    text = (version or "").strip()
    if text.startswith("CCP-"):
        day = date.fromisoformat(text[4:])
        return [(rule, day) for rule in AMENDMENT_RULES], "seuils de modification"
    if text.startswith("consultation:"):
        return [], "règles de consultation"
    pairs = []
    for part in text.split(";"):
        name, _, value = part.partition(":")
        if name in THRESHOLD_NAMES and value:
            pairs.append((THRESHOLD_NAMES[name], date.fromisoformat(value)))
        elif name == "sss":
            pairs.append(("eu_sss", None))
    return pairs, "seuils"


def describe_version(version: str) -> str:
    """A sentence naming the date the rules applied are in force from and the texts they come from."""
    from .models import LegalRule

    try:
        pairs, what = _parse(version)
        if version.startswith("consultation:"):
            return f"{what} en vigueur au {french_date(date.fromisoformat(version.split(':', 1)[1]))}"
    except ValueError:
        return version
    days = [day for _, day in pairs if day is not None]
    if not days:
        return version
    references = []
    rows = LegalRule.objects.filter(rule__in={rule for rule, _ in pairs}, valid_from__in=set(days))
    wanted = {(rule, day) for rule, day in pairs}
    for rule, valid_from, reference in rows.order_by("valid_from", "pk").values_list(
        "rule", "valid_from", "reference"
    ):
        text = _UNCONFIRMED.sub("", reference).strip()
        if (rule, valid_from) in wanted and text and text not in references:
            references.append(text)
    sentence = f"{what} en vigueur au {french_date(max(days))}"
    return f"{sentence} ({' ; '.join(references)})" if references else sentence
