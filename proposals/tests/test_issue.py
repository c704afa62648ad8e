"""Issuing freezes a version; its PDF renders in the background and downloads byte for byte."""

import hashlib

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from assessments.models import Assessment, Site, Status
from proposals import services
from proposals.models import Proposal, ProposalStatus
from proposals.tests.conftest import flat, pdf_text
from tests.factories import messages_of


def download(client, assessment, version=None):
    url = reverse("proposals:proposal-download", args=[assessment.pk])
    return client.get(url, {"version": version} if version else {})


def test_issuing_freezes_a_version_and_renders_its_pdf(world, issue, client):
    proposal = issue(world.owner, world.assessment)
    assert proposal.number == 1
    assert proposal.status == ProposalStatus.READY
    assert proposal.issued_by == world.owner
    assert proposal.ruleset_version and proposal.results["recommendation"]["label"]
    assert proposal.document["meta"]["customer"]["name"] == "Contoso Manufacturing"
    assert proposal.branding["company_name"] == "Northwind Voice Ltd"
    # The file sits under the organisation's slug and a random secret.
    parts = proposal.pdf.name.split("/")
    assert parts[0] == "proposals" and parts[1] == "northwind" and len(parts[2]) >= 32
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.PROPOSAL_ISSUED

    response = download(client, world.assessment, 1)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "Proposal - Contoso Manufacturing - v1.pdf" in response["Content-Disposition"]
    assert hashlib.sha256(response.content).hexdigest() == proposal.sha256
    text = flat(pdf_text(response.content))
    assert "Version 1, issued" in text
    assert "DRAFT" not in text


def test_versions_count_up_per_assessment(world, issue):
    assert [issue(world.owner, world.assessment).number for _ in range(3)] == [1, 2, 3]
    assert issue(world.outsider, world.other_assessment).number == 1


def test_issued_bytes_never_change_after_answers_rules_or_branding_change(world, issue, client):
    first = issue(world.manager, world.assessment)
    original = download(client, world.assessment, 1).content

    world.customer.name = "Contoso Renamed"
    world.customer.save()
    Site.objects.filter(pk=world.hq.pk).update(name="Munich HQ", users=5)
    Assessment.objects.filter(pk=world.assessment.pk).update(operating_model="platform")
    world.org.primary_colour = "#000000"
    world.org.company_name = "Rebranded Partner"
    world.org.save()

    again = download(client, world.assessment, 1)
    assert again.content == original
    assert hashlib.sha256(again.content).hexdigest() == first.sha256
    second = issue(world.manager, world.assessment)
    latest = download(client, world.assessment)  # no version: the latest ready one
    assert latest.content != original
    assert hashlib.sha256(latest.content).hexdigest() == second.sha256
    assert "Munich HQ" in flat(pdf_text(latest.content))
    assert "Munich HQ" not in flat(pdf_text(original))


def test_a_repeated_download_is_served_from_storage_without_rendering(
    world, issue, client, monkeypatch
):
    issue(world.owner, world.assessment)

    def no_render(*args, **kwargs):
        raise AssertionError("a download must not render")

    monkeypatch.setattr("proposals.pdf.render.render_document", no_render)
    assert download(client, world.assessment, 1).status_code == 200


def test_a_tampered_file_is_refused_not_served(world, issue, client):
    proposal = issue(world.owner, world.assessment)
    storage = proposal.pdf.storage
    storage.delete(proposal.pdf.name)
    storage.save(proposal.pdf.name, __import__("io").BytesIO(b"%PDF-1.7 forged"))
    response = download(client, world.assessment, 1)
    assert response.status_code == 500
    assert b"forged" not in response.content
    assert "cannot be served" in response.content.decode()


def test_an_issued_proposal_is_never_edited_or_deleted(world, issue):
    proposal = issue(world.owner, world.assessment)
    with pytest.raises(ValidationError):
        proposal.delete()
    with pytest.raises(ValidationError):
        Proposal.objects.filter(pk=proposal.pk).delete()
    with pytest.raises(ValidationError):
        Proposal.objects.filter(pk=proposal.pk).update(ruleset_version="9.9.9")
    proposal.results["recommendation"]["label"] = "Something else"
    with pytest.raises(ValidationError):
        proposal.save()
    fresh = Proposal.objects.get(pk=proposal.pk)
    fresh.pdf.name = "proposals/northwind/other.pdf"
    with pytest.raises(ValidationError):
        fresh.save()
    fresh = Proposal.objects.get(pk=proposal.pk)
    fresh.sha256 = "0" * 64
    with pytest.raises(ValidationError):
        fresh.save()
    assert Proposal.objects.get(pk=proposal.pk).sha256 == proposal.sha256


