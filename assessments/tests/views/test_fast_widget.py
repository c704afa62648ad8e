"""The grid's fast input rendering gives the same markup as Django's widget templates."""

from django.test.html import parse_html

import pytest

from assessments.forms import GridRowForm
from assessments.templatetags.portal import fast_widget

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bound", [False, True])
def test_fast_widget_matches_django_for_every_grid_input(world, bound):
    form = GridRowForm(instance=world.hq, row="row-1")
    if bound:  # a bound form with an error and odd characters in the values
        data = {f.html_name: f.value() for f in form}
        data.update({"name": 'HQ "North" <b>', "users": "-5", "qos": "partial"})
        form = GridRowForm(data, instance=world.hq, row="row-1")
        form.is_valid()
    for field in form:
        assert parse_html(str(fast_widget(field))) == parse_html(str(field.as_widget())), field.name
