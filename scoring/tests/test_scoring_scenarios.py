"""Whole customers, scored end to end: what an SE would see in the workshop."""

import json

from scoring_builders import BLANK, GOOD, codes, site

from scoring import RULESET_VERSION, AssessmentInput, CircuitInput, CustomerInput, score_assessment


def _explained(result):
    """Every score and fit in the result equals its base plus its findings' points."""
    for r in result.sites:
        assert r.network.score == r.network.base + sum(f.points for f in r.network.findings)
        for f in r.fits:
            assert f.fit == f.base + sum(x.points for x in f.findings)
    for f in result.fits:
        assert f.fit == f.base + sum(x.points for x in f.findings)
    json.dumps(result.to_dict())  # the CLI/API/PDF get plain JSON


def test_small_office_with_no_voice_staff_gets_operator_connect():
    office = AssessmentInput(
        title="Small office",
        customer=CustomerInput(name="Contoso Dental", country="GB"),
        current_telephony="hosted_pbx",
        operating_model="product",
        voice_skills="none",
        voice_staff_fte=0,
        risk_tolerance="low",
        timeline="urgent",
        routing_complexity="simple",
        keep_current_carrier="no",
        multi_carrier="no",
        existing_sbcs="none",
        pbx_coexistence="no",
        survivability_required="no",
        contact_centre="teams_native",
        phone_numbers=25,
        sites=(
            site(
                name="Surgery",
                users=20,
                sdwan="no",
                lte_backup="no",
                circuits=(CircuitInput(down_mbps=80, up_mbps=20, kind="broadband"),),
            ),
        ),
    )
    result = score_assessment(office)
    _explained(result)
    assert result.ruleset_version == RULESET_VERSION
    assert result.customer == "Contoso Dental"
    assert result.recommendation.kind == "single"
    assert result.recommendation.model == "operator_connect"
    surgery = result.sites[0]
    assert surgery.fit("operator_connect").band == "good"
    assert surgery.fit("direct_routing").band == "poor"
    assert surgery.fit("calling_plans").band == "good"  # GB is a Calling Plan market
    assert "Calling Plans also fit" in surgery.recommendation.alternatives[0]
    # One broadband circuit and no backup: a resilience finding, not a blocker.
    assert "NET.FAILOVER.NONE" in codes(surgery.network.findings)
    assert surgery.network.grade == "ready"
    oc = next(s for s in result.ownership.summaries if s.model == "operator_connect")
    dr = next(s for s in result.ownership.summaries if s.model == "dr_self_managed")
    assert oc.sbc_count == 0 and dr.sbc_count == 2
    assert oc.hours_per_year < dr.hours_per_year


def test_multinational_with_an_indian_site_mixes_models():
    sites = (
        site(name="London HQ", users=1200, teams_rooms=10),
        site(name="New York", country="US", users=600, teams_rooms=5),
        site(name="Frankfurt", country="DE", users=400),
        site(name="Bangalore", country="IN", users=300, regulation="toll_bypass"),
    )
    result = score_assessment(
        AssessmentInput(
            title="Global rollout",
            customer=CustomerInput(name="Fabrikam"),
            operating_model="product",
            voice_skills="generalist",
            dynamic_emergency_required="yes",
            compliance_recording="yes",
            sites=sites,
        )
    )
    _explained(result)
    rec = result.recommendation
    # Bangalore's compliant answers are Direct Routing with LBR or Operator Connect for
    # India (§1.6); a product-minded customer without a voice team gets the latter.
    assert rec.kind == "single"
    assert rec.model == rec.chart_model == "operator_connect"
    bangalore = result.sites[3]
    assert bangalore.recommendation.label == "Operator Connect for India"
    assert "Indian operator's" in bangalore.recommendation.design.requirements[0]
    assert bangalore.fit("calling_plans").band == "unavailable"
    assert bangalore.fit("direct_routing_hosted").band == "unavailable"
    dr_codes = codes(bangalore.fit("direct_routing").findings)
    assert "FIT.TOLL_BYPASS" in dr_codes and "FIT.COMPLIANCE.LBR" in dr_codes
    new_york = result.sites[1]
    assert "FIT.EMERGENCY.DYNAMIC" in codes(new_york.fit("direct_routing").findings)
    assert any("dispatchable" in r for r in new_york.recommendation.design.requirements)
    assert result.ownership.plan.sbc_count == 0  # nobody in IT runs an SBC


