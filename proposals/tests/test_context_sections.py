"""The proposal context, composed section by section, gives the templates all they read."""

from proposals.pdf.context import ProposalContext, build_context
from proposals.services import proposal_snapshot
from tests.architecture.test_imports import import_graph


def test_the_sections_together_give_every_key_the_templates_read_and_no_other(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    for draft in (False, True):
        context = build_context(snapshot, draft=draft)
        # A key a section forgot would print as blank in the PDF without any error.
        assert set(context) == set(ProposalContext.__annotations__)
        assert context["draft"] is draft
    assert context["customer_name"] == world.assessment.customer.name
    assert context["figures"]["sites"] == len(context["sites"]) == 2


def test_every_threshold_the_appendix_lists_has_its_microsoft_source_in_appendix_b(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    context = build_context(snapshot)
    cited = {t["section"] for t in context["thresholds"] if t["section"].startswith("§")}
    assert "§2.1" in cited  # the network performance targets, at least
    sources = {s["section"]: s for s in context["sources"]}
    assert cited <= set(sources)
    for section in cited:
        # The placeholders of a section the sources table does not know.
        assert sources[section]["title"] != "Portal reference", section
        assert sources[section]["document"] != "Microsoft Teams documentation", section


def test_no_other_app_reads_the_pdf_modules():
    # What pages, services and other apps share with the PDF (labels, thresholds, branding
    # defaults) lives in the presenter or the branding module, not in the PDF's context.
    graph = import_graph()
    readers = {
        module: sorted(m for m in imported if m.startswith("proposals.pdf"))
        for module, imported in graph.items()
        # Tests may look inside the PDF (a test of another app checks what it prints).
        if not module.startswith("proposals.") and ".tests" not in module
    }
    assert not {module: pdf for module, pdf in readers.items() if pdf}
