"""The planned purchases as feeds: the filters their query parameters take (`famille`, `entite`), the
lines that describe a record, and the iCalendar built from public records. The Atom feed itself is
Django's syndication framework, in mutualis.www.portal.feeds."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from icalendar import Calendar, Event

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity
from mutualis.procurements.services.projects import quarter_start

from .public import PublicProject


class FeedFilterForm(forms.Form):
    """The query parameters of the feeds; a refused one names itself (the feeds answer 400 with it)."""

    famille = forms.ModelChoiceField(
        queryset=PurchaseFamily.objects.active(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "aucune famille d'achat publiée ne porte ce code."},
    )
    entite = forms.ModelChoiceField(
        queryset=Entity.objects.active(),
        required=False,
        error_messages={"invalid_choice": "aucun membre du territoire ne porte ce numéro."},
    )

    def refusal(self) -> str:
        return " ".join(f"Paramètre « {name} » : {' '.join(errors)}" for name, errors in self.errors.items())

    def narrow(self, queryset):
        family, entity = self.cleaned_data["famille"], self.cleaned_data["entite"]
        if family:
            queryset = queryset.filter(family=family)
        if entity:
            queryset = queryset.concerning([entity.pk])
        return queryset

    def query(self) -> dict[str, str]:
        """The valid filters as query parameters, to carry them to the feeds' links."""
        family, entity = self.cleaned_data["famille"], self.cleaned_data["entite"]
        return {
            **({"famille": family.code} if family else {}),
            **({"entite": str(entity.pk)} if entity else {}),
        }


def description(record: PublicProject) -> str:
    """The public facts of a record, one per line (feeds and alert e-mails)."""
    facts = [
        ("Famille", record.family),
        ("Code CPV", record.cpv),
        ("Acheteur", record.buyer.name if record.buyer else ""),
        ("Entités concernées", ", ".join(entity.name for entity in record.entities)),
        ("Lancement prévu", record.quarter),
        ("Procédure", record.procedure),
        ("Valeur estimée", record.bracket),
        (
            "Date limite des offres",
            record.tender_deadline.strftime("%d/%m/%Y") if record.tender_deadline else "",
        ),
        ("Profil d'acheteur", record.consultation_url),
        ("Contact", record.contact),
    ]
    return "\n".join(f"{label} : {value}" for label, value in facts if value)


def calendar(records: list[PublicProject], *, url_of, now: datetime) -> bytes:
    """One all-day event per record: a planned purchase on its quarter's first day, a consultation on its
    deadline. UIDs hold the project's id and the instance's host, so a calendar updates rather than
    duplicates its events."""
    host = urlsplit(settings.MUTUALIS_BASE_URL).hostname or "mutualis"
    ics = Calendar()
    ics.add("prodid", "-//Mutualis//Portail des achats//FR")
    ics.add("version", "2.0")
    ics.add("x-wr-calname", "Achats prévus")
    for record in records:
        if record.is_consultation:
            day, kind, title = record.tender_deadline, "consultation", "Date limite des offres"
        else:
            day, kind, title = quarter_start(record.quarter or ""), "achat-prevu", "Lancement prévu"
        if day is None:
            continue
        event = Event()
        event.add("uid", f"{kind}-{record.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"{title} : {record.object}")
        event.add("url", url_of(record))
        event.add("description", f"{description(record)}\n{url_of(record)}")
        ics.add_component(event)
    return ics.to_ical()
