"""PSTN-model fit per site and overall, and the recommendation (domain.md §1, §6)."""

import pytest
from scoring_builders import GOOD, assessment, codes, site

from scoring import ruleset as R
from scoring import score_assessment, score_site
from scoring.inputs import AssessmentInput


def fit(result, model):
    return next(f for f in result.fits if f.model == model)


def test_calling_plan_markets_are_the_36_of_section_1_7():
    assert len(R.CALLING_PLAN_COUNTRIES) == 36
    assert {"US", "PR", "GB", "CA", "MX", "AU", "JP", "ZA", "CH"} <= R.CALLING_PLAN_COUNTRIES
    assert "IN" not in R.CALLING_PLAN_COUNTRIES  # §1.6: India is not a Calling Plan market
    assert "BR" not in R.CALLING_PLAN_COUNTRIES


@pytest.mark.parametrize("country", ["IN", "BR", "AE"])
def test_calling_plans_unavailable_outside_the_market_list(country):
    cp = score_site(site(country=country)).fit("calling_plans")
    assert (cp.fit, cp.band, cp.available) == (0, "unavailable", False)
    assert "FIT.CP.COUNTRY.UNAVAILABLE" in codes(cp.findings)
    assert "FIT.CAP.UNAVAILABLE" in codes(cp.findings)


def test_no_operator_makes_operator_connect_unavailable_and_favours_direct_routing():
    with_op = score_site(site(country="BR", operator_available="yes"))
    without = score_site(site(country="BR", operator_available="no"))
    oc = without.fit("operator_connect")
    assert (oc.fit, oc.band, oc.availability) == (0, "unavailable", "unavailable")
    assert oc.unavailable_because == ("FIT.OC.OPERATOR.NONE",)
    assert without.fit("direct_routing").fit > with_op.fit("direct_routing").fit
    # Brazil sells no Calling Plans: Direct Routing, here as a service (less to own).
    assert without.recommendation.model == "direct_routing_hosted"


def test_unknown_operator_coverage_is_a_missing_data_finding_with_no_points():
    oc = score_site(site(operator_available="unknown")).fit("operator_connect")
    unknown = next(f for f in oc.findings if f.code == "FIT.OC.OPERATOR.UNKNOWN")
    assert unknown.missing and unknown.points == 0


def test_india_applies_toll_bypass_rules_even_when_regulation_is_unanswered():
    # §1.6: LBR exists only on Direct Routing; Operator Connect for India is the other
    # compliant answer; hosted DR, Calling Plans and Teams Phone Mobile are not.
    result = score_site(site(country="IN", regulation="unknown", operator_available="yes"))
    assert "FIT.TOLL_BYPASS" in codes(result.fit("direct_routing").findings)
    for model in ("direct_routing_hosted", "calling_plans", "teams_phone_mobile"):
        assert result.fit(model).availability == "unavailable", model
    assert "FIT.OC.INDIA" in codes(result.fit("operator_connect").findings)
    assert result.recommendation.model == "direct_routing"
    assert result.recommendation.label == "Direct Routing with Location-Based Routing"


def test_toll_bypass_elsewhere_is_taken_from_the_answer():
    result = score_site(site(country="DE", regulation="toll_bypass"))
    assert result.recommendation.model == "direct_routing"
    assert result.fit("operator_connect").availability == "unavailable"


def test_compliance_recording_conflicts_with_lbr():
    a = assessment(compliance_recording="yes")
    dr = score_site(site(country="IN"), a).fit("direct_routing")
    assert "FIT.COMPLIANCE.LBR" in codes(dr.findings)


def test_paging_and_analog_devices_add_gateways_and_favour_direct_routing():
    plain = score_site(GOOD)
    plant = score_site(site(overhead_paging="yes", analog_devices=20))
    assert plant.fit("direct_routing").fit - plain.fit("direct_routing").fit == 15 + 10
    assert plant.fit("operator_connect").fit < plain.fit("operator_connect").fit
    assert plant.fit("operator_connect").availability == "available"  # a gateway serves it
    assert plant.recommendation.model == "direct_routing"


