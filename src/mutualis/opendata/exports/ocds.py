"""OCDS 1.1.5 release package of the territory's notified contracts (mapping of DOMAIN.md §4.7).

Each contract gives one release tagged award + contract with its initial state, then one release per
amendment tagged contractAmendment with the contract's value and period after it: OCDS 1.1 asks for
the state before and after each amendment as separate releases (Amendment.amendsReleaseID/releaseID).

The ocid prefix comes from the setting MUTUALIS_OCDS_PREFIX. Unset, the export uses an obvious
placeholder outside production and refuses in production: a publisher registers its own prefix with
the OCDS Helpdesk before publishing.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from mutualis.catalogue.models import Nature, nature_of_cpv
from mutualis.contracts.enums import Procedure
from mutualis.contracts.lifecycle import add_months
from mutualis.contracts.models import Contract
from mutualis.organisations.models import Territory

from .decp import LeftOut, amended_states, json_number, left_out, registry_contracts
from .validation import SchemaError, ocds_package_validator, validate

OCDS_VERSION = "1.1"
# Tools read the six characters after "ocds-" as the registered prefix: these cannot be mistaken for one.
PLACEHOLDER_PREFIX = "ocds-xxxxxx"
PACKAGE_PATH = "/donnees-ouvertes/ocds.json"
# Public-sector data reuse licence (décret 2017-638), the one data.gouv.fr applies to DECP.
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# DOMAIN.md §4.7: a SIRET is published under the scheme FR-RCS, as the Etalab DECP→OCDS converter does.
SCHEMES = {"SIRET": "FR-RCS"}
CATEGORIES = {Nature.SUPPLIES: "goods", Nature.SERVICES: "services", Nature.WORKS: "works"}
# DECP procedure -> OCDS method codelist (open: any supplier may bid; selective: candidates chosen
# first; limited: suppliers consulted without a call; direct: a single supplier, see _method).
METHODS = {
    Procedure.ADAPTED: "open",  # an adapted procedure is advertised, any supplier may answer
    Procedure.OPEN: "open",
    Procedure.RESTRICTED: "selective",
    Procedure.NEGOTIATED: "selective",
    Procedure.DIALOGUE: "selective",
    Procedure.NO_COMPETITION: "limited",
}


@dataclass
class OcdsExport:
    package: dict
    contracts: list[Contract] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    errors: list[SchemaError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def release_count(self) -> int:
        return len(self.package["releases"])

    def to_json(self) -> str:
        """The package as written to the file."""
        return json.dumps(self.package, ensure_ascii=False, indent=2) + "\n"


def ocid_prefix() -> str:
    """The publisher's registered ocid prefix (setting MUTUALIS_OCDS_PREFIX), else the placeholder."""
    return getattr(settings, "MUTUALIS_OCDS_PREFIX", "") or PLACEHOLDER_PREFIX


def prefix_error() -> SchemaError | None:
    """In production, the refusal to publish identifiers under the placeholder prefix."""
    if not getattr(settings, "PRODUCTION", False) or ocid_prefix() != PLACEHOLDER_PREFIX:
        return None
    return SchemaError(
        "",
        "$.releases[*].ocid",
        f"Préfixe OCDS non configuré : les identifiants porteraient le préfixe factice "
        f"« {PLACEHOLDER_PREFIX} ». Renseignez MUTUALIS_OCDS_PREFIX avec le préfixe enregistré auprès du "
        "service d'assistance OCDS avant de publier.",
    )


def ocid_of(contract: Contract) -> str:
    """Open Contracting ID: prefix + DECP uid (buyer SIRET + reference)."""
    return f"{ocid_prefix()}-{contract.uid}"


def ocds_datetime(day: date, seconds: int = 0) -> str:
    """A day as an OCDS date-time: midnight local time of the territory, plus `seconds` to order a day."""
    moment = datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return (moment + timedelta(seconds=seconds)).isoformat()


def value(amount) -> dict:
    return {"amount": json_number(amount), "currency": "EUR"}


def period(start: date, months: int) -> dict:
    """startDate, endDate (last day) and durationInDays of `months` months from `start`."""
    end = add_months(start, months) - timedelta(days=1)
    return {
        "startDate": ocds_datetime(start),
        "endDate": ocds_datetime(end),
        "durationInDays": (end - start).days + 1,
    }


def party_id(scheme: str, identifier: str) -> str:
    return f"{scheme}-{identifier}"


def _party(scheme: str, identifier: str, name: str, role: str) -> dict:
    return {
        "id": party_id(scheme, identifier),
        "name": name,
        "identifier": {"scheme": scheme, "id": identifier, "legalName": name},
        "roles": [role],
    }


def parties(contract: Contract) -> list[dict]:
    """The buyer and each holder, an organisation appearing once with all its roles."""
    buyer = contract.buyer
    found = {}
    for party in [_party(SCHEMES["SIRET"], buyer.siret, buyer.name, "buyer")] + [
        _party(SCHEMES.get(s.identifier_kind, s.identifier_kind), s.identifier, s.name, "supplier")
        for s in (link.supplier for link in contract.holder_links.all())
    ]:
        if party["id"] in found:
            found[party["id"]]["roles"] += party["roles"]
        else:
            found[party["id"]] = party
    return list(found.values())


def _item(contract: Contract, ocid: str) -> dict:
    return {
        "id": f"{ocid}-item-1",
        "description": contract.object,
        "classification": {"scheme": "CPV", "id": contract.cpv_id, "description": contract.cpv.label},
    }


