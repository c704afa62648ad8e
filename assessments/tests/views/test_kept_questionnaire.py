"""The questions page reuses its rendered fields per set of answers: same HTML, own token."""

import re

from django.template import Context, Template
from django.urls import reverse

from assessments.forms import QuestionnaireForm
from assessments.models import Assessment

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(world):
    return reverse("assessments:questionnaire", args=[world.assessment.pk])


def crispy_fields(assessment, token: str) -> str:
    """The fields as crispy-forms itself renders them for this token."""
    form = QuestionnaireForm(instance=Assessment.objects.get(pk=assessment.pk))
    template = Template("{% load crispy_forms_tags %}{% crispy form %}")
    return template.render(Context({"form": form, "csrf_token": token}))


def test_the_page_holds_crispys_own_fields_with_each_visitors_token(world, login, client):
    first = login(world.owner).get(url(world)).content.decode()
    client.logout()
    second = login(world.teammate).get(url(world)).content.decode()
    (token_1,), (token_2,) = set(TOKEN.findall(first)), set(TOKEN.findall(second))
    assert token_1 != token_2
    # The second page reused the first's fields, yet carries only its own visitor's token.
    assert crispy_fields(world.assessment, token_1) in first
    assert crispy_fields(world.assessment, token_2) in second
    assert token_1 not in second


def test_a_changed_answer_shows_at_once(world, login):
    client = login(world.owner)
    client.get(url(world))
    Assessment.objects.filter(pk=world.assessment.pk).update(sbc_count=7, version=2)
    page = client.get(url(world)).content.decode()
    (token,) = set(TOKEN.findall(page))
    assert crispy_fields(world.assessment, token) in page
    assert re.search(r'name="sbc_count"[^>]*value="7"', page)


def test_a_refused_answer_is_rendered_with_its_message(world, login):
    client = login(world.owner)
    client.get(url(world))
    data = {"version": world.assessment.version, "sbc_count": "-3"}
    page = client.post(url(world), data).content.decode()
    assert "is-invalid" in page
