"""Network readiness rules: unknowns, caps, grades, confidence and the explained score."""

import pytest
from scoring_builders import BLANK, GOOD, codes, finding, outcome, site

from scoring import ruleset as R
from scoring.inputs import CircuitInput
from scoring.network import PASS_MESSAGES, score_network

PRIMARY = CircuitInput(down_mbps=1000, up_mbps=1000)


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


def test_a_site_with_only_dont_know_answers_is_not_assessed_and_lists_what_to_find_out():
    result = score_network(BLANK)
    assert (result.grade, result.grade_label) == ("not_assessed", "Not assessed")
    assert (result.completeness, result.confidence, result.confidence_level) == (0, 0, "low")
    missing = [f for f in result.findings if f.missing]
    assert len(missing) == len(result.findings)
    assert sum(f.points for f in missing) == 0  # unknowns cost nothing
    loss = finding(result.findings, "NET.LOSS.CLIENT")
    assert loss.code == "NET.LOSS.CLIENT.UNKNOWN"
    assert "Network Assessment Tool" in loss.recommendation
    # An unknown is never a blocker.
    assert not any(f.severity in ("high", "critical") for f in missing)
    # Everything to find out adds up to the whole weight, largest first, in plain words.
    assert sum(t.weight for t in result.to_find_out) == 100
    weights = [t.weight for t in result.to_find_out]
    assert weights == sorted(weights, reverse=True)
    client = next(t for t in result.to_find_out if "Client round-trip time" in t.topic)
    assert client.topic == "Client round-trip time, client jitter and client packet loss"
    assert "Network Assessment Tool" in client.how
    assert client.source.url == "https://learn.microsoft.com/microsoftteams/prepare-network"
    assert not any("NET." in t.topic + t.how for t in result.to_find_out)


def test_an_unknown_costs_completeness_not_score():
    for field in ("client_rtt_ms", "edge_loss_pct", "client_reorder_pct"):
        result = score_network(site(**{field: None}))
        assert result.score == 100 and result.grade == "ready"
        assert result.completeness < 100


def test_completeness_is_the_weight_of_known_inputs():
    result = score_network(site(edge_loss_pct=None, wifi="unknown"))
    assert result.completeness == result.confidence == 100 - R.W_LOSS - R.W_WIFI


def test_the_score_is_taken_over_what_is_known_and_a_finding_says_so():
    # Known: QoS (10, none: all lost), bandwidth (20), VPN (5). Lost 10 of 35 known.
    s = site(
        qos="none", wifi="unknown", internet_breakout="unknown", proxy="unknown",
        firewall_media_ports="unknown", lte_backup="unknown", circuits=(PRIMARY,),
        **dict.fromkeys(
            ("client_rtt_ms", "client_jitter_ms", "client_loss_pct", "client_reorder_pct",
             "edge_rtt_ms", "edge_jitter_ms", "edge_loss_pct", "edge_reorder_pct"),
        ),
    )  # fmt: skip
    result = score_network(s)
    assert result.completeness == R.W_BW_UP + R.W_BW_DOWN + R.W_QOS + R.W_VPN == 35
    assert result.score == round(100 * (35 - 10) / 35) == 71
    scale = finding(result.findings, "NET.KNOWN.SCALE")
    assert scale.points == 71 - 90
    assert "35 %" in scale.message
    assert result.grade == "not_assessed"  # below half known
    assert result.score == result.base + sum(f.points for f in result.findings)


def test_a_critical_finding_grades_a_little_known_site_not_ready():
    result = score_network(BLANK.__class__(name="X", country="GB", client_loss_pct=40))
    assert result.completeness == R.W_LOSS
    assert result.grade == "not_ready"


def test_the_projection_after_the_listed_fixes_sits_beside_todays_score():
    result = score_network(site(vpn="through", qos="partial", edge_loss_pct=None))
    assert result.grade == "ready_after_remediation"
    assert set(result.projection.fixes) == {"NET.VPN.THROUGH", "NET.QOS.PARTIAL"}
    assert (result.projection.score, result.projection.grade) == (100, "ready")
    little = score_network(BLANK.__class__(name="X", country="GB", qos="none"))
    assert little.projection.grade == "not_assessed"  # fixing what is known is not enough


def test_high_finding_caps_at_ready_after_remediation():
    result = score_network(site(vpn="through"))
    assert finding(result.findings, "NET.VPN").severity == "high"
    assert result.score == R.CAP_HIGH
    assert result.grade == "ready_after_remediation"
    cap = finding(result.findings, "NET.CAP.HIGH")
    assert cap.points == R.CAP_HIGH - (100 - R.W_VPN)
    assert cap.values == ("NET.VPN.THROUGH",)


def test_no_cap_finding_when_the_score_is_already_below_the_cap():
    result = score_network(site(vpn="through", qos="none", wifi="unmanaged", proxy="through"))
    assert "NET.CAP.HIGH" not in codes(result.findings)
    assert result.score == 100 - R.W_VPN - R.W_QOS - R.W_WIFI - R.W_PROXY


@pytest.mark.parametrize(
    ("changes", "code", "points"),
    [
        ({"qos": "end_to_end"}, "NET.QOS.OK", 0),
        ({"qos": "partial"}, "NET.QOS.PARTIAL", -R.W_QOS // 2),
        ({"qos": "none"}, "NET.QOS.NONE", -R.W_QOS),
        ({"qos": "unknown"}, "NET.QOS.UNKNOWN", 0),
        ({"wifi": "wired_only"}, "NET.WIFI.WIRED", 0),
        ({"wifi": "managed_24ghz"}, "NET.WIFI.24GHZ", -R.W_WIFI // 2),
        ({"wifi": "unmanaged"}, "NET.WIFI.UNMANAGED", -R.W_WIFI),
        ({"internet_breakout": "backhaul"}, "NET.BREAKOUT.BACKHAUL", -R.W_BREAKOUT),
        ({"proxy": "none"}, "NET.PROXY.OK", 0),
        ({"proxy": "through"}, "NET.PROXY.THROUGH", -R.W_PROXY),
        ({"vpn": "bypassed"}, "NET.VPN.OK", 0),
        ({"vpn": "through"}, "NET.VPN.THROUGH", -R.W_VPN),
        ({"firewall_media_ports": "no"}, "NET.FIREWALL.BLOCKED", -R.W_FIREWALL),
        ({"firewall_media_ports": "unknown"}, "NET.FIREWALL.UNKNOWN", 0),
        ({"sdwan": "no"}, "NET.SDWAN.NONE", 0),
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


@pytest.mark.parametrize(
    ("circuits", "lte", "code", "points"),
    [
        ((PRIMARY,), "unknown", "NET.FAILOVER.UNKNOWN", 0),  # to find out, not a loss
        ((PRIMARY,), "no", "NET.FAILOVER.NONE", -10),
        ((PRIMARY,), "yes", "NET.FAILOVER.UNVERIFIED", 0),  # capacity to find out
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
    if code != "NET.FAILOVER.OK":
        got = finding(result.findings, "NET.FAILOVER")
        assert (got.points, got.section) == (points, "§4.1")
        assert got.missing == (points == 0)


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
