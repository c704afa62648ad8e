"""Every render runs in a child process with a time and memory limit; a bad one fails alone."""

import base64
import os
import time
from types import SimpleNamespace

from django.core.files.base import ContentFile

import pytest

from proposals.models import ProposalStatus
from proposals.pdf.isolated import (
    PART_NICENESS,
    RenderFailed,
    RenderOutOfMemory,
    render_isolated,
    render_parts_isolated,
)
from proposals.services import proposal_snapshot, render_bounded
from proposals.tests.conftest import flat, pdf_text
from tenancy.tests import svg_samples


def never_finishes(*args, **kwargs):
    time.sleep(300)


def test_a_render_past_its_time_limit_fails_with_a_message_and_the_next_one_renders(
    world, issue, settings, monkeypatch
):
    settings.RENDER_TIMEOUT_SECONDS = 2
    monkeypatch.setattr("proposals.pdf.render.render_document", never_finishes)
    started = time.monotonic()
    stuck = issue(world.owner, world.assessment)
    assert time.monotonic() - started < 30  # not the 300 s the render wanted
    assert stuck.status == ProposalStatus.FAILED
    assert "Rendering was stopped after 2 seconds" in stuck.error
    assert "RENDER_TIMEOUT_SECONDS" in stuck.error

    monkeypatch.undo()
    settings.RENDER_TIMEOUT_SECONDS = 120
    following = issue(world.outsider, world.other_assessment)  # another tenant's proposal
    assert following.status == ProposalStatus.READY
    assert "Tailspin Insurance" in flat(pdf_text(following.pdf.read()))


def test_a_render_past_its_memory_limit_fails_with_a_message(world, monkeypatch):
    def hungry(*args, **kwargs):
        return bytearray(512 * 1024 * 1024)  # half a gigabyte, over the 300 MB allowed

    monkeypatch.setattr("proposals.pdf.render.render_document", hungry)
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    with pytest.raises(RenderOutOfMemory, match="more than the 300 MB of memory"):
        render_isolated(snapshot, memory_mb=300)


def test_an_error_inside_the_render_comes_back_as_its_message(world, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("no such page size")

    monkeypatch.setattr("proposals.pdf.render.render_document", broken)
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    with pytest.raises(RenderFailed, match="ValueError: no such page size"):
        render_isolated(snapshot)


def test_a_stored_logo_over_the_budget_is_left_out_of_the_proposal_with_a_note(world, issue):
    # Stored before the budget existed: the issue's logo, a million paths drawn out.
    world.org.logo.save("old.svg", ContentFile(svg_samples.use_laughs()), save=True)
    started = time.monotonic()
    proposal = issue(world.owner, world.assessment)
    assert time.monotonic() - started < 60
    assert proposal.status == ProposalStatus.READY
    assert proposal.branding["logo_data_uri"] == ""
    assert proposal.note.startswith("Rendered without the logo: Drawn out, this SVG")
    assert "Contoso Manufacturing" in flat(pdf_text(proposal.pdf.read()))


def test_a_logo_frozen_into_an_older_proposal_is_checked_again_at_render(world):
    # A proposal issued before the budget froze the logo into its snapshot as a data URI.
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    payload = base64.b64encode(svg_samples.use_laughs()).decode()
    snapshot["branding"]["logo_data_uri"] = f"data:image/svg+xml;base64,{payload}"
    started = time.monotonic()
    rendered, note = render_bounded(snapshot)
    assert time.monotonic() - started < 60
    assert note.startswith("Rendered without the logo:")
    assert rendered.data.startswith(b"%PDF") and rendered.pages >= 8


def test_a_logo_within_the_budget_is_still_drawn(world, issue):
    world.org.logo.save("logo.svg", ContentFile(svg_samples.symbols_logo()), save=True)
    proposal = issue(world.owner, world.assessment)
    assert proposal.status == ProposalStatus.READY and proposal.note == ""
    assert proposal.branding["logo_data_uri"].startswith("data:image/svg+xml;base64,")


def reports_its_priority(*args, **kwargs):
    """A render that sends back its process's niceness instead of a PDF."""
    return SimpleNamespace(data=b"%d" % os.getpriority(os.PRIO_PROCESS, 0), pages=os.nice(0))


def test_annex_parts_render_at_a_lower_priority_than_the_worker_and_the_proposal(
    world, monkeypatch
):
    monkeypatch.setattr("proposals.pdf.render.warm_up", lambda font: None)
    monkeypatch.setattr("proposals.pdf.render.render_annex_part", reports_its_priority)
    monkeypatch.setattr("proposals.pdf.render.render_document", reports_its_priority)
    worker = os.nice(0)
    parts = render_parts_isolated([{"branding": {"font": ""}}] * 2, processes=2)
    part = min(worker + PART_NICENESS, 19)  # the kernel's lowest priority is 19
    assert part > worker
    assert [(p.data, p.pages) for p in parts] == [(b"%d" % part, part)] * 2
    # The proposal itself, the one render that cannot be split, keeps the worker's priority.
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    proposal = render_isolated(snapshot)
    assert (proposal.data, proposal.pages) == (b"%d" % worker, worker)
    assert os.nice(0) == worker  # and the worker's own is untouched


def reports_its_collector(*args, **kwargs):
    """A render that sends back its collector's threshold and frozen objects instead of a PDF."""
    import gc

    return SimpleNamespace(data=b"%d" % gc.get_threshold()[0], pages=gc.get_freeze_count())


def test_render_processes_leave_the_garbage_collector_out_of_their_layout(world, monkeypatch):
    import gc

    monkeypatch.setattr("proposals.pdf.render.warm_up", lambda font: None)
    monkeypatch.setattr("proposals.pdf.render.render_annex_part", reports_its_collector)
    monkeypatch.setattr("proposals.pdf.render.render_document", reports_its_collector)
    worker = gc.get_threshold()
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    for rendered in (render_isolated(snapshot), *render_parts_isolated([{"branding": {}}])):
        # Collections a hundred times rarer, and none walks the objects the worker left.
        assert int(rendered.data) >= 100 * 700
        assert rendered.pages > 10_000
    assert gc.get_threshold() == worker  # the worker's own collector is untouched