def test_the_page_polls_while_rendering_and_offers_the_download_when_ready(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("proposals:proposal-issue", args=[world.assessment.pk]))
    proposal = world.assessment.proposals.get()
    assert proposal.status == ProposalStatus.QUEUED and not proposal.pdf
    status_url = reverse("proposals:proposal-status", args=[world.assessment.pk])
    page = client.get(reverse("proposals:proposal", args=[world.assessment.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Queued" in page
    for callback in callbacks:  # the transaction commits: the task runs
        callback()
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment
    assert "?version=1" in fragment and "Ready" in fragment


def test_a_failed_render_says_why_and_can_be_retried(
    world, issue, client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("font cache is read-only")

    monkeypatch.setattr("proposals.pdf.render.render_document", broken)
    proposal = issue(world.owner, world.assessment)
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.error == "RuntimeError: font cache is read-only"
    page = client.get(reverse("proposals:proposal", args=[world.assessment.pk]))
    assert "font cache is read-only" in page.content.decode()
    assert "Retry rendering" in page.content.decode()
    assert download(client, world.assessment, 1).status_code == 302

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:proposal-retry", args=[world.assessment.pk]), {"version": 1}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY and proposal.attempts == 2
    assert proposal.error == ""
    assert download(client, world.assessment, 1).status_code == 200


def test_rendering_twice_stores_nothing_twice(world, issue):
    proposal = issue(world.owner, world.assessment)
    again = services.proposal_render(proposal_id=proposal.pk)
    assert again.pdf.name == proposal.pdf.name and again.attempts == 1


def test_download_before_anything_is_issued_says_so(world, login):
    response = download(login(world.teammate), world.assessment)
    assert response.status_code == 200
    assert "No proposal has been issued yet" in response.content.decode()
    assert download(login(world.teammate), world.assessment, 7).status_code == 404


@pytest.mark.parametrize("who", ["owner", "teammate", "manager", "admin"])
def test_every_member_may_issue_and_download(world, issue, client, who):
    user = getattr(world, who)
    proposal = issue(user, world.assessment)
    assert proposal.issued_by == user
    assert messages_of(client.get(reverse("proposals:proposal", args=[world.assessment.pk])))
    assert download(client, world.assessment, proposal.number).status_code == 200


def test_another_organisation_sees_none_of_it(world, issue, client):
    issue(world.owner, world.assessment)
    client.force_login(world.outsider)
    pk = world.assessment.pk
    for name in ("proposal", "proposal-status", "proposal-download", "proposal-compare"):
        assert (
            client.get(reverse(f"proposals:{name}", args=[pk]), {"version": 1}).status_code == 404
        )
    for name in ("proposal-issue", "proposal-retry"):
        assert (
            client.post(reverse(f"proposals:{name}", args=[pk]), {"version": 1}).status_code == 404
        )
    assert world.assessment.proposals.count() == 1


def test_comparing_two_versions_shows_what_changed(world, issue, client):
    issue(world.owner, world.assessment)
    Site.objects.filter(pk=world.branch.pk).update(qos="end_to_end", users=400)
    Assessment.objects.filter(pk=world.assessment.pk).update(
        operating_model="platform", voice_skills="dedicated", routing_complexity="complex"
    )
    issue(world.owner, world.assessment)
    response = client.get(
        reverse("proposals:proposal-compare", args=[world.assessment.pk]), {"a": 2, "b": 1}
    )
    assert response.status_code == 200
    diff = response.context["diff"]
    assert response.context["old"].number == 1  # the earlier version is always on the left
    fields = {a["field"] for a in diff["answers"]}
    assert {"Voice should be…", "Voice skills in IT", "Call routing"} <= fields
    lyon = next(s for s in diff["scores"] if s["site"] == "Lyon Office")
    assert lyon["old"] != lyon["new"]
    changed = next(s for s in diff["sites"] if s["site"] == "Lyon Office")
    assert {f["field"] for f in changed["fields"]} >= {"Users", "QoS (DSCP)"}
    page = response.content.decode()
    assert "A platform we operate" in page and "Lyon Office" in page