def test_survivability_only_self_managed_direct_routing_can_meet():
    # §1.2 / §1.5: local PSTN survivability needs an SBA on an SBC at the site.
    result = score_site(site(needs_survivability="yes"))
    for model in ("operator_connect", "calling_plans", "direct_routing_hosted"):
        assert result.fit(model).availability == "unavailable", model
    assert result.recommendation.model == "direct_routing"
    gateways = result.recommendation.design.gateways
    assert [g.kind for g in gateways] == ["sba"]
    assert "SITE.SBA.EMERGENCY" in codes(result.notes)


def test_site_inherits_the_organisation_survivability_answer_when_unknown():
    a = assessment(survivability_required="yes")
    assert score_site(site(needs_survivability="unknown"), a).recommendation.model == (
        "direct_routing"
    )
    assert score_site(site(needs_survivability="no"), a).recommendation.model != ("direct_routing")


@pytest.mark.parametrize("answer", ["yes", "no", "unknown"])
def test_dynamic_emergency_in_the_us_costs_direct_routing_work_whatever_the_answer(answer):
    a = assessment(dynamic_emergency_required=answer)
    us = score_site(site(country="US"), a)
    gb = score_site(site(country="GB"), a)
    assert us.fit("direct_routing").fit == gb.fit("direct_routing").fit - 10
    assert "FIT.EMERGENCY.DYNAMIC" in codes(us.fit("direct_routing").findings)
    assert "SITE.EMERGENCY.DISPATCHABLE" in codes(us.notes)
    assert "SITE.EMERGENCY.DISPATCHABLE" not in codes(gb.notes)


def test_no_voice_staff_and_product_mindset_favour_operator_connect():
    a = assessment(voice_skills="none", operating_model="product", risk_tolerance="low")
    result = score_site(GOOD, a)
    assert result.fit("operator_connect").band == "good"
    assert result.fit("direct_routing").band == "poor"
    assert result.recommendation.model == "operator_connect"


def test_platform_mindset_with_complex_multi_carrier_routing_favours_direct_routing():
    a = assessment(
        operating_model="platform",
        voice_skills="dedicated",
        routing_complexity="complex",
        multi_carrier="yes",
    )
    result = score_site(GOOD, a)
    assert result.recommendation.model == "direct_routing"
    assert result.recommendation.dr_variant == "self_managed"


def test_direct_routing_without_skills_is_recommended_as_a_service():
    a = assessment(voice_skills="none", pbx_coexistence="yes")
    rec = score_site(site(overhead_paging="yes", operator_available="no"), a).recommendation
    assert rec.model == "direct_routing_hosted"
    assert rec.dr_variant == "hosted"
    assert "as a service" in rec.label


def test_hosted_direct_routing_does_not_take_the_penalties_of_running_sbcs():
    a = assessment(voice_skills="none", voice_staff_fte=0, risk_tolerance="low",
                   timeline="urgent", operating_model="product")  # fmt: skip
    result = score_site(GOOD, a)
    hosted, self_run = result.fit("direct_routing_hosted"), result.fit("direct_routing")
    assert all(f.points >= 0 for f in hosted.findings)
    assert hosted.fit > self_run.fit


def test_calling_plans_win_in_a_calling_plan_market_when_nothing_else_is_known():
    # GB sells Calling Plans (+10); operator coverage is unknown (0): CP fits better.
    result = score_site(site(operator_available="unknown"), AssessmentInput())
    assert result.fit("calling_plans").fit > result.fit("operator_connect").fit
    assert result.recommendation.model == "calling_plans"


def test_mobile_first_share_moves_teams_phone_mobile():
    low = score_site(GOOD, assessment(mobile_first_share=0)).fit("teams_phone_mobile")
    high = score_site(GOOD, assessment(mobile_first_share=100)).fit("teams_phone_mobile")
    # Fewer than half mobile-first: an addition beside the site's model, not its model.
    assert (low.fit, low.unavailable_because) == (0, ("FIT.TPM.NOT_MOBILE_FIRST",))
    assert high.fit == 50 + 30


