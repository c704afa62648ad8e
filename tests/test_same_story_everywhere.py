"""One assessment tells the same recommendation on the results page, the PDF, the API and CLI."""

import html
import io
import re

from django.core.management import call_command
from django.urls import reverse

import pytest

from api.models import ApiToken
from assessments import fit_story
from proposals.services import proposal_pdf_bytes
from proposals.tests.conftest import flat, pdf_text
from tests.story import mixed_design_estate

pytestmark = pytest.mark.django_db


def _text(markup: str) -> str:
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def test_page_pdf_api_and_cli_give_the_same_models_designs_and_gateways(
    world, client, django_capture_on_commit_callbacks
):
    estate = mixed_design_estate(world)
    _token, raw = ApiToken.issue(user=world.owner, name="story")
    api = client.get(
        f"/api/v1/assessments/{estate.pk}/results", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    rec = api["recommendation"]
    # The story has every part: a mix, a gateway beside Operator Connect, a hosted site.
    assert rec["kind"] == "mix" and rec["chart_model"] == rec["model"] == "operator_connect"
    sites = {s["site"]: s["recommendation"] for s in api["sites"]}
    assert sites["Valletta"]["model"] == "direct_routing_hosted"
    designs = {
        name: fit_story.design_sentence(r["design"], r["label"]) for name, r in sites.items()
    }
    gateways = fit_story.gateways_by_site(rec["gateways"])
    assert {site for site, _ in gateways} == {"Stuttgart HQ", "Valletta"}

    client.force_login(world.owner)
    page = _text(client.get(reverse("assessments:results", args=[estate.pk])).content.decode())
    out = io.StringIO()
    call_command("score_assessment", id=estate.pk, stdout=out)
    cli = out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:proposal-issue", args=[estate.pk]))
    pdf = flat(pdf_text(proposal_pdf_bytes(proposal=estate.proposals.get())))

    # The overall model, and the chart's pick, everywhere.
    assert f"Recommendation {rec['label']}" in page
    assert f"Recommendation: {rec['label']}." in cli
    assert re.search(rf"{re.escape(rec['label'])} \d+ \([^)]*\) \[recommended\]", cli)
    assert f"OUR RECOMMENDATION {rec['label']}" in pdf
    assert "Recommended" in re.search(r"How well each model fits(.*?)Why", pdf).group(1)
    # Each site's design: its model for its users, and the gateways beside it.
    for name, design in designs.items():
        # Past the first site, a site's design is in its detail, opened on demand.
        site = estate.sites.get(name=name)
        url = reverse("assessments:site-result", args=[estate.pk, site.pk])
        assert design in _text(client.get(url).content.decode()), name
        assert f"— {design}" in cli, name
        r = sites[name]["design"]
        assert f"{name} {r['users_label']} for {r['users']} users" in pdf, name
    # Valletta cannot have Operator Connect or Calling Plans: the API and the CLI agree.
    valletta = next(s for s in api["sites"] if s["site"] == "Valletta")
    unavailable = [f["label"] for f in valletta["fits"] if f["availability"] == "unavailable"]
    assert {"Operator Connect", "Calling Plans"} <= set(unavailable)
    assert f"not available here: {', '.join(unavailable)}" in cli
    for site, phrases in gateways:
        assert f"{site}: {phrases}" in page
        assert f"Gateways: {site}: {phrases}" in cli
        assert f"{site}: {phrases}" in pdf
