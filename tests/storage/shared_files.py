"""One web process of a portal whose files are on an S3-compatible store: it issues, or it reads.

Run as ``python -m tests.storage.shared_files issue`` (a partner uploads its logo and a
manager issues a proposal through the pages; the render is left to the worker) or
``python -m tests.storage.shared_files download <assessment id>`` (the manager downloads
it and the logo), with the portal's settings and S3_* variables in the environment.
Prints one JSON line.
"""

import hashlib
import io
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from PIL import Image  # noqa: E402

from assessments.forms import OrganisationForm  # noqa: E402
from proposals.models import Proposal  # noqa: E402
from tenancy.models import Role  # noqa: E402
from tests import factories  # noqa: E402


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), "#1f4e79").save(out, "PNG")
    return out.getvalue()


def issue() -> dict:
    organisation = factories.OrganisationFactory(name="Northwind Voice", slug="northwind")
    admin = factories.member(organisation, Role.ADMIN, username="adam")
    manager = factories.member(organisation, Role.MANAGER, username="maria")
    assessment = factories.AssessmentFactory(
        customer=factories.CustomerFactory(organisation=organisation, name="Contoso"),
        owner=manager,
    )
    site = factories.SiteFactory(assessment=assessment, name="Stuttgart HQ", country="DE")
    factories.CircuitFactory(site=site, role="primary", down_mbps=1000, up_mbps=1000)

    client = Client(raise_request_exception=False)
    client.force_login(admin)
    data = factories.form_data(OrganisationForm(instance=organisation))
    data["logo_file"] = SimpleUploadedFile("logo.png", _logo(), "image/png")
    saved = client.post(reverse("tenancy:organisation-settings"), data)
    client.force_login(manager)
    issued = client.post(reverse("proposals:proposal-issue", args=[assessment.pk]))
    proposal = Proposal.objects.get(assessment=assessment)
    organisation.refresh_from_db()
    return {
        "statuses": [saved.status_code, issued.status_code],
        "assessment": assessment.pk,
        "logo": organisation.logo.name,
        "logo_sha256": hashlib.sha256(_logo()).hexdigest(),
        "proposal_status": proposal.status,
    }


def download(assessment_id: int) -> dict:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="maria"))
    pdf = client.get(reverse("proposals:proposal-download", args=[assessment_id]))
    logo = client.get(reverse("tenancy:brand-logo"))
    workbook = client.get(
        reverse("proposals:proposal-annex", args=[assessment_id]), {"version": 1, "kind": "xlsx"}
    )
    proposal = Proposal.objects.get(assessment_id=assessment_id)
    annex = proposal.annexes.get(kind="xlsx")
    return {
        "statuses": [pdf.status_code, logo.status_code, workbook.status_code],
        "annex": annex.file.name,
        "annex_sha256": hashlib.sha256(workbook.content).hexdigest(),
        "stored_annex_sha256": annex.sha256,
        "pdf_sha256": hashlib.sha256(pdf.content).hexdigest(),
        "logo_sha256": hashlib.sha256(logo.content).hexdigest(),
        "stored_sha256": proposal.sha256,
        "pdf": proposal.pdf.name,
        "proposal_status": proposal.status,
    }


if __name__ == "__main__":
    action = sys.argv[1]
    outcome = issue() if action == "issue" else download(int(sys.argv[2]))
    print(json.dumps(outcome))
