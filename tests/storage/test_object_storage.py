"""Files on an S3-compatible store: logos, uploads, proposals and previews kept and deleted."""

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
from botocore.config import Config

from assessments.forms import OrganisationForm
from assessments.models import Assessment, Site
from imports.models import MeasurementImport, PendingSiteImport
from imports.tests.conftest import csv_bytes
from proposals import services
from proposals.models import ProposalPreview, ProposalStatus
from proposals.tests.conftest import flat, pdf_text
from tenancy.models import Organisation
from tenancy.tests.test_logo import png_bytes
from tests.factories import form_data, messages_of

pytestmark = pytest.mark.s3

SETTINGS = reverse("tenancy:organisation-settings")
NAT_FILE = Path(__file__).parents[2] / "imports/tests/files/nat/quality_check_results.csv"
SITE_LIST = csv_bytes(
    [
        ["Site", "Country", "City", "Users", "Down", "Up"],
        ["Pune", "India", "Pune", "310", "100", "50"],
        ["Lyon Office", "FR", "Lyon", "175", "300", "60"],
    ]
)


def post_logo(client, world, data: bytes, **overrides):
    post = form_data(OrganisationForm(instance=world.org), **overrides)
    if data:
        post["logo_file"] = SimpleUploadedFile("logo.png", data, "image/png")
    return client.post(SETTINGS, post, follow=True)


def issue(client, assessment, capture):
    with capture(execute=True):
        response = client.post(reverse("proposals:proposal-issue", args=[assessment.pk]))
    assert response.status_code == 302
    return assessment.proposals.order_by("-number").first()


def download(client, assessment, version):
    url = reverse("proposals:proposal-download", args=[assessment.pk])
    return client.get(url, {"version": version})


def test_a_logo_is_stored_in_the_bucket_and_served_previewed_and_drawn_from_there(
    world, login, s3, django_capture_on_commit_callbacks
):
    logo = png_bytes((120, 40))
    client = login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_logo(client, world, logo)
    assert "Branding saved: customer pages and new proposals use it." in messages_of(response)
    world.org.refresh_from_db()
    assert s3.keys() == [world.org.logo.name]
    assert world.org.logo.name.startswith("branding/northwind-")
    assert s3.read(world.org.logo.name) == logo

    served = client.get(reverse("tenancy:brand-logo"))
    assert served.status_code == 200 and served.content == logo
    public = client.get(reverse("tenancy:brand-logo-public", args=["northwind"]))
    assert public.content == logo
    # The branding preview beside the form draws the stored logo inline.
    inline = f"data:image/png;base64,{base64.b64encode(logo).decode()}"
    assert inline in client.get(SETTINGS).content.decode()


def test_a_replaced_or_removed_logo_leaves_no_object_behind(
    world, login, s3, django_capture_on_commit_callbacks
):
    client = login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(client, world, png_bytes((40, 20)))
    first = s3.keys()
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(client, world, png_bytes((60, 20)))
    world.org.refresh_from_db()
    assert s3.keys() == [world.org.logo.name] and s3.keys() != first
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(client, world, b"", remove_logo=True)
    assert s3.keys() == []
    assert client.get(reverse("tenancy:brand-logo")).status_code == 404


def test_a_site_list_and_a_measurement_file_are_read_in_the_request_and_kept_as_rows(
    world, login, s3
):
    # Nothing of an upload is kept as a file: what any web process needs next (the preview's
    # rows, the run's figures) is in the database, so no host's disk or bucket holds them.
    client = login(world.owner)
    preview = client.post(
        reverse("imports:site-import", args=[world.assessment.pk]),
        {"file": SimpleUploadedFile("sites.csv", SITE_LIST)},
        follow=True,
    )
    pending = PendingSiteImport.objects.get()
    done = client.post(
        reverse("imports:site-import-commit", args=[world.assessment.pk]),
        {"upload": str(pending.pk), "fingerprint": preview.context["plan"].fingerprint},
        follow=True,
    )
    assert "Imported “sites.csv”: 1 added, 1 updated." in messages_of(done)
    assert Site.objects.get(assessment=world.assessment, name="Pune").users == 310

    client.post(
        reverse("imports:measurement-upload", args=[world.assessment.pk, world.hq.pk]),
        {
            "nat-file": SimpleUploadedFile("quality_check_results.csv", NAT_FILE.read_bytes()),
            "nat-segment": "client",
            "nat-measured_where": "3rd floor Wi-Fi",
        },
    )
    record = MeasurementImport.objects.get()
    assert (record.file_name, record.samples) == ("quality_check_results.csv", 40)
    assert Site.objects.get(pk=world.hq.pk).client_rtt_ms == 160.838
    assert s3.keys() == []