def test_fit_findings_explain_the_fit_exactly_including_caps_and_clamps():
    a = assessment(
        operating_model="product",
        voice_skills="none",
        risk_tolerance="low",
        timeline="urgent",
        routing_complexity="simple",
    )
    for s in (GOOD, site(country="IN"), site(operator_available="no", needs_survivability="yes")):
        for f in score_site(s, a).fits:
            assert 0 <= f.fit <= 100
            assert f.fit == f.base + sum(x.points for x in f.findings), f.model
            assert all(x.model == f.model for x in f.findings)


def test_a_clamp_above_100_is_an_explicit_finding():
    a = assessment(
        operating_model="product",
        voice_skills="none",
        risk_tolerance="low",
        timeline="urgent",
        routing_complexity="simple",
        voice_staff_fte=0,
    )
    oc = score_site(GOOD, a).fit("operator_connect")
    assert oc.fit == 100
    assert "FIT.CLAMP" in codes(oc.findings)


def test_overall_recommendation_is_a_mix_naming_the_sites():
    a = assessment(
        site(name="London", users=500),
        site(name="Paris", country="FR", users=300),
        site(name="Mumbai", country="IN", users=80),
        site(name="Plant", country="DE", users=120, needs_survivability="yes"),
        site(name="Depot", country="DE", users=90, overhead_paging="yes", analog_devices=12),
        voice_skills="generalist",
        operating_model="product",
    )
    result = score_assessment(a)
    rec = result.recommendation
    assert rec.kind == "mix"
    assert rec.model == rec.chart_model == "operator_connect"
    assert dict(rec.sites_by_model) == {
        "operator_connect": ("London", "Paris", "Mumbai", "Depot"),
        "direct_routing": ("Plant",),
    }
    assert rec.summary.startswith("Operator Connect everywhere except Plant →")
    assert result.sites[2].recommendation.label == "Operator Connect for India"
    # The depot keeps Operator Connect users with a paging gateway and ATAs (§1.9).
    depot = result.sites[4].recommendation.design
    assert [(g.kind, g.purpose, g.devices) for g in depot.gateways] == [
        ("sbc", "paging", 1),
        ("ata", "analog", 12),
    ]
    assert ("Depot", depot.gateways[0]) in rec.gateways
    # Why Operator Connect (the answers its sites share), then why each other site differs.
    assert rec.reasons[0].startswith("Voice should be a product the company uses.")
    assert [r.split(":")[0] for r in rec.reasons if r.startswith("Plant:")] == ["Plant"]


def test_overall_recommendation_single_model():
    rec = score_assessment(assessment(site(name="A"), site(name="B"))).recommendation
    assert rec.kind == "single"
    assert rec.summary == "Operator Connect for every site."


def test_a_single_model_recommendation_says_why_once_per_answer():
    a = assessment(site(name="A"), site(name="B"), operating_model="product", voice_skills="none")
    rec = score_assessment(a).recommendation
    claims = [r.split(" (")[0] for r in rec.reasons]
    assert "Voice should be a product the company uses." in claims
    assert len(claims) == len(set(claims)) <= 4


def test_overall_fit_is_user_weighted_and_explained():
    a = assessment(site(name="Big", users=900), site(name="Small", country="IN", users=100))
    result = score_assessment(a)
    for overall in result.fits:
        per_site = [r.fit(overall.model).fit for r in result.sites]
        assert overall.fit == round((per_site[0] * 900 + per_site[1] * 100) / 1000)
        assert overall.fit == overall.base + sum(f.points for f in overall.findings)
        assert overall.findings[-1].code == "FIT.SITES"


def test_an_assessment_without_sites_still_scores():
    result = score_assessment(AssessmentInput(voice_skills="none"))
    assert result.sites == ()
    assert result.recommendation.kind == "none"
    for f in result.fits:
        assert f.fit == f.base + sum(x.points for x in f.findings)


def test_unanswered_organisation_questions_are_listed():
    result = score_assessment(assessment())
    missing = {f.code for f in result.org_findings if f.missing}
    assert "ORG.VOICE_SKILLS.UNKNOWN" in missing
    assert "ORG.OPERATING_MODEL.UNKNOWN" in missing
    answered = score_assessment(assessment(voice_skills="none"))
    assert "ORG.VOICE_SKILLS.UNKNOWN" not in {f.code for f in answered.org_findings}
