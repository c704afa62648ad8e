"""The grid's new-site row and bulk bar, rendered once per process, are the forms' own."""

from django.urls import reverse

import pytest
from pytest_django.asserts import assertInHTML

from assessments import questions
from assessments.forms import BulkSetForm, GridRowForm
from assessments.grid_rows import CELLS
from assessments.models import Site
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor

pytestmark = pytest.mark.django_db


def test_the_new_row_has_every_input_as_its_form_renders_it(world, client):
    client.force_login(world.owner)
    url = reverse("assessments:site-grid", args=[world.assessment.pk])
    client.get(url)  # the first page renders the parts; the second reads them kept
    html = client.get(url).content.decode()
    form = GridRowForm(instance=Site(assessment=world.assessment), row="row-new")
    for name in CELLS:
        assertInHTML(str(form[name]), html)


def test_the_bulk_bar_offers_every_field_and_value(world, client):
    client.force_login(world.owner)
    url = reverse("assessments:site-grid", args=[world.assessment.pk])
    client.get(url)
    html = client.get(url).content.decode()
    for name in questions.bulk_fields():
        field = BulkSetForm.model_field(name)
        assertInHTML(f'<option value="{name}">{field.label}</option>', html)
        for value, label in getattr(field, "choices", ()):
            assertInHTML(f'<option value="{value}">{label}</option>', html)


def _score_cell(html: str, site) -> str:
    return html.split(f'id="row-{site.pk}-score">', 1)[1].split("</div></td>", 1)[0]


def test_a_rows_score_cell_follows_its_site_at_once(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.owner)
    url = reverse("assessments:site-grid", args=[world.assessment.pk])
    before = _score_cell(client.get(url).content.decode(), world.hq)
    assert _score_cell(client.get(url).content.decode(), world.hq) == before  # kept
    hq = Site.objects.get(pk=world.hq.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the rescore runs on commit
        site_update(
            site=hq,
            base_version=hq.version,
            changes={"client_loss_pct": 9.0, "client_rtt_ms": 400},
            actor=Actor.for_user(world.owner),
        )
    after = _score_cell(client.get(url).content.decode(), world.hq)
    assert after != before
    assert "data-top-issue" in after and "loss" in after.lower()
