"""The proposal reads cleanly: no heading left at a page's foot, no page holding a row or two,
no header word split, no name cut or run over its cell."""

import pytest

from proposals.pdf.context import build_context
from proposals.pdf.render import render_document, render_html
from proposals.services import proposal_snapshot
from proposals.tests.layout_faults import (
    column_headers,
    headings,
    nearly_empty_pages,
    orphaned_headings,
    overlapping_words,
    read_pages,
    split_words,
)
from tenancy.models import Font
from tests.factories import CircuitFactory, SiteFactory

# Names an estate really has: alike but for their last word, and one very long.
LONG_NAME = (
    "Zentrales Verwaltungs- und Logistikzentrum der Nordwestdeutschen Niederlassung "
    "Bremerhaven-Geestemünde"
)
ALIKE = [f"Warsaw Sales Office {side}" for side in ("North", "South", "East", "West")]


@pytest.fixture
def similar_names(world):
    """The world's assessment with four sites named alike and one with a very long name."""
    for name in [*ALIKE, LONG_NAME]:
        site = SiteFactory(assessment=world.assessment, name=name, country="PL", users=60)
        CircuitFactory(site=site, down_mbps=20, up_mbps=2)  # needs work: in every table
    return world


# Inter is the default; Merriweather is the widest of the brand fonts.
@pytest.mark.parametrize("font", [Font.INTER, Font.MERRIWEATHER])
def test_the_proposal_has_none_of_the_layout_faults_a_reader_saw(similar_names, font):
    org = similar_names.org
    org.font = font
    org.save()
    snapshot = proposal_snapshot(assessment=similar_names.assessment, issued_by="Alice Ames")
    context = build_context(snapshot)
    document_html = render_html(context)
    pages = read_pages(render_document(context).data)

    faults = {
        "headings left at a page's foot": orphaned_headings(pages, headings(document_html)),
        # The cover is a picture: little text on purpose.
        "nearly empty pages": nearly_empty_pages(pages, deliberate={1}),
        "column headers split inside a word": split_words(pages, column_headers(document_html)),
        # A long name wraps between its words, not as a sliver of broken ones.
        "a long name broken inside its words": split_words(
            pages, {w.upper() for w in LONG_NAME.split() if len(w) > 3}
        ),
        # Text cut at its cell's edge (four rows reading "Warsaw Sales") or printed over the
        # next cell.
        "text run out of its cell": overlapping_words(pages),
    }
    assert {kind: found for kind, found in faults.items() if found} == {}
