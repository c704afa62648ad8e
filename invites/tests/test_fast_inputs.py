"""The questionnaire's inputs rendered in Python are Django's own markup."""

import re

import pytest

from assessments.models import Site
from assessments.templatetags.portal import fast_option
from invites.forms import CustomerSiteForm
from invites.templatetags.invite import marked
from invites.views.customer import STEP_FORMS, TOPIC_FORMS

pytestmark = pytest.mark.django_db


def _forms(world):
    assessment = world.assessment
    assessment.__class__.objects.filter(pk=assessment.pk).update(notes='Floor 3 & "annex" <b>')
    assessment.refresh_from_db()
    for form_class in [*STEP_FORMS.values(), *TOPIC_FORMS.values()]:
        form = form_class(instance=assessment)
        yield form
        # Sent back with every choice moved to its last option, as a customer would.
        data = {"version": str(assessment.version)}
        for name, field in form.fields.items():
            choices = [value for value, _label in getattr(field, "choices", ())]
            if choices:
                data[name] = str(choices[-1])
        yield form_class(data, instance=assessment)
    site = Site.objects.get(pk=world.hq.pk)
    yield CustomerSiteForm(instance=site)


def _tags(html: str) -> str:
    # Django's select template puts each option on a line of its own: the same document.
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_every_input_of_every_customer_form_is_djangos_own_markup(world):
    seen = {"radio": 0, "other": 0}
    for form in _forms(world):
        for field in form:
            if getattr(field.field.widget, "input_type", "") == "radio":
                for option in field:
                    assert fast_option(option) == option.tag()
                    seen["radio"] += 1
            elif not field.errors:
                assert _tags(marked(field)) == _tags(field.as_widget())
                seen["other"] += 1
    # The check covered both kinds, many times over.
    assert seen["radio"] > 50 and seen["other"] > 10