def test_plant_with_paging_and_analog_devices_needs_direct_routing():
    plant = site(
        name="Lyon plant",
        country="FR",
        users=300,
        overhead_paging="yes",
        analog_devices=40,
        fax_lines=3,
        door_elevator_phones=6,
        needs_survivability="yes",
        wifi="managed_24ghz",
    )
    result = score_assessment(
        AssessmentInput(
            title="Plant",
            operating_model="platform",
            voice_skills="dedicated",
            existing_sbcs="certified",
            sbc_count=2,
            sites=(plant,),
        )
    )
    _explained(result)
    r = result.sites[0]
    assert r.recommendation.model == "direct_routing"
    assert r.recommendation.dr_variant == "self_managed"
    dr = codes(r.fit("direct_routing").findings)
    for code in ("FIT.PAGING", "FIT.ANALOG", "FIT.FAX", "FIT.DOOR_PHONES", "FIT.SURVIVABILITY"):
        assert code in dr
    # Survivability needs an SBA at the site: Operator Connect cannot serve it (§1.5).
    assert r.fit("operator_connect").band == "unavailable"
    assert r.fit("operator_connect").unavailable_because == ("FIT.SURVIVABILITY.SBA",)
    purposes = [g.purpose for g in r.recommendation.design.gateways]
    assert purposes == ["paging", "fax", "door_phones", "analog", "survivability"]
    dr_summary = next(s for s in result.ownership.summaries if s.model == "dr_self_managed")
    assert dr_summary.sbc_count == 3  # central pair + the plant's gateway / SBA


def test_site_with_a_poor_network_is_not_ready_with_actionable_findings():
    poor = site(
        name="Branch",
        users=400,
        client_rtt_ms=180,
        client_jitter_ms=45,
        client_loss_pct=3,
        edge_loss_pct=0.4,
        vpn="through",
        proxy="through",
        internet_breakout="backhaul",
        qos="none",
        wifi="unmanaged",
        firewall_media_ports="no",
        lte_backup="no",
        sdwan="no",
        circuits=(CircuitInput(down_mbps=50, up_mbps=10),),
    )
    result = score_assessment(AssessmentInput(sites=(poor,)))
    _explained(result)
    net = result.sites[0].network
    assert net.grade == "not_ready"
    assert net.confidence == 100  # everything was measured or answered
    lost = {f.code for f in net.findings if f.points < 0}
    for code in (
        "NET.RTT.CLIENT.HIGH",
        "NET.JITTER.CLIENT.HIGH",  # 45 ms: far past 30 ms, short of twice it
        "NET.LOSS.CLIENT.HIGH",
        "NET.LOSS.EDGE.MODERATE",  # 0.4 %: well past 0.1 %, far from CQD's 10 %
        "NET.VPN.THROUGH",
        "NET.FIREWALL.BLOCKED",
        "NET.BW.UP.SHORT",
        "NET.FAILOVER.NONE",
    ):
        assert code in lost
    assert all(f.recommendation for f in net.findings if f.points < 0)
    assert dict(result.grade_counts)["not_ready"] == 1


def test_site_with_no_measurements_is_not_assessed_and_says_how_to_measure():
    result = score_assessment(AssessmentInput(sites=(BLANK, GOOD)))
    _explained(result)
    blank = result.sites[0].network
    assert blank.confidence_level == "low"
    assert blank.grade == "not_assessed"
    assert dict(result.grade_counts) == {
        "ready": 1, "ready_after_remediation": 0, "not_ready": 0, "not_assessed": 1,
    }  # fmt: skip
    assert result.summary.average_readiness == 100  # a site not assessed is not averaged
    unknown = [f for f in blank.findings if f.missing]
    assert {f.code for f in unknown} >= {"NET.RTT.CLIENT.UNKNOWN", "NET.BW.UP.UNKNOWN"}
    assert all(f.recommendation for f in unknown)
    # The measured site is unaffected by its neighbour.
    assert result.sites[1].network.score == 100
