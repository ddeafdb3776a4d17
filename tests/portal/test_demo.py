"""Issue 19, part 7: the demo fills the portal: its planned projects published, two consultations open
to offers with their buyer-profile link and deadline, awarded contracts."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.clients.models import ServiceRequest
from mutualis.demo.procurements import INTEREST, INTEREST_PROJECT
from mutualis.organisations.models import User
from mutualis.portal import public
from mutualis.procurements.models import Project, ProjectStatus
from mutualis.suppliers.models import SupplierCandidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_the_demo_publishes_its_planned_projects_and_two_consultations(client):
    planned = Project.objects.in_progress().filter(stage__code__in=public.PLANNED_STAGES)
    # The project just made from an internal client's request is not announced yet: off by default.
    unpublished = planned.filter(portal_published=False)
    assert [p.object for p in unpublished] == [
        ServiceRequest.objects.exclude(project=None).get().project.object
    ]
    assert planned.filter(portal_published=True).count() >= 4
    consultations = list(public.consultations())
    assert len(consultations) == 2
    for project in consultations:
        assert project.tender_deadline > timezone.localdate() and project.consultation_url
    # A published project leaves the portal once declared « sans suite » (the demo has one).
    gone = Project.objects.filter(portal_published=True).exclude(pk__in=public.published_projects())
    assert [p.status for p in gone] == [ProjectStatus.ABANDONED]
    assert public.awarded_contracts().count() >= 5

    page = html.unescape(client.get(reverse("portal:consultations")).content.decode())
    for project in consultations:
        assert project.object in page
    assert "2 résultats" in page
    home = client.get(reverse("portal:home"))
    assert home.context["planned_count"] == planned.count() - 1


def test_the_demo_has_one_business_interest_the_buyer_sees(client):
    [interest] = Project.objects.get(object=INTEREST_PROJECT).interests.all()
    assert interest.candidate == SupplierCandidate.objects.get(siret=INTEREST["siret"])
    client.force_login(User.objects.get(username="acheteuse"))
    page = html.unescape(
        client.get(reverse("procurements:project_detail", args=[interest.project_id])).content.decode()
    )
    assert INTEREST["company_name"] in page
    candidates = html.unescape(client.get(reverse("suppliers:candidate_list")).content.decode())
    assert INTEREST["company_name"] in candidates
