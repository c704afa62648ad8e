"""Every form of the portal renders values a browser reads back, and bounds its formsets.

These guard the class of bug, not one field: a date field added tomorrow with Django's
default widget renders 30/06/2027 under en-GB, shows blank in the date picker, and is
erased by the next save.
"""

from django import forms
from django.conf import settings

import pytest

import portal.urls  # noqa: F401  (imports every view module, and so every form)
from assessments.forms import ISO_DATE, IsoDateInput, MultilineField


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


PORTAL_FORMS = sorted(
    {c for c in _subclasses(forms.BaseForm) if c.__module__.split(".")[0] in settings.PORTAL_APPS},
    key=lambda c: f"{c.__module__}.{c.__qualname__}",
)
PORTAL_FORMSETS = [
    c for c in _subclasses(forms.BaseFormSet) if getattr(c, "form", None) in PORTAL_FORMS
]


def _fields(form_class):
    return [(f"{form_class.__qualname__}.{n}", f) for n, f in form_class.base_fields.items()]


def test_the_portal_has_the_forms_this_guard_checks():
    names = {c.__qualname__ for c in PORTAL_FORMS}
    assert {"QuestionnaireForm", "SiteForm", "CustomerSiteForm", "MeasurementPasteForm"} <= names
    assert PORTAL_FORMSETS


@pytest.mark.parametrize("form_class", PORTAL_FORMS, ids=lambda c: c.__qualname__)
def test_every_input_renders_a_value_the_browser_reads_back(form_class):
    for name, field in _fields(form_class):
        widget = field.widget
        if isinstance(field, forms.DateTimeField | forms.TimeField):
            pytest.fail(f"{name}: give datetime-local/time inputs an ISO format like dates")
        if isinstance(field, forms.DateField):
            assert isinstance(widget, IsoDateInput), name
            assert widget.format == ISO_DATE and widget.input_type == "date", name
        if isinstance(widget, forms.Textarea):
            assert isinstance(field, MultilineField), f"{name}: CR LF from the browser"
        if isinstance(widget, forms.NumberInput):
            # A localized number input renders 22,5 or 1,000: a browser reads neither.
            assert not field.localize and not widget.is_localized, name


@pytest.mark.parametrize("formset", PORTAL_FORMSETS, ids=lambda c: c.__name__)
def test_every_formset_refuses_more_rows_than_a_record_can_have(formset):
    assert formset.validate_max
    assert formset.absolute_max == formset.max_num <= 50
