"""Table tests at and around every threshold of domain.md §2.1 and §2.2."""

import pytest
from scoring_builders import GOOD, finding, outcome, site

from scoring import ruleset as R
from scoring.inputs import CircuitInput
from scoring.network import score_network

# --------------------------------------------------------------------------------------
# §2.1 network performance targets (S19, S26), all strict "<", and the CQD "Poor"
# audio thresholds of §3.3 (S21), all strict ">".
# --------------------------------------------------------------------------------------
PATH_TABLE = [
    # field, code prefix, target, critical end, can be critical, figure cited. The end is
    # CQD's Poor line where it lies above the target, else twice the target (client
    # jitter, where CQD's 30 ms is the target itself), and 10 × target for reorder.
    ("client_rtt_ms", "NET.RTT.CLIENT", 100, 500, True, "§2.1 < 100 ms; §3.3 > 500 ms"),
    ("client_jitter_ms", "NET.JITTER.CLIENT", 30, 60, True, "§2.1 < 30 ms; 2 × target"),
    ("client_loss_pct", "NET.LOSS.CLIENT", 1, 10, True, "§2.1 < 1 %; §3.3 > 10 %"),
    ("client_reorder_pct", "NET.REORDER.CLIENT", 0.05, 0.5, False, "§2.1 < 0.05 %"),
    ("edge_rtt_ms", "NET.RTT.EDGE", 60, 500, True, "§2.1 < 60 ms; §3.3 > 500 ms"),
    ("edge_jitter_ms", "NET.JITTER.EDGE", 15, 30, True, "§2.1 < 15 ms; §3.3 > 30 ms"),
    ("edge_loss_pct", "NET.LOSS.EDGE", 0.1, 10, True, "§2.1 < 0.1 %; §3.3 > 10 %"),
    ("edge_reorder_pct", "NET.REORDER.EDGE", 0.01, 0.1, False, "§2.1 < 0.01 %"),
]
WEIGHTS = {"RTT": R.W_RTT, "JITTER": R.W_JITTER, "LOSS": R.W_LOSS, "REORDER": R.W_REORDER}


def _at(target, end, distance):
    """The value ``distance`` of the way from target to end on the log scale."""
    return target * (end / target) ** distance


def _path_cases():
    for field, prefix, target, end, critical, figure in PATH_TABLE:
        far = "POOR" if critical else "HIGH"
        for label, value, band in (
            ("just-inside", target * 0.999, "OK"),
            (f"at-target ({figure})", target, "SLIGHT"),
            ("a-tenth-of-the-way", _at(target, end, 0.1), "SLIGHT"),
            ("a-quarter-of-the-way", _at(target, end, 0.25), "MODERATE"),
            ("half-way", _at(target, end, 0.5), "HIGH"),
            ("at-the-end", end, "HIGH"),
            ("beyond-the-end", end * 1.001, far),
        ):
            yield pytest.param(field, value, f"{prefix}.{band}", id=f"{field}-{label}")