def test_an_issued_proposal_renders_into_the_bucket_and_downloads_the_same_bytes(
    world, login, s3, django_capture_on_commit_callbacks
):
    logo = png_bytes((120, 40))
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(login(world.admin), world, logo)
    client = login(world.manager)
    proposal = issue(client, world.assessment, django_capture_on_commit_callbacks)
    assert proposal.status == ProposalStatus.READY
    assert proposal.pdf.name.startswith("proposals/northwind/")
    stored = s3.read(proposal.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == proposal.sha256
    assert proposal.branding["logo_data_uri"].endswith(base64.b64encode(logo).decode())

    response = download(client, world.assessment, 1)
    assert response.status_code == 200 and response.content == stored
    assert "Contoso Manufacturing" in flat(pdf_text(response.content))
    # An issued file is never replaced: a second version is a second object.
    second = issue(client, world.assessment, django_capture_on_commit_callbacks)
    world.org.refresh_from_db()
    # Each version's site annex (its workbook) is issued into the bucket beside its PDF.
    annexes = [a.file.name for p in (proposal, second) for a in p.annexes.all()]
    assert len(annexes) == 2 and all(name.endswith(".xlsx") for name in annexes)
    assert sorted([proposal.pdf.name, second.pdf.name, world.org.logo.name, *annexes]) == s3.keys()
    assert download(client, world.assessment, 1).content == stored


def test_a_draft_preview_is_stored_opened_and_deleted_with_its_assessment(
    world, login, s3, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:proposal-preview-prepare", args=[world.assessment.pk]))
    preview = ProposalPreview.objects.get()
    assert s3.keys() == [preview.pdf.name] and preview.pdf.name.startswith("previews/northwind/")
    opened = client.get(
        reverse("proposals:proposal-preview", args=[world.assessment.pk]), {"id": preview.pk}
    )
    assert opened.status_code == 200 and opened.content == s3.read(preview.pdf.name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:assessment-delete", args=[world.assessment.pk]))
    assert not Assessment.objects.filter(pk=world.assessment.pk).exists()
    assert s3.keys() == []


def test_an_expired_preview_is_deleted_from_the_bucket(
    world, login, s3, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:proposal-preview-prepare", args=[world.assessment.pk]))
    ProposalPreview.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert len(s3.keys()) == 1
    assert services.previews_clean_up() == 1
    assert s3.keys() == [] and not ProposalPreview.objects.exists()


def test_stored_files_are_private_and_any_address_of_one_is_signed_and_expires(world, s3):
    name = default_storage.save("branding/probe.png", SimpleUploadedFile("p.png", b"x"))
    grants = s3.client.get_object_acl(Bucket=s3.name, Key=name)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants] == [None]  # the owner alone, no group
    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    # Never overwritten: the same name again is stored beside it.
    again = default_storage.save(name, SimpleUploadedFile("p.png", b"y"))
    assert again != name and s3.read(name) == b"x"


def test_a_file_store_that_does_not_answer_is_explained_never_a_server_error(
    world, login, s3, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(login(world.admin), world, png_bytes())
    client = login(world.manager)
    issue(client, world.assessment, django_capture_on_commit_callbacks)
    # The store goes away: nothing listens on port 9 (discard) of loopback.
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **options,
                "endpoint_url": "http://127.0.0.1:9",
                "client_config": Config(retries={"max_attempts": 1}, connect_timeout=1),
            },
        },
    }

    response = download(client, world.assessment, 1)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "cannot be fetched just now" in response.content.decode()
    assert client.get(reverse("tenancy:brand-logo")).status_code == 404
    page = client.get(reverse("proposals:proposal", args=[world.assessment.pk]))
    assert page.status_code == 200

    # A version is not frozen without the logo it should carry; it is issued once the store
    # is back. Without a logo to read, the render is what fails, and can be retried.
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(
            reverse("proposals:proposal-issue", args=[world.assessment.pk]), follow=True
        )
    assert "Not issued: The file store did not answer" in " ".join(messages_of(refused))
    assert world.assessment.proposals.count() == 1
    Organisation.objects.filter(pk=world.org.pk).update(logo="")
    second = issue(client, world.assessment, django_capture_on_commit_callbacks)
    assert second.status == ProposalStatus.FAILED
    assert second.error == services.NOT_STORED and not second.pdf

    admin = login(world.admin)
    refused = post_logo(admin, world, png_bytes((80, 20)), company_name="Renamed Ltd")
    assert refused.status_code == 200
    assert "The logo could not be stored just now" in refused.content.decode()
    world.org.refresh_from_db()
    assert world.org.company_name == "Northwind Voice Ltd"  # nothing half-saved


def test_the_invite_email_shows_the_logo_through_the_portal_not_the_store(
    world, login, s3, settings, django_capture_on_commit_callbacks
):
    # The store's own addresses are private (and signed ones expire long before an email is
    # read): the email points at the portal's public logo address, which reads the bucket.
    logo = png_bytes((120, 40))
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(login(world.admin), world, logo)
    staff = login(world.owner)
    staff.post(
        reverse("invites:invites", args=[world.assessment.pk]),
        {
            "contact_name": "Noor Network",
            "email": "noor@contoso.example",
            "sections": ["sites"],
            "valid_days": "10",
        },
    )
    html = mail.outbox[0].alternatives[0][0]
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    assert src.startswith(f"{settings.SITE_URL}/brand/northwind/logo?v=")
    assert s3.endpoint not in html
    assert staff.get(src.removeprefix(settings.SITE_URL)).content == logo
