"""The customer's results keep "unknown" apart from "bad": a grey state and what to find out."""

import pytest

from tests.readiness_sites import unknown_site

pytestmark = pytest.mark.django_db


def test_a_site_with_only_dont_know_answers_reads_not_assessed_with_what_to_find_out(
    client, link, world
):
    unknown_site(world.assessment)
    assert client.post(link.url("submit")).status_code == 302
    whole = client.get(link.url("results")).content.decode()
    # The folded detail of each site (the next actions above it may name the site too).
    page = whole.split('class="list-unstyled site-results"')[1]
    card = page.split("Graz Depot")[1].split('<li class="card mb-3">')[0]
    assert "Not assessed" in card and "more answers needed" in card
    assert (
        "grade-not_assessed" in page.split("Graz Depot")[0].rsplit('<li class="card mb-3">', 1)[1]
    )
    assert "Not ready" not in card and "Nothing to fix found" not in card
    # What to find out, with how, and the Microsoft page behind it.
    assert "Still to find out" in card and 'href="https://learn.microsoft.com/' in card
    assert "needs more data 3" in whole  # the world's two sites too
    assert "domain.md" not in whole and "§" not in whole
