"""No help text a user reads cites "domain.md", a file that is not in the repository."""

from django import forms as django_forms
from django.apps import apps

import pytest

from assessments import forms as assessment_forms
from assessments.document_schema import schema_text
from imports import forms as import_forms
from invites import forms as invite_forms

INTERNAL = "domain.md"


def test_no_model_help_text_cites_the_internal_notes():
    cited = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if INTERNAL in str(getattr(field, "help_text", ""))
    ]
    assert cited == []


def _form_classes():
    for module in (assessment_forms, import_forms, invite_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_forms.BaseForm):
                yield value


@pytest.mark.parametrize("form_class", list(_form_classes()), ids=lambda c: c.__name__)
def test_no_form_help_text_or_label_cites_the_internal_notes(form_class):
    for name, field in form_class.base_fields.items():
        assert INTERNAL not in str(field.help_text), name
        assert INTERNAL not in str(field.label or ""), name


def test_the_json_schema_cites_no_internal_notes():
    assert INTERNAL not in schema_text()


def test_the_measurement_paste_help_still_says_what_the_edge_segment_shows():
    # The citation went; the advice stays.
    assert "ISP path alone" in " ".join(
        str(f.help_text) for f in import_forms.MeasurementPasteForm.base_fields.values()
    )
