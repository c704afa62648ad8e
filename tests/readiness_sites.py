"""Sites that tell "unknown" from "bad": one only answered "Don't know", one well known."""

from tests.factories import CircuitFactory, SiteFactory


def unknown_site(assessment, name="Graz Depot"):
    """A site added in a workshop with every answer still "Don't know" and no circuit."""
    return SiteFactory(assessment=assessment, name=name, users=12)


def known_site(assessment, name="Leeds Office"):
    """A well-known site whose one problem is no QoS: graded, with a fix to project."""
    site = SiteFactory(
        assessment=assessment,
        name=name,
        users=40,
        qos="none",
        wifi="enterprise_5ghz",
        internet_breakout="local",
        proxy="bypassed",
        vpn="bypassed",
        sdwan="yes",
        lte_backup="yes",
        firewall_media_ports="yes",
        client_rtt_ms=40,
        client_jitter_ms=5,
        client_loss_pct=0.1,
        client_reorder_pct=0.01,
        edge_rtt_ms=20,
        edge_jitter_ms=3,
        edge_loss_pct=0.01,
        edge_reorder_pct=0.001,
    )
    CircuitFactory(site=site, down_mbps=500, up_mbps=100)
    CircuitFactory(site=site, role="backup", kind="cellular", down_mbps=100, up_mbps=50)
    return site
