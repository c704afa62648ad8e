"""Readiness that tells unknown from bad, and load a voice customer recognises (issue 15)."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_builders import BLANK, GOOD, codes, finding, site
from test_scoring_properties import sites

from scoring import AssessmentInput, CircuitInput, SiteInput, score_assessment
from scoring import ruleset as R
from scoring.inputs import InputError
from scoring.network import circuit_size_mbps, score_network

FIBRE = CircuitInput(down_mbps=100, up_mbps=100, kind="dia", provider="City Fibre")


def test_a_45_user_office_with_fibre_lte_backup_qos_managed_wifi_and_good_clients_is_ready():
    # The workshop's small office: the edge was not measured on its own, there is no
    # SD-WAN, and the LTE backup's capacity is not entered. None of that is a fault.
    office = SiteInput(
        name="Leeds office",
        country="GB",
        users=45,
        lte_backup="yes",
        sdwan="no",
        internet_breakout="local",
        proxy="none",
        vpn="none",
        qos="end_to_end",
        wifi="enterprise_5ghz",
        firewall_media_ports="yes",
        client_rtt_ms=38.2,
        client_jitter_ms=6.1,
        client_loss_pct=0.1,
        measurement_tool="nat",
        circuits=(FIBRE,),
    )
    net = score_network(office)
    assert (net.grade, net.grade_label) == ("ready", "Ready")
    assert net.score == 100
    # The client readings bound the edge round trip and jitter; edge loss, reorder and
    # the backup's capacity remain to find out, and only lower the completeness.
    assert {"NET.RTT.EDGE.BOUNDED", "NET.JITTER.EDGE.BOUNDED"} <= set(net.passed)
    assert net.completeness == 100 - R.W_LOSS - 2 * R.W_REORDER - R.W_FAILOVER // 2
    topics = [t.topic for t in net.to_find_out]
    assert topics == [
        "Customer edge packet loss",
        "Backup circuit",
        "Client packet reorder and customer edge packet reorder",
    ]
    # No SD-WAN is advice, not points.
    sdwan = finding(net.findings, "NET.SDWAN")
    assert (sdwan.points, sdwan.severity) == (0, "info") and sdwan.recommendation
    assert all(f.points == 0 for f in net.findings)


def test_a_site_with_only_dont_know_answers_is_not_assessed_not_not_ready():
    result = score_assessment(AssessmentInput(sites=(BLANK, GOOD)))
    blank = result.sites[0].network
    assert blank.grade == "not_assessed" and blank.grade != "not_ready"
    assert not any(f.points < 0 for f in blank.findings)
    assert result.summary.not_ready == 0
    assert result.summary.not_assessed == 1
    # The estate's average readiness is over the sites that could be graded.
    assert result.summary.average_readiness == 100


def test_a_head_office_whose_only_issue_is_an_unknown_backup_is_not_red():
    # The issue's 500/100 Mbps head office, whose LTE backup answer is "Don't know".
    head_office = site(
        name="Head office",
        users=80,
        lte_backup="unknown",
        circuits=(CircuitInput(down_mbps=500, up_mbps=100),),
    )
    net = score_network(head_office)
    assert net.grade == "ready"
    assert net.score == 100
    backup = finding(net.findings, "NET.FAILOVER")
    assert (backup.code, backup.points, backup.missing) == ("NET.FAILOVER.UNKNOWN", 0, True)
    assert net.to_find_out[0].topic == "Backup circuit"
    assert net.completeness == 100 - R.W_FAILOVER


def test_a_voice_only_call_centre_is_sized_at_network_planners_audio_rate():
    # 240 agents on calls only, 90 % of them on a call at the busiest hour. Network
    # Planner's audio figure is §2.2's recommended 58 kbps each way per call.
    agents, busy = 240, 90
    centre = site(
        name="Contact centre",
        users=agents,
        personas=(("audio_only", agents),),
        peak_concurrency=busy,
        teams_rooms=0,
    )
    load = score_network(centre).load
    expected = agents * busy / 100 * 58
    assert load.rec_up_kbps == pytest.approx(expected, rel=0.05)
    assert load.rec_down_kbps == pytest.approx(expected, rel=0.05)
    assert load.personas == (("audio_only", agents),)
    # Sized as video calls (the office-worker default) it would be ~30 times as much.
    as_office = score_network(site(users=agents, peak_concurrency=busy, teams_rooms=0)).load
    assert as_office.rec_down_kbps > 20 * load.rec_down_kbps


def test_bandwidth_advice_names_a_circuit_size_that_is_sold():
    # 521 users: 83.4 calls × 1,808 kbps up need 502 Mbps at 30 %, just over 500 Mbps.
    s = site(users=521, peak_concurrency=20, circuits=(CircuitInput(1000, 500),))
    f = finding(score_network(s).findings, "NET.BW.UP")
    assert "to a 1 Gbps upstream circuit" in f.recommendation
    assert "502" not in f.recommendation.split("(")[0]
    assert [circuit_size_mbps(x) for x in (9, 10, 11, 150, 501, 12_000)] == [
        10, 10, 20, 200, 1_000, 20_000,
    ]  # fmt: skip


def test_a_branch_that_backhauls_to_a_hub_adds_its_load_to_the_hubs_link():
    hub = site(name="Hub", users=100, circuits=(CircuitInput(200, 200),))
    branch = site(name="Branch", users=150, backhaul_hub="Hub")
    alone = score_assessment(AssessmentInput(sites=(hub,))).sites[0].network
    both = score_assessment(AssessmentInput(sites=(hub, branch)))
    with_branch, branch_net = both.sites[0].network, both.sites[1].network
    assert with_branch.load.backhauled_sites == ("Branch",)
    assert with_branch.load.rec_up_kbps == pytest.approx(
        alone.load.rec_up_kbps + branch_net.load.rec_up_kbps
    )
    assert with_branch.load.backhauled_down_kbps == pytest.approx(branch_net.load.rec_down_kbps)
    # The hub's 200 Mbps carried its own staff; with the branch it no longer does.
    assert "NET.BW.DOWN.OK" in alone.passed
    assert "NET.BW.DOWN.REDUCED" in codes(with_branch.findings)


def test_a_hub_must_be_one_of_the_assessments_sites():
    with pytest.raises(InputError, match="backhauls to 'Nowhere'"):
        AssessmentInput(sites=(site(backhaul_hub="Nowhere"),))


def test_every_finding_links_to_a_microsoft_page_and_no_text_cites_an_internal_file():
    for s in (GOOD, BLANK, site(client_loss_pct=30, vpn="through", sdwan="no", qos="none")):
        for f in score_network(s).findings:
            assert f.source is not None and f.source.url.startswith("https://learn.microsoft.com/")
            assert f.source.title
            assert "domain.md" not in f.message + f.recommendation


# ------------------------------------------------------------------------------------------
# Properties: known apart from unknown.
# ------------------------------------------------------------------------------------------
# A good answer for each question that can be "don't know", and a good measurement (below
# every §2.1 target) for each path metric.
GOOD_ANSWERS = {
    "qos": "end_to_end",
    "wifi": "enterprise_5ghz",
    "internet_breakout": "local",
    "proxy": "none",
    "vpn": "bypassed",
    "firewall_media_ports": "yes",
    "lte_backup": "yes",
    "sdwan": "yes",
    "client_rtt_ms": 40.0,
    "client_jitter_ms": 5.0,
    "client_loss_pct": 0.01,
    "client_reorder_pct": 0.001,
    "edge_rtt_ms": 20.0,
    "edge_jitter_ms": 3.0,
    "edge_loss_pct": 0.01,
    "edge_reorder_pct": 0.001,
}
UNKNOWN = {field: None if field.endswith(("_ms", "_pct")) else "unknown" for field in GOOD_ANSWERS}
RANK = {"not_ready": 0, "ready_after_remediation": 1, "ready": 2}


@given(sites(), st.sets(st.sampled_from(sorted(GOOD_ANSWERS)), min_size=1))
def test_answering_an_unknown_with_a_good_value_never_lowers_the_score_or_the_grade(s, fields):
    before = score_network(replace(s, **{f: UNKNOWN[f] for f in fields}))
    after = score_network(replace(s, **{f: GOOD_ANSWERS[f] for f in fields}))
    assert after.score >= before.score
    assert after.completeness >= before.completeness
    if before.grade != "not_assessed":  # "not assessed" is not on the ready scale
        assert after.grade != "not_assessed"
        assert RANK[after.grade] >= RANK[before.grade]


MEASURED = st.floats(0, 50, allow_nan=False)
ANSWERS = {
    "qos": st.sampled_from(["end_to_end", "partial", "none"]),
    "wifi": st.sampled_from(["enterprise_5ghz", "managed_24ghz", "unmanaged", "wired_only"]),
    "internet_breakout": st.sampled_from(["local", "backhaul"]),
    "proxy": st.sampled_from(["none", "bypassed", "through"]),
    "vpn": st.sampled_from(["none", "bypassed", "through"]),
    "firewall_media_ports": st.sampled_from(["yes", "no"]),
    "lte_backup": st.sampled_from(["yes", "no"]),
    **{f: MEASURED for f in GOOD_ANSWERS if f.endswith(("_ms", "_pct"))},
}


@given(sites(), st.data())
def test_completeness_never_falls_when_data_is_added(s, data):
    fields = data.draw(st.sets(st.sampled_from(sorted(ANSWERS)), min_size=1))
    before = score_network(replace(s, **{f: UNKNOWN[f] for f in fields}))
    answered = replace(s, **{f: UNKNOWN[f] for f in fields})
    answered = replace(answered, **{f: data.draw(ANSWERS[f]) for f in fields})
    after = score_network(answered)
    assert after.completeness >= before.completeness
    # A circuit, or the people of a site that had none entered, are data too.
    circuit = score_network(replace(answered, circuits=(*answered.circuits, FIBRE)))
    assert circuit.completeness >= after.completeness
    if answered.users == 0:
        assert score_network(replace(answered, users=50)).completeness >= after.completeness
