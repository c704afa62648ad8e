"""The proposal tells each site's design: gateways, hosted Direct Routing, country facts."""

import copy

from proposals.pdf.context import build_context
from proposals.services import proposal_snapshot
from tests.story import mixed_design_estate


def _context(world, change=None):
    snapshot = proposal_snapshot(assessment=mixed_design_estate(world), issued_by="Alice Ames")
    if change:
        snapshot = copy.deepcopy(snapshot)
        change(snapshot["results"])
    return build_context(snapshot)


def _steps(context) -> dict[str, list[str]]:
    return {step["title"]: step["items"] for step in context["next_steps"]}


def test_next_steps_set_up_hosted_direct_routing_and_the_gateways_at_operator_connect_sites(
    world,
):
    steps = _steps(_context(world))
    assert "Set up Direct Routing as a service" in steps
    assert "Build Direct Routing" not in steps  # nobody runs SBCs of their own here
    gateways = " ".join(steps["Install the gateways beside the users' model"])
    # Stuttgart's users are on Operator Connect; Valletta's gateway comes with its hosted SBCs.
    assert "Stuttgart HQ" in gateways and "Valletta" not in gateways


def test_the_ownership_section_gives_each_sites_design_and_compares_the_next_best_model(world):
    context = _context(world)
    designs = {d["name"]: d for d in context["ownership"]["designs"]}
    assert designs["Valletta"]["users_model"] == "Direct Routing as a service"
    assert designs["Valletta"]["gateways"] == "an SBC gateway for 1 fax line"
    assert designs["Valletta"]["run_by"] == "run by the partner"
    assert designs["Stuttgart HQ"]["run_by"] == "run by your IT"
    assert designs["Lyon Office"]["gateways"] == ""
    # Operator Connect is recommended and Calling Plans fits next best overall.
    assert [s["model"] for s in context["ownership"]["pair"]] == [
        "operator_connect",
        "calling_plans",
    ]
    assert context["ownership"]["gateways"]["sbc_count"] >= 1


def test_the_summary_chart_marks_the_chart_model_and_the_appendix_dates_the_country_facts(
    world,
):
    context = _context(world)
    assert "Operator Connect: 83 (recommended)" in context["fit_chart"]
    assert context["country_data"]["label"].endswith("as of 2024-08-05")
    assert {"Calling Plans", "Operator Connect"} <= {
        s["fact"] for s in context["country_data"]["sources"]
    }


def test_country_sources_of_another_date_are_not_cited_for_an_older_proposal(world):
    def older(results):
        results["recommendation"]["country_data"] = "countries.json as of 2023-01-01"

    context = _context(world, older)
    assert context["country_data"]["label"].endswith("as of 2023-01-01")
    assert context["country_data"]["sources"] == []


def test_a_proposal_issued_under_ruleset_1_still_reads_as_it_did(world):
    def ruleset_1(results):
        rec = results["recommendation"]
        for key in ("chart_model", "fit", "status", "what_would_change", "gateways"):
            del rec[key]
        del rec["country_data"]
        results["fits"] = [f for f in results["fits"] if f["model"] != "direct_routing_hosted"]
        for site in results["sites"]:
            del site["recommendation"]["design"]

    context = _context(world, ruleset_1)
    # Operator Connect against the Direct Routing variant recommended, as then.
    assert context["recommendation"]["status"] == "fits"
    assert [s["model"] for s in context["ownership"]["pair"]] == ["operator_connect", "dr_hosted"]
    assert context["recommendation"]["gateways"] == []
    assert context["country_data"] == {"label": "", "sources": []}
    assert {d["users_model"] for d in context["ownership"]["designs"]} <= {
        "Operator Connect",
        "Direct Routing as a service",
    }
