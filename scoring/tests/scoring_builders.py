"""Builders for engine inputs: a site that meets every target, then one change per test."""

from dataclasses import replace

from scoring.inputs import AssessmentInput, CircuitInput, SiteInput

# 100 users, 20 % concurrency, 80 % on site → 16 concurrent calls. At the §2.2
# recommended meeting rates with the ruleset's video/sharing shares that is
# 16 × 1,808 = 28,928 kbps up and 16 × 2,558 = 40,928 kbps down; 30 % of 1 Gbps carries it.
GOOD = SiteInput(
    name="HQ",
    country="GB",
    users=100,
    peak_concurrency=20,
    sdwan="yes",
    lte_backup="yes",
    internet_breakout="local",
    proxy="bypassed",
    vpn="none",
    qos="end_to_end",
    wifi="enterprise_5ghz",
    firewall_media_ports="yes",
    client_rtt_ms=40,
    client_jitter_ms=10,
    client_loss_pct=0.2,
    client_reorder_pct=0.01,
    edge_rtt_ms=20,
    edge_jitter_ms=5,
    edge_loss_pct=0.01,
    edge_reorder_pct=0.001,
    operator_available="yes",
    regulation="none",
    needs_survivability="no",
    emergency_address_ready="ready",
    circuits=(
        CircuitInput(down_mbps=1000, up_mbps=1000),
        CircuitInput(down_mbps=100, up_mbps=100, role="backup", kind="cellular"),
    ),
)

BLANK = SiteInput(name="Blank", country="GB")


def site(**changes) -> SiteInput:
    """The good site with some fields changed."""
    return replace(GOOD, **changes)


def assessment(*sites: SiteInput, **answers) -> AssessmentInput:
    """An assessment of ``sites`` (the good site if none) with some org answers."""
    return AssessmentInput(title="Test", sites=sites or (GOOD,), **answers)


def codes(findings) -> list[str]:
    """The codes of some findings, in order."""
    return [f.code for f in findings]


def finding(findings, prefix: str):
    """The one finding whose code starts with ``prefix``."""
    found = [f for f in findings if f.code.startswith(prefix)]
    assert len(found) == 1, (prefix, codes(findings))
    return found[0]


def outcome(network, prefix: str) -> str:
    """The code a network rule produced: a finding's, or a pass code (0 points)."""
    found = [f.code for f in network.findings if f.code.startswith(prefix)]
    found += [code for code in network.passed if code.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]
