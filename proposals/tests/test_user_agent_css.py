"""The proposal's own user-agent stylesheet renders exactly what WeasyPrint's would."""

import subprocess
from pathlib import Path

import weasyprint

from proposals.pdf.context import build_context
from proposals.pdf.render import ProposalHTML, render_document
from proposals.pdf.sections.sites import COMPACT_FROM_SITES
from proposals.services import proposal_snapshot
from tests.factories import CircuitFactory, SiteFactory


def pages_as_images(data: bytes, folder: Path) -> list[bytes]:
    """Every page rasterised (poppler), so two PDFs can be compared pixel for pixel."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-", str(folder / "p")], input=data, check=True)
    return [path.read_bytes() for path in sorted(folder.glob("p-*.png"))]


def test_the_trimmed_user_agent_sheet_changes_no_pixel(world, tmp_path):
    # Enough sites for the compact layout, with answers that fill every section.
    for i in range(COMPACT_FROM_SITES + 2):
        site = SiteFactory(
            assessment=world.assessment,
            name=f"Branch {i:02d}",
            qos="none",
            vpn="through",
            client_rtt_ms=110.0 + i,
        )
        CircuitFactory(site=site, down_mbps=20, up_mbps=2)
    context = build_context(proposal_snapshot(assessment=world.assessment, issued_by="Al"))
    ours = render_document(context, html_class=ProposalHTML)
    weasyprints = render_document(context, html_class=weasyprint.HTML)
    assert ours.pages == weasyprints.pages > 10
    assert pages_as_images(ours.data, tmp_path / "ours") == pages_as_images(
        weasyprints.data, tmp_path / "weasyprint"
    )
