"""A large estate's cost chapter sums the sites' own SBCs up; the workbook gives each one."""

import io
import re

import pytest
from openpyxl import load_workbook

from bench.score_sites import make_assessments
from proposals import services
from proposals.models import AnnexKind
from proposals.pdf.context import build_context
from proposals.pdf.render import render_document
from proposals.pdf.sections.large import EXAMPLES
from proposals.tests.conftest import flat, pdf_text
from proposals.tests.test_annex import estate_snapshot
from scoring import score_assessment
from scoring.costs import EMPTY_BOOK, cost_of_ownership
from scoring.decode import cost_result_from_dict
from tests.factories import OrganisationFactory


def costed_snapshot(org, n_sites: int) -> dict:
    """:func:`estate_snapshot` with the costs an issued proposal freezes beside its results."""
    snapshot = estate_snapshot(org, n_sites)
    source = make_assessments(n_sites, n_sites, seed=6)[0]  # the same estate, drawn again
    costs = cost_of_ownership(score_assessment(source), source, EMPTY_BOOK).to_dict()
    snapshot["results"]["costs"] = {**costs, "price_book": {"version": 4, "saved_at": None}}
    return snapshot


def cost_chapter(pdf: bytes) -> str:
    """The text of the main document's cost chapter, as a reader searches it."""
    text = flat(pdf_text(pdf))
    start = text.index("5 What it costs What does each model cost")
    return text[start : text.index("Figures are planning estimates", start)]


@pytest.fixture(scope="module")
def large():
    """A 120-site estate (past the main document's detail): about 60 sites with own SBCs."""
    snapshot = costed_snapshot(OrganisationFactory.build(name="Northwind Voice"), 120)
    plan = cost_result_from_dict(snapshot["results"]["costs"]).sbc
    return snapshot, plan


def test_the_main_document_names_a_few_of_the_sites_with_their_own_sbcs(large):
    snapshot, plan = large
    local = [g for g in plan.groups if g.local]
    assert len(local) > 20  # enough to have filled pages at one bullet a site
    chapter = cost_chapter(render_document(build_context(snapshot)).data)
    named = [g.region for g in local if re.search(rf"\b{re.escape(g.region)}\b", chapter)]
    assert len(named) == EXAMPLES, named
    # The busiest are the examples, and the one bullet gives the totals and where each is.
    busiest = max(local, key=lambda g: g.peak_calls)
    assert busiest.region in named
    local_sbcs = sum(g.sbcs for g in local)
    licences = sum(g.session_licences for g in local)
    assert (
        f"{len(local)} sites ({busiest.region}, " in chapter
        and f"and {len(local) - EXAMPLES} more) with {local_sbcs:,} SBCs in all" in chapter
        and f"{licences:,} session licences" in chapter
    )
    assert 'site annex\'s workbook (sheet "SBCs")' in chapter
    # Every region's pair keeps its own bullet.
    for g in plan.groups:
        if not g.local:
            assert f"{g.region}: {g.sbcs} {g.size} SBC" in chapter


def test_the_workbook_gives_every_sbc_group_with_the_plans_totals(large):
    snapshot, plan = large
    data, _pages = services.annex_file(snapshot, AnnexKind.XLSX)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert "SBCs" in book.sheetnames
    header, *rows = book["SBCs"].iter_rows(values_only=True)
    column = {label: i for i, label in enumerate(header)}
    assert len(rows) == len(plan.groups)
    assert [r[column["Region or site"]] for r in rows] == [g.region for g in plan.groups]
    assert sum(r[column["SBCs"]] for r in rows) == plan.sbcs
    assert sum(r[column["Session licences"]] for r in rows) == plan.session_licences
    own = [r for r in rows if r[column["Site's own"]] == "Yes"]
    assert len(own) == sum(g.local for g in plan.groups)
    first = own[0]
    group = next(g for g in plan.groups if g.region == first[column["Region or site"]])
    assert first[column["Sites served"]] == 1
    assert first[column["Peak calls"]] == group.peak_calls
    assert first[column["Size"]] == group.size.capitalize()
    assert first[column["Rule"]].startswith(f"{group.peak_calls} peak call(s)")


def test_a_small_estate_lists_every_sbc_group(world):
    snapshot = costed_snapshot(world.org, 12)
    plan = cost_result_from_dict(snapshot["results"]["costs"]).sbc
    local = [g for g in plan.groups if g.local]
    assert len(local) >= 3
    context = build_context(snapshot)
    assert not context["annex"]["needed"]
    chapter = cost_chapter(render_document(context).data)
    for g in plan.groups:
        assert f"Direct Routing, {g.region}: {g.sbcs} {g.size} SBC" in chapter, g.region
    assert 'sheet "SBCs"' not in chapter


def test_a_version_issued_before_costs_has_no_sbc_sheet(world):
    snapshot = estate_snapshot(world.org, 12)  # results without costs
    data, _pages = services.annex_file(snapshot, AnnexKind.XLSX)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert "SBCs" not in book.sheetnames and "Sites" in book.sheetnames
