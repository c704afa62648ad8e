"""Assumptions and notes read as a customer's words, in the proposal and on the results page."""

import re

from django.urls import reverse

from proposals.pdf.context import build_context
from proposals.pdf.render import render_html
from proposals.pdf.sections.appendix import _assumptions
from proposals.services import proposal_snapshot

# What program output looks like: the sources' capitals, a constant's or a field's name.
PROGRAM_WORDS = re.compile(r"UNCONFIRMED|ruleset\.|\b[a-z]+_[a-z_]+\b|\w+ = \d")


def _assumptions_html(page: str) -> str:
    start = page.index("Assumptions behind these figures")
    return page[start : page.index("</details>", start)]


def test_the_proposal_and_the_results_page_state_assumptions_in_words(world, client):
    world.assessment.porting_required = "yes"  # the porting note: its duration is assumed
    world.assessment.timeline = "urgent"
    world.assessment.save()
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    context = build_context(snapshot)
    html = render_html(context)
    appendix = html[html.index('id="sec-assumptions"') :]
    assert not PROGRAM_WORDS.findall(" ".join(context["assumptions"]))
    assert "UNCONFIRMED" not in html
    assert "20 % of its users are assumed to be in a call at once" in appendix
    assert "To confirm, read the peak" in appendix

    client.force_login(world.owner)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    assert "UNCONFIRMED" not in page
    listed = _assumptions_html(page)
    assert not PROGRAM_WORDS.findall(re.sub(r"<[^>]+>", " ", listed))
    assert "An estimate from typical projects" in listed


def test_results_scored_before_keep_their_figure_in_words():
    # A snapshot issued before the notes said their figure: the figure goes in front.
    old = {
        "name": "default_peak_concurrency_pct",
        "value": 20,
        "unit": "% of on-site users",
        "note": "Used when a site gives no peak concurrency; UNCONFIRMED.",
    }
    (text,) = _assumptions({"assumptions": [old]})
    assert text.startswith("Default peak concurrency pct: 20 % of on-site users.")
    assert "UNCONFIRMED" not in text and "to confirm" in text
