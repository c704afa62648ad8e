"""The results page's "What IT owns" section is kept per content, never per assessment."""

import copy

from django.urls import reverse

import pytest

from assessments import windows
from assessments.views.results import _ownership_html
from scoring.decode import estate_result_from_dict

pytestmark = pytest.mark.django_db


def test_a_changed_ownership_shows_at_once_and_the_unchanged_one_stays(client, world):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    first = client.get(url).content.decode()
    stored = windows.estate(world.assessment).estate
    label = stored["ownership"]["rows"][0]["label"]
    assert label in first

    changed = copy.deepcopy(stored)
    changed["ownership"]["rows"][0]["label"] = "Paging gateways & door phones"
    html = _ownership_html(changed, estate_result_from_dict(changed))
    # The same assessment with other ownership content: rendered anew, not the kept HTML.
    assert "Paging gateways &amp; door phones" in html
    assert f">{label}<" not in html
    # The page's own estate still shows its own ownership, not the other content's.
    again = client.get(url).content.decode()
    assert label in again and "Paging gateways" not in again


def test_the_kept_section_is_the_section_the_page_rendered(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    stored = windows.estate(world.assessment).estate
    html = _ownership_html(stored, estate_result_from_dict(stored))
    assert html.startswith('<section class="mt-4" aria-labelledby="ownership-title">')
    assert html in page
