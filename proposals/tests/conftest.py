"""Helpers for the proposal tests: read a PDF back as text, issue a proposal through the page."""

import io
import re
import subprocess

from django.urls import reverse

import pytest
from pypdf import PdfReader


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The PDF's text as poppler reads it (what a customer can search and copy).

    Without ``layout`` the text comes in reading order, so a table cell wrapped over two
    lines reads as one phrase; with it, lines keep their place on the page.
    """
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    out = subprocess.run(args, input=data, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text with all runs of whitespace made single spaces (wrapped lines joined)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def issue(client, django_capture_on_commit_callbacks):
    """Issue the next version of ``assessment`` as ``user`` and run the render task."""

    def _issue(user, assessment):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("proposals:proposal-issue", args=[assessment.pk]))
        assert response.status_code == 302, response.content[:500]
        return assessment.proposals.order_by("-number").first()

    return _issue
