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
    # field, code prefix, target, CQD poor (or None), figure cited
    ("client_rtt_ms", "NET.RTT.CLIENT", 100, 500, "§2.1 client RTT < 100 ms; §3.3 > 500 ms"),
    ("client_jitter_ms", "NET.JITTER.CLIENT", 30, 30, "§2.1 client jitter < 30 ms; §3.3 > 30"),
    ("client_loss_pct", "NET.LOSS.CLIENT", 1, 10, "§2.1 client loss < 1 %; §3.3 > 10 %"),
    ("client_reorder_pct", "NET.REORDER.CLIENT", 0.05, None, "§2.1 client reorder < 0.05 %"),
    ("edge_rtt_ms", "NET.RTT.EDGE", 60, 500, "§2.1 edge RTT < 60 ms; §3.3 > 500 ms"),
    ("edge_jitter_ms", "NET.JITTER.EDGE", 15, 30, "§2.1 edge jitter < 15 ms; §3.3 > 30 ms"),
    ("edge_loss_pct", "NET.LOSS.EDGE", 0.1, 10, "§2.1 edge loss < 0.1 %; §3.3 > 10 %"),
    ("edge_reorder_pct", "NET.REORDER.EDGE", 0.01, None, "§2.1 edge reorder < 0.01 %"),
]


def _path_cases():
    for field, prefix, target, poor, figure in PATH_TABLE:
        eps = target * 1e-3
        yield pytest.param(field, target - eps, prefix + ".OK", id=f"{field}-just-inside")
        yield pytest.param(field, target, f"{prefix}.HIGH", id=f"{field}-at-target ({figure})")
        if poor is None or poor > target:
            yield pytest.param(field, target + eps, f"{prefix}.HIGH", id=f"{field}-just-outside")
        if poor is not None:
            yield pytest.param(field, poor, f"{prefix}.HIGH", id=f"{field}-at-cqd-poor")
            yield pytest.param(field, poor * 1.001, f"{prefix}.POOR", id=f"{field}-beyond-poor")
        yield pytest.param(field, None, f"{prefix}.UNKNOWN", id=f"{field}-not-measured")


@pytest.mark.parametrize(("field", "value", "code"), list(_path_cases()))
def test_path_metric_threshold(field, value, code):
    result = score_network(site(**{field: value}))
    prefix = code.rsplit(".", 1)[0] + "."
    assert outcome(result, prefix) == code
    if code.endswith(".OK"):
        assert code in result.passed  # a met target: 0 points, listed by code
        return
    got = finding(result.findings, prefix)
    assert got.fields == (field,)
    assert got.values == (value,)
    assert got.section == "§2.1"


@pytest.mark.parametrize(
    ("field", "weight"),
    [
        ("client_rtt_ms", R.W_RTT),
        ("client_jitter_ms", R.W_JITTER),
        ("client_loss_pct", R.W_LOSS),
        ("client_reorder_pct", R.W_REORDER),
        ("edge_rtt_ms", R.W_RTT),
        ("edge_jitter_ms", R.W_JITTER),
        ("edge_loss_pct", R.W_LOSS),
        ("edge_reorder_pct", R.W_REORDER),
    ],
)
def test_missing_a_target_loses_exactly_the_metrics_weight(field, weight):
    target = next(t for f, _, t, _, _ in PATH_TABLE if f == field)
    passing = score_network(site(**{field: target * 0.999}))
    failing = score_network(site(**{field: target}))
    lost = [f for f in failing.findings if f.fields == (field,)][0]
    assert lost.points == -weight
    assert lost.max_points == weight
    assert passing.score == 100
    # A high finding (not reorder, which is medium) also caps the score at the top of
    # "ready after remediation".
    capped = lost.severity == "high"
    assert lost.severity == ("medium" if "reorder" in field else "high")
    assert failing.score == (min(100 - weight, R.CAP_HIGH) if capped else 100 - weight)


def test_rtt_message_gives_the_derived_one_way_latency():
    # §2.1: one way < 50 ms client / < 30 ms edge; derived here as RTT / 2.
    f = finding(score_network(site(client_rtt_ms=120)).findings, "NET.RTT.CLIENT")
    assert "≈ 60 ms one way, target < 50 ms" in f.message
    f = finding(score_network(site(edge_rtt_ms=70)).findings, "NET.RTT.EDGE")
    assert "≈ 35 ms one way, target < 30 ms" in f.message


def test_beyond_cqd_poor_is_a_blocker():
    result = score_network(site(client_loss_pct=12))
    assert finding(result.findings, "NET.LOSS.CLIENT").severity == "critical"
    assert result.grade == "not_ready"
    assert result.score == R.CAP_CRITICAL
    cap = finding(result.findings, "NET.CAP.CRITICAL")
    assert cap.values == ("NET.LOSS.CLIENT.POOR",)


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
    # 6 Teams Rooms × 50 % in use × 10 Mbps (§2.2 / S31) = 30 Mbps; 30 % of 100 Mbps = 30.
    s = site(users=0, teams_rooms=6, circuits=(CircuitInput(down_mbps=100, up_mbps=100),))
    result = score_network(s)
    assert result.load.rec_up_kbps == 30_000
    assert outcome(result, "NET.BW.UP") == "NET.BW.UP.OK"
    s = site(users=0, teams_rooms=6, circuits=(CircuitInput(down_mbps=99.99, up_mbps=100),))
    assert outcome(score_network(s), "NET.BW.DOWN") == "NET.BW.DOWN.SHORT"


def test_each_teams_room_adds_its_10_mbps_policy_times_room_concurrency():
    base = score_network(site(teams_rooms=0)).load
    more = score_network(site(teams_rooms=4)).load
    # S31: no lower than 10 Mbps per room; ROOM_PEAK_CONCURRENCY is an assumption.
    extra = 4 * 10_000 * R.ROOM_PEAK_CONCURRENCY
    assert more.rec_up_kbps - base.rec_up_kbps == pytest.approx(extra)
    assert more.rec_down_kbps - base.rec_down_kbps == pytest.approx(extra)


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
