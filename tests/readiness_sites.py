"""Sites that tell "unknown" from "bad": one only answered "Don't know", one well known."""

from scoring.tests.scoring_builders import GOOD
from tests.factories import CircuitFactory, SiteFactory


def unknown_site(assessment, name="Graz Depot"):
    """A site added in a workshop with every answer still "Don't know" and no circuit."""
    return SiteFactory(assessment=assessment, name=name, users=12)


# What a well-known site answers: the engine tests' site that meets every target
# (scoring/tests/scoring_builders.py), so "known" means the same in both suites.
_KNOWN_ANSWERS = (
    "wifi", "internet_breakout", "proxy", "sdwan", "lte_backup", "firewall_media_ports",
    "client_rtt_ms", "client_jitter_ms", "client_loss_pct", "client_reorder_pct",
    "edge_rtt_ms", "edge_jitter_ms", "edge_loss_pct", "edge_reorder_pct",
)  # fmt: skip


def known_site(assessment, name="Leeds Office"):
    """A well-known site whose one problem is no QoS: graded, with a fix to project."""
    answers = {field: getattr(GOOD, field) for field in _KNOWN_ANSWERS}
    site = SiteFactory(
        assessment=assessment, name=name, users=40, qos="none", vpn="bypassed", **answers
    )
    CircuitFactory(site=site, down_mbps=500, up_mbps=100)
    CircuitFactory(site=site, role="backup", kind="cellular", down_mbps=100, up_mbps=50)
    return site
