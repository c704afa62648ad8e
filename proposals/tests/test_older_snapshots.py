"""A proposal issued before the result carried its summary and top issues still reads the same."""

import copy

from proposals.pdf.context import build_context
from proposals.services import proposal_snapshot


def test_a_snapshot_without_the_summary_and_top_issues_gives_the_same_figures(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    summary = snapshot["results"]["summary"]
    assert (summary["site_count"], summary["user_count"]) == (2, 1010)
    assert [s["network"]["top_issue"]["code"] for s in snapshot["results"]["sites"]]

    # What a version issued before stored: no summary, no top issue per site.
    older = copy.deepcopy(snapshot)
    del older["results"]["summary"]
    for site in older["results"]["sites"]:
        del site["network"]["top_issue"]
    now, before = build_context(snapshot), build_context(older)
    assert before["figures"] == now["figures"]
    assert before["sites"] == now["sites"]
    assert [s["top_issue"] for s in now["sites"]] != ["", ""]
