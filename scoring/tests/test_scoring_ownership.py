"""What IT owns under each model, day one and day 500 (domain.md §1.3, §4.2)."""

from datetime import date

import pytest
from scoring_builders import assessment, site

from scoring import ruleset as R
from scoring import score_assessment
from scoring.countries import FitOptions
from scoring.sbc_sizing import sbc_plan


def matrix(a):
    return score_assessment(a).ownership


def cell(m, item, model):
    row = next(r for r in m.rows if r.item == item)
    return next(c for c in row.cells if c.model == model)


def summary(m, model):
    return next(s for s in m.summaries if s.model == model)


ITEMS = [
    "sbc",
    "certificates",
    "firmware",
    "trunks",
    "routing",
    "numbers",
    "emergency",
    "monitoring",
    "troubleshooting",
    "policies",
    "network_qos",
]


def test_every_item_of_section_1_3_is_in_the_matrix():
    m = matrix(assessment())
    assert [r.item for r in m.rows] == ITEMS
    assert m.models == ("operator_connect", "dr_self_managed", "dr_hosted", "calling_plans")
    for row in m.rows:
        assert len(row.cells) == 4
        for c in row.cells:
            assert c.owner_label and c.day_one and c.day_500 and c.section.startswith("§")


@pytest.mark.parametrize(
    ("item", "model", "owner"),
    [
        # §1.3 table
        ("sbc", "operator_connect", "operator"),
        ("sbc", "dr_self_managed", "customer_it"),
        ("sbc", "dr_hosted", "partner"),
        ("sbc", "calling_plans", "none"),
        ("certificates", "dr_self_managed", "customer_it"),
        ("certificates", "dr_hosted", "partner"),
        ("firmware", "operator_connect", "operator"),
        ("trunks", "calling_plans", "microsoft"),
        ("routing", "dr_self_managed", "customer_it"),
        ("emergency", "calling_plans", "microsoft"),
        ("troubleshooting", "dr_self_managed", "sbc_vendor"),
        ("troubleshooting", "operator_connect", "operator"),
        ("network_qos", "operator_connect", "customer_it"),
        ("policies", "calling_plans", "customer_it"),
    ],
)
def test_owners_follow_section_1_3(item, model, owner):
    assert cell(matrix(assessment()), item, model).owner == owner


def test_sbc_count_is_a_ha_pair_per_region_plus_local_gateways():
    a = assessment(
        site(name="London"),
        site(name="Mumbai", country="IN"),  # LBR: a local pair (§1.6, §4.2), and Asia Pacific
        site(name="Plant", overhead_paging="yes"),  # one local gateway
    )
    m = matrix(a)
    dr = summary(m, "dr_self_managed")
    # A pair for Europe and one for Asia Pacific, Mumbai's own pair, the plant's gateway.
    assert dr.sbc_count == R.SBCS_PER_ROUTE * 2 + R.SBCS_PER_ROUTE + 1
    assert dr.certificate_renewals_per_year == dr.sbc_count * R.CERT_RENEWALS_PER_SBC_YEAR
    assert summary(m, "operator_connect").sbc_count == 0
    assert "7 certified SBCs" in cell(m, "sbc", "dr_self_managed").day_one
    # The matrix and the cost of ownership count the same SBCs.
    assert sbc_plan(list(a.sites), a).sbcs == dr.sbc_count


def test_sites_in_one_region_share_one_pair():
    dr = summary(matrix(assessment(site(name="London"), site(name="Paris", country="FR"))),
                 "dr_self_managed")  # fmt: skip
    assert dr.sbc_count == R.SBCS_PER_ROUTE


def test_self_managed_direct_routing_costs_the_most_recurring_effort():
    m = matrix(assessment(site(name="A"), site(name="B", country="US")))
    hours = {s.model: s.hours_per_year for s in m.summaries}
    assert hours["dr_self_managed"] > hours["dr_hosted"]
    assert hours["dr_self_managed"] > hours["operator_connect"]
    assert all(h > 0 for h in hours.values())
    dr = summary(m, "dr_self_managed")
    assert dr.fte == round(dr.hours_per_year / R.HOURS_PER_FTE_YEAR, 2)


def test_sites_needing_remediation_are_counted_and_costed():
    good = matrix(assessment(site(name="A"), site(name="B")))
    poor = matrix(assessment(site(name="A"), site(name="B", client_loss_pct=5)))
    assert summary(good, "operator_connect").sites_needing_remediation == 0
    assert summary(poor, "operator_connect").sites_needing_remediation == 1
    before = cell(good, "network_qos", "operator_connect").day_one_hours
    after = cell(poor, "network_qos", "operator_connect").day_one_hours
    assert after - before == R.EFFORT_HOURS["remediation_per_site"][0]


