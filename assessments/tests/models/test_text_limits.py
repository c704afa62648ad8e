"""Text limits: one per field, enforced alike by the forms, the JSON document, the import and
the models (a 4 MB note used to be stored)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

import pytest

from assessments.forms import (
    CircuitFormSet,
    CustomerForm,
    QuestionnaireForm,
    SiteForm,
)
from assessments.models import Assessment, Customer, Site
from assessments.schema import schema
from assessments.services.assessments import circuits_plain, site_update
from assessments.services.versioning import Actor
from imports.services.site_lists import SITE_COLUMN_BY_KEY
from invites.forms import CustomerSiteForm
from tenancy.models import Organisation
from tenancy.models.base import NOTES_MAX_LENGTH
from tests.factories import form_data, formset_data

pytestmark = pytest.mark.django_db

FREE_TEXT = (models.CharField, models.TextField)


def _text_fields(model) -> dict[str, int | None]:
    return {
        f.name: f.max_length
        for f in model._meta.concrete_fields
        if isinstance(f, FREE_TEXT) and not f.choices and f.editable
    }


@pytest.mark.parametrize("model", [Customer, Assessment, Site, Organisation])
def test_every_free_text_field_has_a_limit_the_model_enforces(model):
    for name, limit in _text_fields(model).items():
        assert limit, f"{model.__name__}.{name} has no limit"
        row = model(**{name: "x" * (limit + 1)})
        with pytest.raises(ValidationError) as info:
            row.full_clean()
        assert name in info.value.message_dict, f"{model.__name__}.{name} is not enforced"


@pytest.mark.parametrize(
    ("form", "model"),
    [(CustomerForm, Customer), (QuestionnaireForm, Assessment), (SiteForm, Site),
     (CustomerSiteForm, Site)],
)  # fmt: skip
def test_forms_take_the_models_limits(form, model):
    limits = _text_fields(model)
    for name, field in form.base_fields.items():
        if name in limits and hasattr(field, "max_length") and name != "country":
            assert field.max_length, f"{form.__name__}.{name} takes text of any length"
            assert field.max_length == limits[name], f"{form.__name__}.{name}"


def test_the_json_document_takes_the_models_limits():
    doc = schema()
    sections = [
        (doc["properties"]["answers"]["properties"], Assessment),
        (doc["$defs"]["site"]["properties"], Site),
        (doc["properties"]["meta"]["properties"]["customer"]["properties"], Customer),
    ]
    for properties, model in sections:
        limits = _text_fields(model)
        for name, node in properties.items():
            if name in limits and node.get("type") == "string" and "pattern" not in node:
                assert node.get("maxLength"), f"{model.__name__}.{name} has no maxLength"
                assert node["maxLength"] == limits[name], f"{model.__name__}.{name}"
    assert doc["properties"]["meta"]["properties"]["title"]["maxLength"] == (
        Assessment._meta.get_field("title").max_length
    )


def test_the_site_import_takes_the_models_limits():
    limits = _text_fields(Site)
    for key, column in SITE_COLUMN_BY_KEY.items():
        if column.kind == "text":
            assert column.max_length, f"{key} takes text of any length"
            assert column.max_length == limits[key], key
    assert SITE_COLUMN_BY_KEY["notes"].max_length == NOTES_MAX_LENGTH


def test_a_service_refuses_a_note_longer_than_the_limit(world):
    with pytest.raises(ValidationError) as info:
        site_update(
            site=world.hq,
            base_version=world.hq.version,
            changes={"notes": "n" * (NOTES_MAX_LENGTH + 1)},
            actor=Actor.for_user(world.owner),
        )
    assert "notes" in info.value.message_dict
    assert Site.objects.get(pk=world.hq.pk).notes == ""


def test_a_four_megabyte_note_is_refused_by_the_customer_form(world, login):
    url = reverse("assessments:customer-update", args=[world.customer.pk])
    form = CustomerForm(instance=world.customer, organisation=world.org)
    response = login(world.owner).post(url, form_data(form, notes="n" * 4_000_000))
    assert response.status_code == 200
    assert "notes" in response.context["form"].errors
    world.customer.refresh_from_db()
    assert world.customer.notes == ""


def test_the_site_form_shows_the_limit_and_refuses_longer_notes(world, login):
    url = reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])
    client = login(world.owner)
    assert f'maxlength="{NOTES_MAX_LENGTH}"' in client.get(url).content.decode()
    data = form_data(SiteForm(instance=world.hq), notes="n" * (NOTES_MAX_LENGTH + 1))
    data.update(formset_data(CircuitFormSet(initial=circuits_plain(world.hq), prefix="circuits")))
    response = client.post(url, data)
    assert response.status_code == 200
    assert "notes" in response.context["form"].errors
    assert Site.objects.get(pk=world.hq.pk).notes == ""