def _method(contract: Contract) -> str | None:
    """OCDS procurementMethod of the contract's procedure; None for a value the codelist cannot say."""
    method = METHODS.get(contract.procedure)
    if method == "limited" and contract.offers_received == 1:
        return "direct"  # without a call for competition, one supplier consulted
    return method


def _tender(contract: Contract, ocid: str) -> dict:
    tender = {
        "id": f"{ocid}-tender",
        "procurementMethodDetails": contract.procedure,
        "mainProcurementCategory": CATEGORIES[nature_of_cpv(contract.cpv_id)],
    }
    if contract.offers_received is not None:
        tender["numberOfTenderers"] = contract.offers_received
    method = _method(contract)
    if method:
        tender["procurementMethod"] = method
    return tender


def date_signed(contract: Contract) -> date:
    """The signature day awarded lots record; else notification, when the contract binds the holder."""
    lot = getattr(contract, "procurement_lot", None)
    return (lot.signed_on if lot else None) or contract.notification_date


def award_release(contract: Contract) -> dict:
    """The release of the award and signed contract, with the initial amount and duration."""
    ocid = ocid_of(contract)
    buyer_id = party_id(SCHEMES["SIRET"], contract.buyer.siret)
    organisations = parties(contract)
    suppliers = [p for p in organisations if "supplier" in p["roles"]]
    item, contract_period = _item(contract, ocid), period(contract.effective_start, contract.duration_months)
    release = {
        "ocid": ocid,
        "id": f"{ocid}-award",
        "date": ocds_datetime(contract.notification_date),
        "language": "fr",
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "parties": organisations,
        "buyer": {"id": buyer_id, "name": contract.buyer.name},
        "tender": _tender(contract, ocid),
        "awards": [{
            "id": f"{ocid}-award-1",
            "description": contract.object,
            "status": "active",
            "date": ocds_datetime(contract.notification_date),
            "value": value(contract.amount),
            "suppliers": [{"id": p["id"], "name": p["name"]} for p in suppliers],
            "items": [item],
            "contractPeriod": contract_period,
        }],
        "contracts": [{
            "id": f"{ocid}-contract-1",
            "awardID": f"{ocid}-award-1",
            "description": contract.object,
            "status": "active",
            "period": contract_period,
            "value": value(contract.amount),
            "items": [item],
            "dateSigned": ocds_datetime(date_signed(contract)),
        }],
    }  # fmt: skip
    if contract.framework_id:
        release["relatedProcesses"] = [_framework_link(contract.framework)]
    return release


def _framework_link(framework: Contract) -> dict:
    return {
        "id": "1",
        "relationship": ["framework"],
        "title": framework.object,
        "scheme": "ocid",
        "identifier": ocid_of(framework),
    }


def amendment_releases(contract: Contract) -> list[dict]:
    """One contractAmendment release per amendment: the contract's value and period after it."""
    ocid, releases, amendments = ocid_of(contract), [], []
    previous_id = f"{ocid}-award"
    used = {contract.notification_date: 0}  # per day, the seconds after midnight already taken
    for amendment, amount, months in amended_states(contract):
        release_id = f"{ocid}-amendment-{amendment.number}"
        # Releases of one ocid are ordered by date: a same-day amendment comes one second after the
        # previous release of that day, so consumers compile them in notification order.
        day = amendment.notified_on
        used[day] = seconds = used[day] + 1 if day in used else 0
        stamp = ocds_datetime(day, seconds)
        amendments.append({
            "id": str(amendment.number),
            "date": stamp,
            "rationale": str(amendment.get_kind_display()),
            "description": amendment.description,
            "amendsReleaseID": previous_id,
            "releaseID": release_id,
        })  # fmt: skip
        releases.append({
            "ocid": ocid,
            "id": release_id,
            "date": stamp,
            "language": "fr",
            "tag": ["contractAmendment"],
            "initiationType": "tender",
            "contracts": [{
                "id": f"{ocid}-contract-1",
                "awardID": f"{ocid}-award-1",
                "value": value(amount),
                "period": period(contract.effective_start, months),
                "amendments": list(amendments),
            }],
        })  # fmt: skip
        previous_id = release_id
    return releases


def package(releases: list[dict], now: datetime) -> dict:
    """The release package around the releases, with the publisher's metadata."""
    territory = Territory.current()
    return {
        "uri": settings.MUTUALIS_BASE_URL.rstrip("/") + PACKAGE_PATH,
        "version": OCDS_VERSION,
        "publishedDate": now.isoformat(),
        "publisher": {"name": territory.name if territory else "Mutualis"},
        "license": LICENCE_URL,
        "releases": releases,
    }


def export_ocds(*, now: datetime | None = None) -> OcdsExport:
    """The OCDS release package of every notified contract, validated against the official schema."""
    result, releases, owners = OcdsExport(package={}), [], []
    for contract in registry_contracts():
        if contract.notification_date is None:
            result.left_out.append(left_out(contract, "Contrat non notifié : rien à publier."))
            continue
        result.contracts.append(contract)
        for release in [award_release(contract), *amendment_releases(contract)]:
            releases.append(release)
            owners.append(f"{contract.reference} ({contract.uid})")
    result.package = package(releases, now or timezone.now())

    def record_of(path: list) -> str:
        return owners[path[1]] if len(path) > 1 and path[0] == "releases" else ""

    result.errors = validate(ocds_package_validator(), result.package, record_of)
    refusal = prefix_error()
    if refusal:
        result.errors.insert(0, refusal)
    return result