@pytest.mark.parametrize(("field", "value", "code"), list(_path_cases()))
def test_path_metric_severity_grows_with_the_distance_past_the_target(field, value, code):
    result = score_network(site(**{field: value}))
    prefix = code.rsplit(".", 1)[0] + "."
    assert outcome(result, prefix) == code
    if code.endswith(".OK"):
        assert code in result.passed  # a met target: 0 points, listed by code
        return
    got = finding(result.findings, prefix)
    weight = WEIGHTS[code.split(".")[1]]
    band = code.rsplit(".", 1)[1]
    severity = {"SLIGHT": "low", "MODERATE": "medium", "HIGH": "high", "POOR": "critical"}[band]
    assert got.severity == severity
    # A quarter, half or all of the weight, rounded up.
    lost = {"SLIGHT": -(-weight // 4), "MODERATE": -(-weight // 2)}.get(band, weight)
    assert (got.points, got.max_points) == (-lost, weight)
    assert (got.fields, got.values, got.section) == ((field,), (value,), "§2.1")
    assert got.source.url.endswith("/prepare-network")


@pytest.mark.parametrize("field", ["client_rtt_ms", "client_jitter_ms", "client_loss_pct"])
def test_an_unmeasured_client_metric_is_to_find_out_and_costs_nothing(field):
    result = score_network(site(**{field: None}))
    got = finding(result.findings, "NET." + field.split("_")[1].upper() + ".CLIENT")
    assert got.code.endswith(".UNKNOWN") and got.missing and got.points == 0
    assert result.score == 100
    assert result.completeness == 100 - got.max_points


def test_31_ms_of_jitter_is_just_past_while_2_5_percent_loss_is_far_past():
    # The example: a hair over the jitter target must not outweigh a lossy path.
    jitter = score_network(site(client_jitter_ms=31))
    loss = score_network(site(client_loss_pct=2.5))
    assert finding(jitter.findings, "NET.JITTER.CLIENT").severity == "low"
    assert (jitter.score, jitter.grade) == (99, "ready")
    assert finding(loss.findings, "NET.LOSS.CLIENT").severity == "high"
    assert (loss.score, loss.grade) == (R.CAP_HIGH, "ready_after_remediation")


def test_rtt_message_gives_the_derived_one_way_latency():
    # §2.1: one way < 50 ms client / < 30 ms edge; derived here as RTT / 2.
    f = finding(score_network(site(client_rtt_ms=120)).findings, "NET.RTT.CLIENT")
    assert "≈ 60 ms one way, target < 50 ms" in f.message
    f = finding(score_network(site(edge_rtt_ms=70)).findings, "NET.RTT.EDGE")
    assert "≈ 35 ms one way, target < 30 ms" in f.message


def test_beyond_cqd_poor_is_a_blocker():
    result = score_network(site(client_loss_pct=12))
    poor = finding(result.findings, "NET.LOSS.CLIENT")
    assert poor.severity == "critical"
    assert "Call Quality Dashboard rates a stream's audio Poor" in poor.message
    assert result.grade == "not_ready"
    assert result.score == R.CAP_CRITICAL
    cap = finding(result.findings, "NET.CAP.CRITICAL")
    assert cap.values == ("NET.LOSS.CLIENT.POOR",)


def test_a_client_measurement_bounds_the_edge_round_trip_and_jitter_only():
    # An edge RTT or jitter cannot exceed the client's, whose path contains the edge; loss
    # and reorder against the stricter edge targets stay unknown.
    unmeasured = {f: None for f in ("edge_rtt_ms", "edge_jitter_ms", "edge_loss_pct")}
    result = score_network(site(client_rtt_ms=42, client_jitter_ms=9, **unmeasured))
    assert outcome(result, "NET.RTT.EDGE") == "NET.RTT.EDGE.BOUNDED"
    assert outcome(result, "NET.JITTER.EDGE") == "NET.JITTER.EDGE.BOUNDED"
    assert outcome(result, "NET.LOSS.EDGE") == "NET.LOSS.EDGE.UNKNOWN"
    assert result.completeness == 100 - R.W_LOSS
    # A client round trip over the edge target bounds nothing.
    result = score_network(site(client_rtt_ms=70, client_jitter_ms=20, **unmeasured))
    assert outcome(result, "NET.RTT.EDGE") == "NET.RTT.EDGE.UNKNOWN"
    assert outcome(result, "NET.JITTER.EDGE") == "NET.JITTER.EDGE.UNKNOWN"


# --------------------------------------------------------------------------------------
# §2.2 per-endpoint bandwidth (S18) against §3.1 allowed share 30 % of each link and the
# 80 % office-worker split (S24-S26); Teams Rooms 10 Mbps (S31).
# --------------------------------------------------------------------------------------
# GOOD: 100 users × 80 % on site × 20 % concurrency = 16 concurrent calls.
CALLS = 100 * 0.8 * 0.2
# Recommended per call: audio 58 + 50 % × video meeting + 20 % × sharing meeting (§2.2).
REC_UP = CALLS * (58 + 0.5 * 2_500 + 0.2 * 2_500)  # 28,928 kbps
REC_DOWN = CALLS * (58 + 0.5 * 4_000 + 0.2 * 2_500)  # 40,928 kbps
# Minimum per call: audio 10 + video meeting 150/200 + sharing meeting 250 (§2.2).
MIN_UP = CALLS * (10 + 0.5 * 150 + 0.2 * 250)  # 2,160 kbps
MIN_DOWN = CALLS * (10 + 0.5 * 200 + 0.2 * 250)  # 2,560 kbps


def test_load_uses_the_section_2_2_figures():
    load = score_network(GOOD).load
    assert load.concurrent_calls == pytest.approx(CALLS)
    assert load.rec_up_kbps == pytest.approx(REC_UP)
    assert load.rec_down_kbps == pytest.approx(REC_DOWN)
    assert load.min_up_kbps == pytest.approx(MIN_UP)
    assert load.min_down_kbps == pytest.approx(MIN_DOWN)
    assert load.allowed_share == 0.30  # §3.1 default allowed bandwidth


def _with_primary(up_mbps: float, down_mbps: float):
    return site(
        circuits=(
            CircuitInput(down_mbps=down_mbps, up_mbps=up_mbps),
            CircuitInput(down_mbps=100, up_mbps=100, role="backup"),
        )
    )


def _bw_cases():
    share = 0.30
    for direction, rec, low in (("UP", REC_UP, MIN_UP), ("DOWN", REC_DOWN, MIN_DOWN)):
        at_rec = rec / share / 1000  # Mbps at which 30 % equals the recommended load
        at_min = low / share / 1000
        whole_min = low / 1000  # the whole link equals the minimum load
        for label, mbps, state in (
            ("just-inside-recommended", at_rec * 1.0001, "OK"),
            ("just-outside-recommended", at_rec * 0.9999, "REDUCED"),
            ("just-inside-minimum", at_min * 1.0001, "REDUCED"),
            ("just-outside-minimum", at_min * 0.9999, "SHORT"),
            ("whole-link-just-inside-minimum", whole_min * 1.0001, "SHORT"),
            ("whole-link-just-outside-minimum", whole_min * 0.9999, "CRITICAL"),
        ):
            yield pytest.param(direction, mbps, state, id=f"{direction.lower()}-{label}")


@pytest.mark.parametrize(("direction", "mbps", "state"), list(_bw_cases()))
def test_bandwidth_threshold(direction, mbps, state):
    other = 10_000  # the other direction comfortably passes
    s = _with_primary(mbps, other) if direction == "UP" else _with_primary(other, mbps)
    result = score_network(s)
    assert outcome(result, f"NET.BW.{direction}.") == f"NET.BW.{direction}.{state}"
    if state == "OK":
        return
    got = finding(result.findings, f"NET.BW.{direction}.")
    assert got.section == "§2.2"
    assert got.points == {"REDUCED": -5, "SHORT": -10, "CRITICAL": -10}[state]
    assert got.values == ((mbps, 100, 20, 0) if direction == "UP" else (mbps, 100, 20, 0))


def test_bandwidth_exactly_at_the_allowed_share_passes():
    # 6 Teams Rooms × 50 % in use × 5,058 kbps up (audio + video + sharing meeting, §2.2)
    # = 15,174 kbps; 30 % of 50.58 Mbps carries it exactly.
    mbps = 6 * 0.5 * 5_058 / 0.30 / 1000
    s = site(users=0, teams_rooms=6, circuits=(CircuitInput(down_mbps=1000, up_mbps=mbps),))
    result = score_network(s)
    assert result.load.rec_up_kbps == pytest.approx(15_174)
    assert outcome(result, "NET.BW.UP") == "NET.BW.UP.OK"
    s = site(users=0, teams_rooms=6, circuits=(CircuitInput(down_mbps=1000, up_mbps=mbps * 0.999),))
    assert outcome(score_network(s), "NET.BW.UP") == "NET.BW.UP.REDUCED"


def test_a_teams_room_is_one_meeting_endpoint_with_video_and_content_not_its_policy_floor():
    base = score_network(site(teams_rooms=0)).load
    more = score_network(site(teams_rooms=4)).load
    # §2.2 meeting rates: audio 58 + video 2,500/4,000 + sharing 2,500 per room in use;
    # the 10 Mbps of S31 is a bandwidth-policy floor, not the room's load.
    up, down = 58 + 2_500 + 2_500, 58 + 4_000 + 2_500
    assert more.rec_up_kbps - base.rec_up_kbps == pytest.approx(4 * up * R.ROOM_PEAK_CONCURRENCY)
    assert more.rec_down_kbps - base.rec_down_kbps == pytest.approx(4 * down * 0.5)
    assert more.room_down_kbps == pytest.approx(4 * down * 0.5)


def test_only_the_office_share_of_users_loads_the_site():
    # §3.1: 80 % office / 20 % remote; remote workers use their own connection.
    load = score_network(site(users=1000, peak_concurrency=10)).load
    assert load.concurrent_calls == pytest.approx(1000 * 0.8 * 0.1)


def test_missing_concurrency_uses_the_documented_assumption():
    result = score_network(site(peak_concurrency=None))
    assert result.load.concurrency_pct == R.DEFAULT_PEAK_CONCURRENCY_PCT
    assert result.load.concurrency_assumed
    assert finding(result.findings, "NET.BW.CONCURRENCY.ASSUMED").points == 0


# Failover: the backup circuit alone must carry the audio of every concurrent call at
# the §2.2 recommended audio rate (58 kbps each way), within the §3.1 allowed share.
AUDIO = CALLS * 58  # 928 kbps


@pytest.mark.parametrize(
    ("mbps", "code"),
    [
        pytest.param(AUDIO / 0.30 / 1000 * 1.0001, "NET.FAILOVER.OK", id="just-inside"),
        pytest.param(AUDIO / 0.30 / 1000 * 0.9999, "NET.FAILOVER.UNDERSIZED", id="just-outside"),
    ],
)
def test_backup_circuit_carries_the_calls(mbps, code):
    s = site(
        circuits=(
            CircuitInput(down_mbps=1000, up_mbps=1000),
            CircuitInput(down_mbps=mbps, up_mbps=mbps, role="secondary"),
        )
    )
    assert outcome(score_network(s), "NET.FAILOVER") == code
