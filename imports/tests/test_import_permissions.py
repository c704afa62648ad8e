"""Every import, export and measurement URL: outsiders get 404, anonymous users the login page."""

from django.urls import reverse

import pytest

from imports.models import PendingSiteImport
from imports.tests.conftest import csv_bytes


def urls(assessment, site):
    pk = assessment.pk
    return [
        ("get", reverse("imports:site-import", args=[pk])),
        ("post", reverse("imports:site-import", args=[pk])),
        ("get", reverse("imports:site-import-template-csv", args=[pk])),
        ("get", reverse("imports:site-import-template-xlsx", args=[pk])),
        ("get", reverse("imports:site-import-preview", args=[pk])),
        ("post", reverse("imports:site-import-commit", args=[pk])),
        ("post", reverse("imports:site-import-discard", args=[pk])),
        ("get", reverse("imports:site-export-csv", args=[pk])),
        ("get", reverse("imports:site-export-xlsx", args=[pk])),
        ("get", reverse("imports:site-measurements", args=[pk, site.pk])),
        ("post", reverse("imports:measurement-upload", args=[pk, site.pk])),
        ("post", reverse("imports:measurement-paste", args=[pk, site.pk])),
    ]


@pytest.fixture
def pending(world):
    return PendingSiteImport.objects.create(
        assessment=world.assessment,
        user=world.owner,
        file_name="sites.csv",
        file_format="csv",
        payload={"rows": [], "errors": [], "warnings": [], "headers": {}, "columns": []},
    )


def test_an_outsider_gets_404_everywhere(world, login, pending):
    client = login(world.outsider)
    for method, url in urls(world.assessment, world.hq):
        response = getattr(client, method)(url, {"fingerprint": "x"})
        assert response.status_code == 404, (method, url)
    assert PendingSiteImport.objects.filter(pk=pending.pk).exists()


def test_a_site_of_another_organisation_is_404_inside_an_own_assessment(world, login):
    client = login(world.owner)
    for name in ("site-measurements", "measurement-upload", "measurement-paste"):
        url = reverse(f"imports:{name}", args=[world.assessment.pk, world.other_site.pk])
        assert client.post(url).status_code == 404, name


def test_an_outsider_never_sees_our_preview_through_their_own_assessment(world, login, pending):
    client = login(world.outsider)
    url = reverse("imports:site-import-preview", args=[world.other_assessment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "plan" not in response.context  # their assessment has no upload waiting


def test_anonymous_users_are_sent_to_log_in(world, client, pending):
    for method, url in urls(world.assessment, world.hq):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert "/login/" in response["Location"]


def test_teammates_and_managers_may_import_and_export(world, login):
    for user in (world.teammate, world.manager, world.admin):
        client = login(user)
        for name in ("site-import", "site-export-csv", "site-import-template-xlsx"):
            url = reverse(f"imports:{name}", args=[world.assessment.pk])
            assert client.get(url).status_code == 200, (user, name)


def test_an_outsider_upload_saves_nothing(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.outsider)
    data = csv_bytes([["Site", "Country"], ["Evil", "DE"]])
    url = reverse("imports:site-import", args=[world.assessment.pk])
    assert client.post(url, {"file": SimpleUploadedFile("x.csv", data)}).status_code == 404
    assert not PendingSiteImport.objects.exists()
