"""Network readiness rules: unknowns, caps, grades, confidence and the explained score."""

import pytest
from scoring_builders import BLANK, GOOD, codes, finding, outcome, site

from scoring import ruleset as R
from scoring.inputs import CircuitInput
from scoring.network import PASS_MESSAGES, score_network


def test_a_site_meeting_every_target_is_ready_with_full_confidence():
    result = score_network(GOOD)
    assert (result.score, result.grade, result.grade_label) == (100, "ready", "Ready")
    assert (result.confidence, result.confidence_level) == (100, "high")
    assert result.findings == ()  # nothing lost, nothing unknown
    assert len(result.passed) == 18  # every item met its target
    assert all(code in PASS_MESSAGES for code in result.passed)


def test_the_findings_explain_the_score_exactly():
    for s in (GOOD, BLANK, site(client_loss_pct=30, qos="none", wifi="unmanaged")):
        result = score_network(s)
        assert result.score == result.base + sum(f.points for f in result.findings)


def test_unknowns_earn_no_points_lower_confidence_and_say_how_to_measure():
    result = score_network(BLANK)
    assert result.score == 0
    assert result.grade == "not_ready"
    assert (result.confidence, result.confidence_level) == (0, "low")
    missing = [f for f in result.findings if f.missing]
    assert sum(f.points for f in missing) == -100
    loss = finding(result.findings, "NET.LOSS.CLIENT")
    assert loss.code == "NET.LOSS.CLIENT.UNKNOWN"
    assert "Network Assessment Tool" in loss.recommendation
    # An unknown is never a blocker: it is not scored as bad either.
    assert not any(f.severity in ("high", "critical") for f in missing)


def test_an_unknown_never_scores_better_than_a_known_good_value():
    for field in ("client_rtt_ms", "edge_loss_pct", "client_reorder_pct"):
        assert score_network(site(**{field: None})).score < score_network(GOOD).score


def test_confidence_is_the_weight_of_known_inputs():
    result = score_network(site(edge_rtt_ms=None, wifi="unknown"))
    assert result.confidence == 100 - R.W_RTT - R.W_WIFI


def test_high_finding_caps_at_ready_after_remediation():
    result = score_network(site(vpn="through"))
    assert finding(result.findings, "NET.VPN").severity == "high"
    assert result.score == R.CAP_HIGH
    assert result.grade == "ready_after_remediation"
    cap = finding(result.findings, "NET.CAP.HIGH")
    assert cap.points == R.CAP_HIGH - (100 - R.W_VPN)
    assert cap.values == ("NET.VPN.THROUGH",)


def test_no_cap_finding_when_the_score_is_already_below_the_cap():
    result = score_network(site(vpn="through", qos="none", wifi="unmanaged", sdwan="no"))
    assert "NET.CAP.HIGH" not in codes(result.findings)
    assert result.score == 100 - R.W_VPN - R.W_QOS - R.W_WIFI - R.W_SDWAN


