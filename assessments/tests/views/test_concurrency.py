"""Two people on the same page: a stale save is merged or refused with what changed, by whom.

The live grid's rows are covered in test_site_grid.py.
"""

from django.test import Client
from django.urls import reverse

from pytest_django.asserts import assertContains

from assessments import selectors
from assessments.forms import CircuitFormSet, QuestionnaireForm, SiteForm
from assessments.models import Assessment, Change, Site
from tests.factories import form_data, formset_data, messages_of


def browser(user) -> Client:
    """A separate browser per person, so one's messages never show on the other's page."""
    client = Client()
    client.force_login(user)
    return client


def questionnaire_url(world):
    return reverse("assessments:questionnaire", args=[world.assessment.pk])


def test_questionnaire_merges_edits_of_different_answers(world):
    alices_page = form_data(QuestionnaireForm(instance=world.assessment))
    bobs_page = dict(alices_page)
    browser(world.owner).post(
        questionnaire_url(world), {**alices_page, "operating_model": "product"}
    )
    bob = browser(world.teammate)
    response = bob.post(questionnaire_url(world), {**bobs_page, "timeline": "urgent"}, follow=True)
    assert "Saved together with changes by Alice Ames." in messages_of(response)
    stored = Assessment.objects.get(pk=world.assessment.pk)
    assert (stored.operating_model, stored.timeline, stored.version) == ("product", "urgent", 3)


def test_questionnaire_refuses_a_stale_edit_and_says_what_changed(world):
    alices_page = form_data(QuestionnaireForm(instance=world.assessment))
    bobs_page = dict(alices_page)
    browser(world.owner).post(
        questionnaire_url(world), {**alices_page, "operating_model": "product"}
    )
    bob = browser(world.teammate)
    response = bob.post(
        questionnaire_url(world),
        {**bobs_page, "operating_model": "platform", "timeline": "urgent"},
    )
    assert response.status_code == 200
    [message] = messages_of(response)
    assert message.startswith("Not saved: someone else changed the same answers")
    # Choices read by their labels, as on the form, never as stored codes.
    assert (
        "Voice should be…: Alice Ames set it to “A product we use”, "
        "you entered “A platform we operate”" in message
    )
    # The form is re-based on the current version and keeps what Bob typed.
    form = response.context["form"]
    assert form["version"].value() == "2"
    assert form["timeline"].value() == "urgent"
    stored = Assessment.objects.get(pk=world.assessment.pk)
    assert (stored.operating_model, stored.timeline, stored.version) == ("product", "unknown", 2)
    assert Change.objects.filter(action="update").count() == 1
    # Saving again from the re-based form keeps Bob's choice deliberately.
    again = {k: v for k, v in form_data(form).items()}
    again.update({"operating_model": "platform", "timeline": "urgent", "version": "2"})
    bob.post(questionnaire_url(world), again)
    stored.refresh_from_db()
    assert (stored.operating_model, stored.timeline) == ("platform", "urgent")


def site_page(site):
    initial = [
        {n: getattr(c, n) for n in ("role", "kind", "down_mbps", "up_mbps", "provider")}
        for c in site.circuits.order_by(selectors.CIRCUIT_ORDER, "id")
    ]
    data = form_data(SiteForm(instance=site))
    data.update(formset_data(CircuitFormSet(initial=initial, prefix="circuits")))
    return data


def test_site_form_refuses_a_stale_edit_and_shows_who_changed_it(world):
    url = reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])
    alices_page = site_page(world.hq)
    bobs_page = dict(alices_page)
    browser(world.owner).post(url, {**alices_page, "qos": "end_to_end"})
    bob = browser(world.teammate)
    response = bob.post(url, {**bobs_page, "qos": "none", "users": "999"})
    assert response.status_code == 200
    assertContains(
        response,
        "QoS (DSCP): Alice Ames set it to “Marked and honoured end to end”, you entered “None”",
    )
    hq = Site.objects.get(pk=world.hq.pk)
    assert (hq.qos, hq.users, hq.version) == ("end_to_end", 850, 2)
    assert response.context["form"]["version"].value() == "2"


def test_site_form_merges_a_stale_edit_of_other_fields(world):
    url = reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])
    alices_page = site_page(world.hq)
    bobs_page = dict(alices_page)
    browser(world.owner).post(url, {**alices_page, "qos": "end_to_end"})
    bob = browser(world.teammate)
    response = bob.post(url, {**bobs_page, "users": "999"})
    assert response.status_code == 302
    hq = Site.objects.get(pk=world.hq.pk)
    assert (hq.qos, hq.users, hq.version) == ("end_to_end", 999, 3)
    assert hq.circuits.count() == 2


def test_remove_button_refuses_a_stale_delete(world):
    url = reverse("assessments:site-delete", args=[world.assessment.pk, world.branch.pk])
    edit = reverse("assessments:site-update", args=[world.assessment.pk, world.branch.pk])
    browser(world.owner).post(edit, {**site_page(world.branch), "users": "170"})
    bob = browser(world.teammate)
    response = bob.post(url, {"version": "1"}, follow=True)
    assert (
        "“Lyon Office” was changed by someone else since you loaded it: not removed."
        in messages_of(response)
    )
    assert Site.objects.filter(pk=world.branch.pk).exists()