def test_the_plan_follows_the_design_with_a_gateway_beside_operator_connect():
    a = assessment(
        site(name="London", users=500),
        site(name="Plant", users=100, overhead_paging="yes"),
        voice_skills="dedicated",
        operating_model="product",
    )
    result = score_assessment(a)
    # Paging no longer moves the plant's users off Operator Connect: the design adds a
    # gateway SBC for the paging system, and IT owns that SBC (§1.9).
    assert result.recommendation.kind == "single"
    plant = result.sites[1].recommendation.design
    assert [(g.kind, g.purpose, g.owner) for g in plant.gateways] == [
        ("sbc", "paging", "customer_it")
    ]
    plan = result.ownership.plan
    assert plan.sbc_count == 1
    assert plan.certificate_renewals_per_year == R.CERT_RENEWALS_PER_SBC_YEAR
    oc = summary(result.ownership, "operator_connect")
    assert plan.hours_per_year > oc.hours_per_year  # the gateway's box, cert and firmware
    assert result.ownership.gateways.sbc_count == 1


def test_the_plan_of_a_mix_counts_tenant_wide_policies_once():
    a = assessment(
        site(name="London", users=500),
        site(name="Plant", users=100, needs_survivability="yes"),
        voice_skills="dedicated",
        operating_model="product",
    )
    result = score_assessment(a)
    assert result.recommendation.kind == "mix"
    plan = result.ownership.plan
    # Only the plant runs on Direct Routing: a central pair plus its local SBC with SBA.
    assert plan.sbc_count == R.SBCS_PER_ROUTE + 1
    oc = summary(result.ownership, "operator_connect")
    assert plan.hours_per_year > oc.hours_per_year
    policies = R.EFFORT_HOURS["policies_base"][1]
    dr_alone = summary(result.ownership, "dr_self_managed").hours_per_year
    assert plan.hours_per_year < oc.hours_per_year + dr_alone - policies + 1e-6


@pytest.mark.parametrize(
    ("as_of", "per_sbc"),
    [(None, 2), (date(2027, 3, 14), 2), (date(2027, 3, 15), 4), (date(2029, 3, 15), 8)],
)
def test_certificate_renewals_follow_the_shrinking_public_lifetime(as_of, per_sbc):
    result = score_assessment(assessment(voice_skills="dedicated"), FitOptions(as_of=as_of))
    dr = summary(result.ownership, "dr_self_managed")
    assert dr.certificate_renewals_per_year == dr.sbc_count * per_sbc
    text = cell(result.ownership, "certificates", "dr_self_managed").day_500
    assert "200 days from March 2026, 100 days from March 2027, 47 days from March 2029" in text


def test_certificate_text_names_the_server_auth_eku_and_current_roots():
    text = cell(matrix(assessment()), "certificates", "dr_self_managed").day_one
    assert "server-authentication-only EKU" in text
    assert "DigiCert" in text and "Microsoft roots" in text


def test_effort_figures_are_labelled_assumptions():
    m = matrix(assessment())
    assert any("estimates from typical projects" in note for note in m.assumptions)
    names = {a.name for a in R.ASSUMPTIONS}
    assert {"effort_sbc_per_sbc", "cert_renewals_per_sbc_year", "sbcs_per_route"} <= names
    assert all(a.note for a in R.ASSUMPTIONS)


def test_assumptions_say_what_is_assumed_and_how_to_confirm_it_in_a_customers_words():
    # A customer reads these in the proposal and on the results page: the figure in words,
    # never the sources' "UNCONFIRMED" or a constant's name.
    notes = [a.note for a in R.ASSUMPTIONS] + list(matrix(assessment()).assumptions)
    for note in notes:
        assert "UNCONFIRMED" not in note and "ruleset." not in note and "_" not in note, note
        assert not note[0].islower() and note.endswith("."), note  # sentences
    by_name = {a.name: a.note for a in R.ASSUMPTIONS}
    assert (
        f"{R.DEFAULT_PEAK_CONCURRENCY_PCT} % of its users"
        in by_name["default_peak_concurrency_pct"]
    )
    assert "To confirm" in by_name["default_peak_concurrency_pct"]
    day_one, recurring = R.EFFORT_HOURS["sbc_per_sbc"]
    assert (
        f"{recurring:g} hours a year, after {day_one:g} hours to set up"
        in (by_name["effort_sbc_per_sbc"])
    )
    assert "your team's own records" in by_name["effort_sbc_per_sbc"]
