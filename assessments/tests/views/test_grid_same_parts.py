"""The grid's new-site row and bulk bar, rendered once per process, are the forms' own."""

from django.urls import reverse

import pytest
from pytest_django.asserts import assertInHTML

from assessments import questions
from assessments.forms import BulkSetForm, GridRowForm
from assessments.grid_rows import CELLS
from assessments.models import Site

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
