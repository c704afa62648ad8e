"""Draft previews: asked for on the page, rendered by the worker, followed, opened, expired."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import ProposalPreview, ProposalStatus
from proposals.tests.conftest import flat, pdf_text
from tests.factories import AssessmentFactory, messages_of


def urls(assessment):
    return {
        name: reverse(f"proposals:proposal{name}", args=[assessment.pk])
        for name in ("", "-preview", "-preview-prepare", "-preview-status")
    }


def test_preparing_a_preview_renders_it_in_the_worker_and_the_page_offers_it(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    url = urls(world.assessment)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url["-preview-prepare"], follow=True)
    # The panel follows the preview; no message that would outlive it.
    assert messages_of(response) == []
    page = response.content.decode()
    assert 'hx-trigger="every 1s"' in page and "Queued" in page  # the page follows it
    assert not ProposalPreview.objects.get().pdf  # the request rendered nothing

    for callback in callbacks:  # the transaction commits: the worker renders it
        callback()
    fragment = client.get(url["-preview-status"]).content.decode()
    assert "hx-trigger" not in fragment and "Open the draft PDF" in fragment
    preview = ProposalPreview.objects.get()
    assert f"?id={preview.pk}" in fragment and f"{preview.page_count} pages" in fragment

    response = client.get(url["-preview"], {"id": preview.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "no-store"
    text = flat(pdf_text(response.content))
    assert "DRAFT" in text and "Contoso Manufacturing" in text and "Stuttgart HQ" in text


def test_a_second_click_while_pending_finds_the_same_preview(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    url = urls(world.assessment)["-preview-prepare"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(3):
            client.post(url)
    assert ProposalPreview.objects.count() == 1
    assert len(callbacks) == 1  # one render queued, not three


def test_a_member_has_few_previews_pending_at_once(world, login):
    client = login(world.owner)
    customer = world.assessment.customer
    for i in range(services.MAX_PENDING_PREVIEWS):
        other = AssessmentFactory(customer=customer, owner=world.owner, title=f"Phase {i}")
        services.preview_request(assessment=other, user=world.owner)
    response = client.post(urls(world.assessment)["-preview-prepare"], follow=True)
    assert "You already have 3 previews being prepared" in " ".join(messages_of(response))
    assert not ProposalPreview.objects.filter(assessment=world.assessment).exists()


def test_a_preview_is_its_members_own(world, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(world.owner).post(urls(world.assessment)["-preview-prepare"])
    preview = ProposalPreview.objects.get()
    assert preview.status == ProposalStatus.READY
    teammate = login(world.teammate)
    response = teammate.get(urls(world.assessment)["-preview"], {"id": preview.pk})
    assert response["Content-Type"].startswith("text/html")
    assert "No draft preview is ready" in response.content.decode()
    assert "Open the draft PDF" not in teammate.get(urls(world.assessment)[""]).content.decode()


def test_a_failed_preview_says_why_and_can_be_prepared_again(
    world, login, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RENDER_TIMEOUT_SECONDS = 1
    monkeypatch.setattr(
        "proposals.pdf.render.render_document", lambda *a, **k: __import__("time").sleep(60)
    )
    client = login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(world.assessment)["-preview-prepare"])
    page = client.get(urls(world.assessment)[""]).content.decode()
    assert "Failed" in page and "Rendering was stopped after 1 seconds" in page
    assert "Prepare a new preview" in page

    monkeypatch.undo()
    settings.RENDER_TIMEOUT_SECONDS = 120
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(world.assessment)["-preview-prepare"])
    ready = ProposalPreview.objects.get()  # the failed one was cleared away
    assert ready.status == ProposalStatus.READY


def test_previews_expire_and_are_deleted_with_their_file(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(world.assessment)["-preview-prepare"])
    old = ProposalPreview.objects.get()
    storage, name = old.pdf.storage, old.pdf.name
    ProposalPreview.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    response = client.get(urls(world.assessment)["-preview"], {"id": old.pk})
    assert "No draft preview is ready" in response.content.decode()
    assert services.previews_clean_up() == 1
    assert not ProposalPreview.objects.exists() and not storage.exists(name)


def test_without_a_preview_the_page_says_what_to_do(world, login):
    client = login(world.owner)
    page = client.get(urls(world.assessment)[""]).content.decode()
    assert "Prepare a draft to read the proposal" in page and "Prepare preview" in page
    response = client.get(urls(world.assessment)["-preview"], {"id": "²"})
    assert response.status_code == 200
    assert "No draft preview is ready" in response.content.decode()


def test_the_clean_up_command_deletes_every_expired_preview(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(world.assessment)["-preview-prepare"])
    ProposalPreview.objects.update(created_at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    call_command("clear_expired_previews", stdout=out)
    assert "Deleted 1 expired preview(s)." in out.getvalue()
    assert not ProposalPreview.objects.exists()


def test_a_preview_whose_worker_died_does_not_block_the_next_one(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.owner)
    url = urls(world.assessment)["-preview-prepare"]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)  # queued; the worker that took it then died mid-render
    ProposalPreview.objects.update(
        status=ProposalStatus.RENDERING, updated_at=timezone.now() - timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert ProposalPreview.objects.get().status == ProposalStatus.READY