@pytest.mark.parametrize(
    ("changes", "code", "points"),
    [
        ({"qos": "end_to_end"}, "NET.QOS.OK", 0),
        ({"qos": "partial"}, "NET.QOS.PARTIAL", -R.W_QOS // 2),
        ({"qos": "none"}, "NET.QOS.NONE", -R.W_QOS),
        ({"qos": "unknown"}, "NET.QOS.UNKNOWN", -R.W_QOS),
        ({"wifi": "wired_only"}, "NET.WIFI.WIRED", 0),
        ({"wifi": "managed_24ghz"}, "NET.WIFI.24GHZ", -R.W_WIFI // 2),
        ({"wifi": "unmanaged"}, "NET.WIFI.UNMANAGED", -R.W_WIFI),
        ({"internet_breakout": "backhaul"}, "NET.BREAKOUT.BACKHAUL", -R.W_BREAKOUT),
        ({"proxy": "none"}, "NET.PROXY.OK", 0),
        ({"proxy": "through"}, "NET.PROXY.THROUGH", -R.W_PROXY),
        ({"vpn": "bypassed"}, "NET.VPN.OK", 0),
        ({"vpn": "through"}, "NET.VPN.THROUGH", -R.W_VPN),
        ({"firewall_media_ports": "no"}, "NET.FIREWALL.BLOCKED", -R.W_FIREWALL),
        ({"firewall_media_ports": "unknown"}, "NET.FIREWALL.UNKNOWN", -R.W_FIREWALL),
        ({"sdwan": "no"}, "NET.SDWAN.NONE", -R.W_SDWAN),
    ],
)
def test_answer_tables(changes, code, points):
    prefix = code.rsplit(".", 1)[0] + "."
    result = score_network(site(**changes))
    assert outcome(result, prefix) == code
    if code in result.passed:
        assert points == 0 and code in PASS_MESSAGES
        return
    got = finding(result.findings, prefix)
    assert got.points == points
    assert got.section.startswith("§")
    assert got.recommendation


PRIMARY = CircuitInput(down_mbps=1000, up_mbps=1000)


@pytest.mark.parametrize(
    ("circuits", "lte", "code", "points"),
    [
        ((PRIMARY,), "unknown", "NET.FAILOVER.UNKNOWN", -10),
        ((PRIMARY,), "no", "NET.FAILOVER.NONE", -10),
        ((PRIMARY,), "yes", "NET.FAILOVER.UNVERIFIED", -5),
        (
            (PRIMARY, CircuitInput(down_mbps=1, up_mbps=1, role="backup")),
            "no",
            "NET.FAILOVER.UNDERSIZED",
            -5,
        ),
        (
            (PRIMARY, CircuitInput(down_mbps=50, up_mbps=10, role="backup", kind="cellular")),
            "yes",
            "NET.FAILOVER.OK",
            0,
        ),
    ],
)
def test_failover(circuits, lte, code, points):
    result = score_network(site(circuits=circuits, lte_backup=lte))
    assert outcome(result, "NET.FAILOVER") == code
    if points:
        got = finding(result.findings, "NET.FAILOVER")
        assert (got.points, got.section) == (points, "§4.1")


def test_no_circuits_means_bandwidth_unknown_not_good():
    result = score_network(site(circuits=()))
    assert finding(result.findings, "NET.BW.UP").code == "NET.BW.UP.UNKNOWN"
    assert finding(result.findings, "NET.BW.DOWN").missing


def test_no_users_means_load_unknown():
    result = score_network(site(users=0, teams_rooms=0))
    assert finding(result.findings, "NET.BW.UP").code == "NET.BW.UP.UNKNOWN"
    assert finding(result.findings, "NET.FAILOVER").code == "NET.FAILOVER.UNVERIFIED"


def test_several_primary_circuits_add_up():
    s = site(
        users=1000,
        circuits=(CircuitInput(down_mbps=300, up_mbps=300), CircuitInput(300, 300)),
    )
    assert score_network(s).load.primary_down_mbps == 600


def test_every_code_is_stable_and_cites_a_section():
    for s in (GOOD, BLANK, site(client_loss_pct=50, edge_rtt_ms=900, vpn="through")):
        for f in score_network(s).findings:
            assert f.code.startswith("NET.")
            assert f.code.upper() == f.code
            assert f.section.startswith("§")
            assert f.site == s.name
            assert f.severity in ("info", "low", "medium", "high", "critical")
            assert len(f.fields) == len(f.values) or f.code.startswith("NET.CAP")


def test_a_capped_score_names_its_causes_in_plain_words():
    result = score_network(site(client_jitter_ms=80.0))
    cap = next(f for f in result.findings if f.code.startswith("NET.CAP."))
    assert "client jitter" in cap.message
    assert "NET." not in cap.message
    assert any(str(v).startswith("NET.JITTER.CLIENT") for v in cap.values)
