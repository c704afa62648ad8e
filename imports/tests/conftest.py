"""Helpers for the import tests: files built in memory and uploaded like a browser does."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from openpyxl import Workbook


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    """A CSV file of ``rows`` (lists of cells) in ``encoding``."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, title="Sheet1") -> bytes:
    """An Excel workbook whose first sheet holds ``rows``."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_url(world) -> str:
    return reverse("imports:site-import", args=[world.assessment.pk])


@pytest.fixture
def upload(world, login):
    """Upload ``data`` as ``name`` to the import page as the owner; returns the response."""

    def _upload(data: bytes, name: str = "sites.csv", *, user=None, follow=True):
        client = login(user or world.owner)
        return client.post(
            import_url(world), {"file": SimpleUploadedFile(name, data)}, follow=follow
        )

    return _upload


def plan_of(response):
    """The import plan a preview page shows."""
    assert response.status_code == 200, response.content[:500]
    assert "plan" in response.context, "not a preview page: " + str(
        response.context.get("form") and response.context["form"].errors
    )
    return response.context["plan"]


def problems_of(response) -> list[str]:
    return [str(p) for p in plan_of(response).errors]


def file_error(response) -> str:
    """The message under the file field of the upload page."""
    assert response.status_code == 200
    form = response.context["form"]
    return " ".join(form.errors.get("file", []))


def commit(client, response, **extra):
    """Press "Import" on a preview page (``skip_rejected="1"``, ``blanks="clear"`` as chosen)."""
    pending = response.context["pending"]
    url = reverse("imports:site-import-commit", args=[pending.assessment_id])
    data = {"fingerprint": response.context["plan"].fingerprint, "upload": str(pending.pk)}
    return client.post(url, {**data, **extra}, follow=True)
