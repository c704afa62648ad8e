"""A draft preview of unchanged content is served from the last one's bytes, not rendered again."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment, Site
from assessments.services.versioning import Actor
from costs.services import price_book_save
from proposals import services
from proposals.models import ProposalPreview, ProposalStatus
from proposals.pdf.isolated import IsolatedPdf
from tenancy.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Count the renders; each one gives different bytes, so a served copy is told apart."""
    done: list[int] = []

    def render(snapshot, *, draft=False):
        done.append(1)
        return IsolatedPdf(data=b"%PDF-1.7 draft render " + str(len(done)).encode(), pages=3), ""

    monkeypatch.setattr(services, "render_bounded", render)
    return done


@pytest.fixture
def prepare(world, login, django_capture_on_commit_callbacks):
    """Ask for a preview on the page, as ``user``, and let the worker run it."""

    def _prepare(user=None):
        client = login(user or world.owner)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("proposals:proposal-preview-prepare", args=[world.assessment.pk]))
        preview = ProposalPreview.objects.filter(requested_by=user or world.owner).first()
        assert preview.status == ProposalStatus.READY, preview.error
        response = client.get(
            reverse("proposals:proposal-preview", args=[world.assessment.pk]), {"id": preview.pk}
        )
        assert response.status_code == 200
        return preview, response.content

    return _prepare


def test_two_requests_of_unchanged_content_render_once(world, prepare, renders):
    first, first_pdf = prepare()
    second, second_pdf = prepare()
    assert len(renders) == 1
    assert second.pk != first.pk  # a preview of its own, with its own file and lifetime
    assert second_pdf == first_pdf == b"%PDF-1.7 draft render 1"
    assert (second.page_count, second.size) == (3, len(first_pdf))
    assert second.content_sha256 == first.content_sha256 and len(first.content_sha256) == 64


def _answer(world):
    Assessment.objects.filter(pk=world.assessment.pk).update(current_telephony="hosted_pbx")


def _site(world):
    Site.objects.filter(pk=world.hq.pk).update(users=900)


def _branding(world):
    Organisation.objects.filter(pk=world.org.pk).update(primary_colour="#123456")


def _price_book(world):
    price_book_save(
        organisation=world.org,
        base_version=0,
        currency="EUR",
        prices={"oc_user_month": "9.50"},
        notes={},
        actor=Actor.for_user(world.admin),
    )


@pytest.mark.parametrize("change", [_answer, _site, _branding, _price_book])
def test_a_change_in_what_the_draft_draws_renders_again(world, prepare, renders, change):
    first, _ = prepare()
    change(world)
    second, pdf = prepare()
    assert len(renders) == 2
    assert pdf == b"%PDF-1.7 draft render 2"
    assert second.content_sha256 != first.content_sha256


def test_another_members_preview_prints_their_name_so_it_renders_again(world, prepare, renders):
    prepare(world.owner)
    prepare(world.manager)
    assert len(renders) == 2


def test_an_expired_preview_is_not_reused(world, prepare, renders):
    first, _ = prepare()
    ProposalPreview.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    _second, pdf = prepare()
    assert len(renders) == 2 and pdf == b"%PDF-1.7 draft render 2"


def test_a_cached_file_that_cannot_be_read_is_rendered_again(world, prepare, renders):
    first, _ = prepare()
    first.pdf.storage.delete(first.pdf.name)
    _second, pdf = prepare()
    assert len(renders) == 2 and pdf == b"%PDF-1.7 draft render 2"


def test_the_key_leaves_out_when_it_was_exported_but_not_the_day(world, monkeypatch):
    snapshot = services.proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    again = services.proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    again["document"]["meta"]["exported_at"] = "2020-01-01T00:00:00+00:00"
    today = services.preview_key(snapshot)
    assert services.preview_key(again) == today
    # The draft's cover prints the day it was drawn: tomorrow's draft is another drawing.
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(services.timezone, "localdate", lambda: tomorrow)
    assert services.preview_key(snapshot) != today
