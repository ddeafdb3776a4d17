"""Issue 19, part 6: the portal's pages answer conditional GETs and are kept in the cache under the
published data's version; a write to published data changes both, a page with a form error or a CSRF
token is never kept."""

from django.urls import reverse

from mutualis.procurements.models import Project
from mutualis.procurements.services import project_save
from tests.procurements.factories import LAUNCH

from .conftest import LATER, PLANNED


def test_a_second_request_with_the_etag_or_the_date_gets_304(client, world):
    for url in (
        reverse("portal:home"),
        reverse("portal:planned"),
        reverse("portal:project", args=[world.planned.pk]),
    ):
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"].startswith('"portail-') and first["Last-Modified"]
        assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, url
        assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_publishing_or_unpublishing_changes_the_etag_and_the_page(client, world, team):
    buyer, _ = team
    planned = reverse("portal:planned")
    first = client.get(planned)
    assert LATER in first.content.decode()

    later = Project.objects.get(pk=world.later.pk)
    later.portal_published = False
    project_save(actor=buyer, project=later, today=LAUNCH)

    second = client.get(planned, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert LATER not in second.content.decode() and PLANNED in second.content.decode()
    assert client.get(reverse("portal:project", args=[later.pk])).status_code == 404

    later = Project.objects.get(pk=later.pk)
    later.portal_published = True
    project_save(actor=buyer, project=later, today=LAUNCH)
    third = client.get(planned, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and third["ETag"] not in (first["ETag"], second["ETag"])
    assert LATER in third.content.decode()


def test_the_page_is_served_from_the_cache_until_published_data_change(client, world, team):
    buyer, _ = team
    url = reverse("portal:project", args=[world.planned.pk])
    assert PLANNED in client.get(url).content.decode()
    # A write past save() sends no signal: the kept page is what answers.
    Project.objects.filter(pk=world.planned.pk).update(object="Objet changé sans signal")
    assert PLANNED in client.get(url).content.decode()
    assert PLANNED in client.get(url, {"x": "1"}).content.decode()  # the query string is part of the key…
    project = Project.objects.get(pk=world.planned.pk)
    project.object = "Sièges ergonomiques"
    project_save(actor=buyer, project=project, today=LAUNCH)  # …and a save changes the version
    assert "Sièges ergonomiques" in client.get(url).content.decode()


def test_a_page_with_a_form_error_is_neither_kept_nor_validated(client, world):
    refused = client.get(reverse("portal:planned"), {"quarter": "T2-2027"})
    assert refused.status_code == 200 and "Écrivez le trimestre" in refused.content.decode()
    assert not refused.has_header("ETag") and "public" not in refused.get("Cache-Control", "")
    fine = client.get(reverse("portal:planned"), {"quarter": "2027-T2"})
    assert fine.has_header("ETag")


def test_the_interest_form_page_is_never_kept_the_project_page_carries_no_token(client, world):
    form = client.get(reverse("portal:interest", args=[world.planned.pk]))
    assert "csrfmiddlewaretoken" in form.content.decode()
    assert not form.has_header("ETag") and "no-cache" in form["Cache-Control"]
    assert "public" not in form["Cache-Control"]
    page = client.get(reverse("portal:project", args=[world.planned.pk]))
    assert page.has_header("ETag") and "csrfmiddlewaretoken" not in page.content.decode()


def test_any_portal_page_with_a_csrf_token_is_neither_kept_nor_validated(client, world, monkeypatch):
    from mutualis.www.portal.interest import InterestView

    monkeypatch.setattr(InterestView, "cacheable", True)  # as a new form page might forget to say
    url = reverse("portal:interest", args=[world.planned.pk])
    first = client.get(url)
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert not first.has_header("ETag") and "no-cache" in first["Cache-Control"]
    assert "public" not in first["Cache-Control"]
    client.cookies.clear()
    second = client.get(url)  # a new visitor: rendered again with their own token, not the kept page
    assert "csrfmiddlewaretoken" in second.content.decode() and second.content != first.content
