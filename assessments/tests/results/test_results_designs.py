"""The results page, the workshop grid and the fit chart tell each site's design and choice."""

import re

from django.urls import reverse

import pytest

from assessments import charts
from tests.story import mixed_design_estate

pytestmark = pytest.mark.django_db


def _card(page: str, site) -> str:
    """A site's card: up to the next card or the ownership section (cards nest details)."""
    card = page.split(f'id="result-{site.pk}"')[1]
    return re.split(r'<details class="card mb-3 site-result"|id="ownership-title"', card)[0]


def _availability(html: str) -> dict[str, tuple[str, bool]]:
    """Each model's (availability, chosen) from an availability list."""
    items = re.findall(r'<li class="availability-\w+( is-chosen)?" data-model="(\w+)" '
                       r'data-availability="(\w+)"', html)  # fmt: skip
    return {model: (state, bool(chosen)) for chosen, model, state in items}


def test_a_site_card_says_its_design_with_the_gateway_beside_the_users_model(client, world):
    mixed_design_estate(world)
    client.force_login(world.owner)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    card = _card(page, world.hq)
    assert (
        "Operator Connect for 850 users + an SBC gateway for overhead paging and 2 door or " in card
    )
    # The overall card names the sites that need gateways, and who runs the partner's.
    assert "<strong>Stuttgart HQ:</strong> an SBC gateway for overhead paging and 2 door" in page
    assert "<strong>Valletta:</strong> an SBC gateway for 1 fax line" in page


def test_an_unavailable_model_is_greyed_with_its_reason_and_never_marked_as_the_pick(client, world):
    estate = mixed_design_estate(world)
    valletta = estate.sites.get(name="Valletta")
    client.force_login(world.owner)
    # Past the first site, a site's detail loads when opened (here as its own page).
    url = reverse("assessments:site-result", args=[estate.pk, valletta.pk])
    assert url in client.get(reverse("assessments:results", args=[estate.pk])).content.decode()
    card = _card(client.get(url).content.decode(), valletta)
    models = _availability(card)
    assert models["operator_connect"] == ("unavailable", False)
    assert models["calling_plans"] == ("unavailable", False)
    assert models["direct_routing_hosted"] == ("available", True)
    assert "No Operator Connect operator serves this country." in card
    assert "Calling Plans are not sold in this country." in card
    assert "Direct Routing as a service for 40 users + an SBC gateway for 1 fax line" in card
    # The site's chart marks the hosted bar as recommended and the unavailable ones n/a.
    assert "Direct Routing as a service: 75 (recommended)" in card
    assert "Operator Connect: not available" in card


def test_the_overall_chart_highlights_the_recommendations_chart_model(client, world):
    estate = mixed_design_estate(world)
    client.force_login(world.owner)
    response = client.get(reverse("assessments:results", args=[estate.pk]))
    rec = response.context["result"].recommendation
    fit = next(f for f in response.context["result"].fits if f.model == rec.chart_model)
    chart = str(response.context["fit_chart"])
    assert chart.count(">Recommended</text>") == 1  # one bar, even where another is taller
    assert f"Operator Connect: {fit.fit} (recommended)" in chart
    card = response.content.decode().split("recommendation-card")[1].split("</section>")[0]
    assert _availability(card)[rec.chart_model] == ("available", True)


def test_a_site_with_no_good_fit_says_so_and_what_would_change_it(client, world):
    # No Operator Connect operator, no skills and survivability in Germany: only
    # self-managed Direct Routing can give an SBA, and it fits such a customer badly.
    estate = mixed_design_estate(world)
    estate.survivability_required = "yes"
    estate.save()
    client.force_login(world.owner)
    response = client.get(reverse("assessments:results", args=[estate.pk]))
    result = response.context["result"]
    assert result.recommendation.status == "poor_fit"
    page = response.content.decode()
    assert "No available model fits every site well." in page
    for item in result.recommendation.what_would_change:
        assert item.replace("'", "&#x27;") in page


def test_the_workshop_grid_names_hosted_direct_routing_and_gives_the_design(client, world):
    estate = mixed_design_estate(world)
    valletta = estate.sites.get(name="Valletta")
    client.force_login(world.owner)
    page = client.get(reverse("assessments:site-grid", args=[estate.pk])).content.decode()
    row = page.split(f'id="row-{valletta.pk}"')[1].split("</tr>")[0]
    badge = re.search(r'title="([^"]*)" data-site-model>([^<]*)</span>', row)
    assert badge.group(2) == "DRaaS + gateway"
    assert badge.group(1).startswith("Direct Routing as a service for 40 users + an SBC gateway")


def test_an_unavailable_bar_reads_not_available_and_the_highlight_needs_a_model():
    rows = [("Operator\nConnect", 0, "unavailable"), ("Calling\nPlans", 90, "good")]
    chart = str(charts.fit_bars(rows, highlight=1))
    assert ">n/a</text>" in chart and "Operator Connect: not available" in chart
    assert ">Recommended</text>" in chart and "Calling Plans: 90 (recommended)" in chart
    assert ">Recommended</text>" not in str(charts.fit_bars(rows))
