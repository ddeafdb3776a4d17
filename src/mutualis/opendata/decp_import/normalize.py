"""From a raw DECP record (any format, as published) to one clean record, with its repairs and warnings.

A record is rejected only when it cannot be identified (no usable buyer identifier or contract id)
or cannot be read; a missing or invalid secondary field is stored as unknown and reported as a warning.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ftfy import fix_text
from stdnum import luhn

from .readers import CONCESSION, RawRecord


class Rejected(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass
class Modification:
    number: int | None
    notified_on: date | None
    amount: Decimal | None  # new total HT after the modification
    duration_months: int | None  # new total duration
    published_on: date | None = None


@dataclass
class Record:
    kind: str
    position: int
    schema: str
    buyer_siret: str
    reference: str
    buyer_name: str = ""
    object: str = ""
    nature: str = ""
    procedure: str = ""
    cpv: str = ""
    amount: Decimal | None = None
    notification_date: date | None = None
    published_on: date | None = None
    duration_months: int | None = None
    offers_received: int | None = None
    techniques: list = field(default_factory=list)
    execution_modes: list = field(default_factory=list)
    price_types: list = field(default_factory=list)
    price_form: str = ""
    ccag: str = ""
    social: list = field(default_factory=list)
    environmental: list = field(default_factory=list)
    holders: list = field(default_factory=list)  # (kind, identifier, name)
    modifications: list = field(default_factory=list)
    framework_reference: str = ""
    place_code: str = ""
    place_type: str = ""
    grouping_kind: str = ""
    subcontracting: bool | None = None
    innovative: bool | None = None
    advance_paid: bool | None = None
    advance_rate: Decimal | None = None
    origin_eu: Decimal | None = None
    origin_france: Decimal | None = None
    repairs: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def uid(self) -> str:
        return self.buyer_siret + self.reference

    def fingerprint(self) -> str:
        """What makes two versions of the record different (the importer skips identical ones)."""
        parts = [
            self.kind,
            self.object,
            self.nature,
            self.procedure,
            self.cpv,
            self.amount,
            self.notification_date,
            self.duration_months,
            self.offers_received,
            self.techniques,
            self.social,
            self.environmental,
            sorted(self.holders),
            [(m.number, m.notified_on, m.amount, m.duration_months) for m in self.modifications],
        ]
        return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


# Identifier kinds as spelled in published files.
ID_KINDS = {
    "siret": "SIRET",
    "siren": "SIREN",
    "tva": "TVA",
    "tahiti": "TAHITI",
    "ridet": "RIDET",
    "frwf": "FRWF",
    "irep": "IREP",
    "hors-ue": "HORS-UE",
    "hors ue": "HORS-UE",
    "hors_ue": "HORS-UE",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d")
MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|Ã")
# Control characters (tab and line breaks aside) have no place in published data, and PostgreSQL text
# refuses NUL: they are removed from every string of the record before it is read.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# repr() writes those characters as \x.. escapes (tab and line breaks as \t, \n, \r): one C-speed scan
# of a record's repr tells whether the slow recursive clean-up is needed at all (rarely).
CONTROL_IN_REPR = re.compile(r"\\x(?:0[0-8bcef]|1[0-9a-f]|7f)")


def _without_controls(value, found: list):
    """The raw data with control characters removed from every string (keys included)."""
    if isinstance(value, str):
        cleaned = CONTROL.sub("", value)
        if cleaned != value:
            found.append(value)
        return cleaned
    if isinstance(value, dict):
        return {_without_controls(k, found): _without_controls(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_controls(v, found) for v in value]
    return value


def normalise(raw: RawRecord, known_cpv: set[str]) -> Record:
    """Clean one record; Rejected when it cannot be identified or read."""
    try:
        return _normalise(raw, known_cpv)
    except Rejected:
        raise
    except (TypeError, ValueError, AttributeError, ArithmeticError) as error:
        # Shapes no publisher should produce (a number where a list is due…): reject, never crash.
        raise Rejected(
            "(enregistrement)", f"structure illisible ({error.__class__.__name__}: {error})"
        ) from error


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def _normalise(raw: RawRecord, known_cpv: set[str]) -> Record:
    data = raw.data
    if not isinstance(data, dict):
        raise Rejected("(enregistrement)", "l'enregistrement n'est pas un objet JSON lisible")
    if raw.schema == "1":  # keys like "nom " with a trailing space, seen in 2019-format files
        data = {str(k).strip(): v for k, v in data.items()}
    controls: list[str] = []
    if CONTROL_IN_REPR.search(repr(data)):  # a false alarm (a literal "\\x01" in a text) costs nothing
        data = _without_controls(data, controls)
    repairs: list[str] = [f"caractères de contrôle retirés de {len(controls)} valeur(s)"] if controls else []
    warnings: list[str] = []
    buyer = (
        data.get("autoriteConcedante" if raw.kind == CONCESSION else "acheteur") or data.get("acheteur") or {}
    )
    if not isinstance(buyer, dict):
        buyer = {"id": buyer}
    siret = _buyer_siret(buyer.get("id"), repairs, warnings)
    reference = _reference(data, raw, siret, repairs)
    record = Record(
        kind=raw.kind, position=raw.position, schema=raw.schema, buyer_siret=siret, reference=reference
    )
    record.buyer_name = _text(buyer.get("nom"), repairs, "acheteur.nom")
    record.object = _text(data.get("objet"), repairs, "objet")
    record.nature = _text(data.get("nature"), repairs, "nature")
    record.procedure = _text(data.get("procedure"), repairs, "procedure")
    record.cpv = _cpv(data.get("codeCPV"), known_cpv, repairs, warnings)
    amount_key = "valeurGlobale" if raw.kind == CONCESSION else "montant"
    record.amount = _amount(data.get(amount_key), amount_key, repairs, warnings)
    date_key = "dateSignature" if raw.kind == CONCESSION else "dateNotification"
    record.notification_date = _date(data.get(date_key), date_key, repairs, warnings)
    record.published_on = _date(data.get("datePublicationDonnees"), "datePublicationDonnees", repairs, None)
    record.duration_months = _integer(data.get("dureeMois"), "dureeMois", repairs, warnings)
    record.offers_received = _integer(data.get("offresRecues"), "offresRecues", repairs, None)
    record.techniques = _values(data.get("techniques"), "technique")
    record.execution_modes = _values(data.get("modalitesExecution"), "modaliteExecution")
    record.price_types = _values(data.get("typesPrix"), "typePrix")
    record.social = _values(data.get("considerationsSociales"), "considerationSociale")
    record.environmental = _values(
        data.get("considerationsEnvironnementales"), "considerationEnvironnementale"
    )
    record.price_form = _text(data.get("formePrix"), repairs, "formePrix")
    record.ccag = _text(data.get("ccag"), repairs, "ccag")
    record.framework_reference = _text(data.get("idAccordCadre"), repairs, "idAccordCadre")
    place = data.get("lieuExecution") if isinstance(data.get("lieuExecution"), dict) else {}
    record.place_code, record.place_type = str(place.get("code") or ""), str(place.get("typeCode") or "")
    record.grouping_kind = _text(data.get("typeGroupementOperateurs"), repairs, "typeGroupementOperateurs")
    record.subcontracting = _boolean(data.get("sousTraitanceDeclaree"))
    record.innovative = _boolean(data.get("marcheInnovant"))
    record.advance_paid = _boolean(data.get("attributionAvance"))
    record.origin_eu = _share(data.get("origineUE"), "origineUE", warnings)
    record.origin_france = _share(data.get("origineFrance"), "origineFrance", warnings)
    record.advance_rate = _share(data.get("tauxAvance"), "tauxAvance", warnings)
    key = "concessionnaires" if raw.kind == CONCESSION else "titulaires"
    record.holders = _holders(
        data.get(key), "concessionnaire" if raw.kind == CONCESSION else "titulaire", repairs, warnings
    )
    record.modifications = _modifications(data.get("modifications"), repairs, warnings)
    record.repairs, record.warnings = repairs, warnings
    return record


def _buyer_siret(value, repairs, warnings) -> str:
    siret, repair, warning = _checked_siret("" if value is None else str(value))
    if repair:
        repairs.append(repair)
    if warning:
        warnings.append(warning)
    return siret


@lru_cache(maxsize=65536)
def _checked_siret(raw: str) -> tuple[str, str, str]:
    """The buyer identifier's check, memoised: a file has a few hundred distinct buyers for a million
    records. Returns the SIRET, a repair and a warning (empty when none); raises Rejected."""
    digits = re.sub(r"[\s.\-]", "", raw)
    if not digits:
        raise Rejected(
            "acheteur.id", "identifiant de l'acheteur absent : l'enregistrement ne peut être identifié"
        )
    if digits.isdigit() and len(digits) == 13 and luhn.is_valid("0" + digits):
        return "0" + digits, f"acheteur.id : zéro initial rétabli ({raw} → 0{digits})", ""
    if not (digits.isdigit() and len(digits) == 14):
        raise Rejected(
            "acheteur.id", f"« {raw} » n'est pas un SIRET (14 chiffres) : l'acheteur ne peut être identifié"
        )
    repair = f"acheteur.id : espaces retirés ({raw})" if digits != raw else ""
    warning = ""
    if not luhn.is_valid(digits) and not digits.startswith("356000000"):
        warning = f"acheteur.id : le SIRET {digits} a une clé de contrôle invalide"
    return digits, repair, warning


def _reference(data, raw: RawRecord, siret: str, repairs) -> str:
    reference = str(data.get("id") or "").strip()
    if not reference:
        raise Rejected("id", "identifiant du contrat absent : l'enregistrement ne peut être identifié")
    # 2019 format: the id ended with a 2-digit modification sequence, changed at each modification (DOMAIN.md
    # §4.4); strip it when it matches the modifications published, so every version keeps one uid.
    modifications = data.get("modifications") or []
    published = len(modifications) if isinstance(modifications, list) else -1
    if (
        raw.schema == "1"
        and len(reference) > 2
        and reference[-2:].isdigit()
        and int(reference[-2:]) == published
    ):
        repairs.append(f"id : suffixe de modification « {reference[-2:]} » retiré (format 2019)")
        reference = reference[:-2]
    if len(reference) > 40:
        raise Rejected("id", f"identifiant de plus de 40 caractères ({reference[:40]}…)")
    return reference


def _text(value, repairs, name) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if MOJIBAKE.search(text):
        fixed = fix_text(text)
        if fixed != text:
            repairs.append(f"{name} : encodage réparé")
            text = fixed
    return text


def _cpv(value, known: set[str], repairs, warnings) -> str:
    raw = str(value or "").strip()
    if not raw:
        warnings.append("codeCPV : absent")
        return ""
    code = raw.split("-")[0].replace(" ", "")
    if code.isdigit() and len(code) == 7 and code.zfill(8) in known:
        repairs.append(f"codeCPV : zéro initial rétabli ({raw} → {code.zfill(8)})")
        return code.zfill(8)
    if code in known:
        return code
    warnings.append(f"codeCPV : « {raw} » n'existe pas dans la nomenclature CPV 2008")
    return ""


def _amount(value, name, repairs, warnings, allow_zero=False) -> Decimal | None:
    if value is None or value == "":
        if warnings is not None:
            warnings.append(f"{name} : absent")
        return None
    try:
        if isinstance(value, str):
            amount = Decimal(value.replace("\u00a0", "").replace(" ", "").replace(",", "."))
            repairs.append(f"{name} : montant écrit en texte converti ({value})")
        else:
            amount = Decimal(str(value))
    except InvalidOperation:
        if warnings is not None:
            warnings.append(f"{name} : « {value} » n'est pas un nombre")
        return None
    if amount < 0 or (amount == 0 and not allow_zero) or not amount.is_finite():
        if warnings is not None:
            warnings.append(f"{name} : valeur {value} impossible")
        return None
    return amount.quantize(Decimal("0.01")) if amount < Decimal("1e13") else None


def _share(value, name, warnings) -> Decimal | None:
    """A share between 0 and 1 (0.1 = 10 %), kept to four decimals as the registry stores it."""
    if value is None or value == "":
        return None
    try:
        share = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite() or not 0 <= share <= 1:
        warnings.append(f"{name} : « {value} » n'est pas une part entre 0 et 1")
        return None
    return share.quantize(Decimal("0.0001"))


def _date(value, name, repairs, warnings) -> date | None:
    text = str(value or "").strip()
    if not text:
        if warnings is not None:
            warnings.append(f"{name} : absente")
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}.+", text):  # "2018-12-17+01:00", "2019-01-01T00:00:00"
        repairs.append(f"{name} : fuseau ou heure retirés ({text})")
        text = text[:10]
    if len(text) == 10 and text[4] == "-":
        try:
            day = date.fromisoformat(text)  # the common case, much faster than strptime
        except ValueError:
            day = None
        if day is not None and 1990 <= day.year <= 2100:
            return day
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if pattern != DATE_FORMATS[0]:
            repairs.append(f"{name} : date {text} lue au format {pattern}")
        if 1990 <= day.year <= 2100:
            return day
        break
    if warnings is not None:
        warnings.append(f"{name} : « {value} » n'est pas une date valide")
    return None


def _integer(value, name, repairs, warnings) -> int | None:
    if value is None or value == "":
        if warnings is not None:
            warnings.append(f"{name} : absent")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        if warnings is not None:
            warnings.append(f"{name} : « {value} » n'est pas un nombre entier")
        return None
    if isinstance(value, str):
        repairs.append(f"{name} : nombre écrit en texte converti ({value})")
    if number < 0 or number > 10_000:
        if warnings is not None:
            warnings.append(f"{name} : valeur {value} impossible")
        return None
    return int(number.to_integral_value(rounding="ROUND_CEILING"))  # DECP: months rounded up


def _boolean(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return {"true": True, "1": True, "oui": True, "false": False, "0": False, "non": False}.get(text)


def _values(value, key) -> list:
    """A multi-valued enumeration: {"technique": [..]} in 2022 JSON, sometimes a bare string or list."""
    if isinstance(value, dict):
        value = value.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()]


def _holders(value, key, repairs, warnings) -> list:
    holders = []
    for item in _as_list(value):
        if isinstance(item, dict) and key in item and isinstance(item[key], dict):
            item = item[key]  # 2022 format wraps each holder
        if not isinstance(item, dict):
            continue
        identifier = re.sub(r"[\s.]", "", str(item.get("id") or ""))
        if not identifier:
            warnings.append("titulaire sans identifiant ignoré")
            continue
        raw_kind = str(item.get("typeIdentifiant") or "").strip()
        kind = ID_KINDS.get(raw_kind.lower(), "")
        if not kind and identifier.isdigit() and len(identifier) == 14 and luhn.is_valid(identifier):
            kind = "SIRET"
            repairs.append(f"titulaire {identifier} : type d'identifiant « {raw_kind} » lu comme SIRET")
        elif kind and raw_kind != kind:
            repairs.append(f"titulaire {identifier} : type d'identifiant « {raw_kind} » écrit {kind}")
        elif not kind:
            warnings.append(f"titulaire {identifier} : type d'identifiant « {raw_kind} » inconnu")
            kind = raw_kind[:10]
        name = _text(item.get("denominationSociale"), repairs, "titulaire.denominationSociale")
        holders.append((kind, identifier, name))
    if not holders:
        warnings.append("titulaires : aucun titulaire identifiable")
    return holders


def _modifications(value, repairs, warnings) -> list:
    result = []
    for index, item in enumerate(_as_list(value), start=1):
        if isinstance(item, dict) and isinstance(item.get("modification"), dict):
            item = item["modification"]
        if not isinstance(item, dict):
            continue
        day = item.get("dateNotificationModification") or item.get("dateSignatureModification")
        number = _integer(item.get("id"), "modification.id", [], None) or index
        result.append(
            Modification(
                number=number,
                notified_on=_date(day, "modification.dateNotificationModification", repairs, warnings),
                amount=_amount(
                    item.get("montant") or item.get("valeurGlobale"), "modification.montant", repairs, None
                ),
                duration_months=_integer(item.get("dureeMois"), "modification.dureeMois", repairs, None),
                published_on=_date(item.get("datePublicationDonneesModification"), "", [], None),
            )
        )
    # One canonical order, so that the fingerprint does not depend on how the publisher listed them.
    return sorted(result, key=lambda m: (m.number or 0, m.notified_on or date.min))
