"""The executive story in the PDF and the customer's web view: order, figures, words, appendix."""

import re

from django.test import Client

import pytest

from proposals.models import ProposalStory
from proposals.pdf.context import build_context
from proposals.pdf.render import render_document
from proposals.services import proposal_snapshot
from proposals.tests.conftest import flat, pdf_text
from proposals.tests.test_customer_links import page, share
from proposals.tests.test_large_estate import branch
from scoring.after_fixes import grade_shift

pytestmark = pytest.mark.django_db

SUMMARY_ORDER = [
    "Dear Contoso Manufacturing team,",
    "OUR RECOMMENDATION",
    "Readiness today and after the listed fixes",
    "What it costs over three years",
    "What your IT owns",
    "Next steps",
    "2 Network readiness",
]


def written(world, letter: str, step: tuple[str, str, str, str]) -> ProposalStory:
    """The owner's own letter and one step of their own, as the proposal page saves them."""
    keys = ("step", "owner", "owner_name", "date")
    return ProposalStory.objects.create(
        organisation=world.org, assessment=world.assessment, letter=letter,
        steps=[dict(zip(keys, step, strict=True))],
    )  # fmt: skip


@pytest.fixture
def estate(world):
    """A dozen branches needing the same work: recurring fixes and checks, a compact body."""
    for i in range(12):
        branch(world.assessment, i)
    return world


def test_the_chart_and_its_table_give_the_engines_figures(world):
    # Measured and answered well enough to grade, and short of the QoS and latency targets.
    branch(
        world.assessment, 1, name="Depot", proxy="none", vpn="none", wifi="enterprise_5ghz",
        firewall_media_ports="yes", lte_backup="yes", sdwan="no", client_jitter_ms=5,
        client_loss_pct=0.1, client_reorder_pct=0.01, edge_rtt_ms=20, edge_jitter_ms=3,
        edge_loss_pct=0.01, edge_reorder_pct=0.01, internet_breakout="local",
    )  # fmt: skip
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    context = build_context(snapshot)
    engine = grade_shift(snapshot["results"]["sites"])
    shown = [(r["grade"], r["label"], r["today"], r["after"]) for r in context["story"]["shift"]]
    assert shown == list(engine.rows)
    assert any(today != after for _g, _l, today, after in engine.rows)  # the fixes move sites
    chart = str(context["story"]["chart"])
    for _grade, label, today, after in engine.rows:
        if today or after:
            assert f"{label}: {today} today, {after} after" in chart
    assert "<title" in chart and "<desc" in chart and "<script" not in chart
    # Each site the fixes lift is named with the engine's fixes for it.
    assert any(w.startswith("Depot: ") for w in context["story"]["lifts"])


def test_the_summary_tells_the_story_in_order_and_the_costs_say_not_priced(world):
    written(world, "Dear Contoso Manufacturing team,\n\nOur own words for Priya.",
            ("Sign the order", "person", "Priya Patel", "2027-03-31"))  # fmt: skip
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    text = flat(pdf_text(render_document(build_context(snapshot)).data))
    summary = text[text.index("1 Executive summary", text.index("Contents") + 200) :]
    places = [summary.index(marker) for marker in SUMMARY_ORDER]
    assert places == sorted(places), dict(zip(SUMMARY_ORDER, places, strict=True))
    assert "Our own words for Priya." in summary[: places[1]]
    steps = summary[places[5] : places[6]]
    assert "Sign the order Priya Patel 31 Mar 2027" in steps
    # No price book saved: the cost summary says so, and never prints a zero cost.
    costs = summary[places[3] : places[4]]
    assert "Not priced" in costs
    assert not re.search(r"\b0(\.00)?\b", costs.replace("Not priced", ""))
    # The next-steps chapter gives the same plan with its owner and date.
    chapter = text[text.rindex("7 Next steps") :]
    assert "Sign the order Priya Patel 31 Mar 2027" in chapter


def test_the_fix_and_check_tables_are_in_the_appendix_and_the_body_speaks_in_words(estate):
    snapshot = proposal_snapshot(assessment=estate.assessment, issued_by="Alice Ames")
    context = build_context(snapshot)
    assert context["common_fixes"] and context["common_checks"]
    text = flat(pdf_text(render_document(context).data))
    start = text.rindex("D Appendix: fixes and checks that recur")
    body, appendix = text[:start], text[start:]
    assert "Fixes that apply to several sites" in appendix
    assert "To verify at several sites" in appendix
    assert "Fixes that apply to several sites" not in body
    assert not re.search(r"\b(Fix|Check) \d+\b", text)
    # A recurring fix is named in the site's lines by its own words.
    site = next(s for s in context["remediation"] if s["name"] == "Branch 03")
    assert site["also_ref_words"] and all(w in body for w in site["also_ref_words"])


def test_the_customer_web_view_shows_the_letter_chart_and_steps_as_issued(world, issue, client):
    written(world, "Dear Priya,\n\nThe plan in one page.",
            ("Pilot in Lyon", "customer_it", "", "2027-04-15"))  # fmt: skip
    issued = issue(world.manager, world.assessment)
    ProposalStory.objects.filter(assessment=world.assessment).update(letter="Later words.")
    token = share(client, world.manager, world.assessment)
    body = Client().get(page(token)).content.decode()
    assert "The plan in one page." in body and "Later words." not in body
    assert "Pilot in Lyon" in body and "Owner: Customer IT · by 15 Apr 2027" in body
    assert 'class="chart shift-chart"' in body and 'class="table table-sm shift-table' in body
    # The table alternative gives the engine's figures of the issued results.
    for _grade, label, today, after in grade_shift(issued.results["sites"]).rows:
        row = f'{label}</span></th><td class="text-end">{today}</td><td class="text-end">{after}'
        assert (row in body) == bool(today or after), label
