"""The customer's questionnaire: autosave, resume, concurrent contacts, audit, bad input."""

from django.urls import reverse

import pytest

from assessments import questions
from assessments.models import Change
from invites.forms import OrganisationAnswersForm, VoiceAnswersForm
from tests.factories import form_data

pytestmark = pytest.mark.django_db


def _answers(form_class, assessment, **changes) -> dict:
    return form_data(form_class(instance=assessment), **changes)


def test_an_answer_is_saved_as_it_is_entered_and_logged_as_the_contact(client, link, world):
    data = _answers(OrganisationAnswersForm, world.assessment, current_telephony="onprem_pbx")
    response = client.post(link.url("organisation-autosave"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.current_telephony == "onprem_pbx"
    change = Change.objects.filter(object_type="assessment").latest("id")
    assert change.actor_label == "Priya Patel (customer)"
    assert change.user is None
    assert change.fields == {"current_telephony": ["unknown", "onprem_pbx"]}
    # The new version comes back for the next autosave.
    assert f'value="{world.assessment.version}" id="id_version"' in response.content.decode()


def test_save_and_continue_goes_to_the_next_step(client, link, world):
    data = _answers(VoiceAnswersForm, world.assessment, operating_model="product")
    response = client.post(link.url("voice"), data)
    assert response.status_code == 302
    assert response["Location"] == link.url("sites")
    world.assessment.refresh_from_db()
    assert world.assessment.operating_model == "product"


def _all_screens(client, link) -> str:
    """The organisation step's screens, one topic each, read one after the other."""
    url = link.url("organisation")
    topics = len(questions.customer_groups("organisation"))
    return "".join(client.get(f"{url}?topic={n}").content.decode() for n in range(1, topics + 1))


def test_dont_know_is_offered_and_never_blocks(client, link, world):
    page = _all_screens(client, link)
    assert page.count("Don&#x27;t know") >= 10
    data = _answers(OrganisationAnswersForm, world.assessment)  # everything left unknown
    assert client.post(link.url("organisation"), data).status_code == 302


def test_every_question_has_plain_help_tied_to_its_input(client, link):
    page = _all_screens(client, link)
    form = OrganisationAnswersForm()
    for name, field in form.fields.items():
        if name == "version":
            continue
        assert field.help_text, name
        assert f'id="{name}-help"' in page
        assert f'id="{name}-error"' in page
    assert "What do your people use for phone calls today?" in page
    assert "<legend" in page and "<fieldset" in page


def test_absurd_values_get_a_message_by_the_field_and_save_nothing(client, link, world):
    version = world.assessment.version
    data = _answers(
        OrganisationAnswersForm,
        world.assessment,
        mobile_first_share="250",
        phone_numbers="-3",
        current_telephony="teams",
    )
    response = client.post(link.url("organisation-autosave"), data)
    text = response.content.decode()
    assert "Not saved" in text
    assert 'id="mobile_first_share-error"' in text and "100" in text
    world.assessment.refresh_from_db()
    assert world.assessment.version == version
    assert world.assessment.current_telephony == "unknown"
    full = client.post(link.url("organisation"), data)
    assert full.status_code == 400
    assert 'aria-invalid="true"' in full.content.decode()


def test_the_same_link_resumes_where_the_contact_stopped_on_another_device(link, world):
    from django.test import Client

    phone, laptop = Client(), Client()
    phone.get(link.url("sites"))
    response = laptop.get(link.url("start"))
    assert response.status_code == 302
    assert response["Location"] == link.url("sites") + "?resumed=1"
    assert "Welcome back" in laptop.get(response["Location"]).content.decode()


def test_a_first_visit_shows_the_welcome(client, link):
    response = client.get(link.url("start"))
    assert response.status_code == 200
    assert "What you will be asked" in response.content.decode()


def test_two_contacts_on_different_sections_do_not_overwrite_each_other(make_invite, world):
    from django.test import Client

    telecom = make_invite(name="Tom Telecom", sections=["organisation"])
    it_lead = make_invite(name="Ines IT", sections=["voice"])
    tom, ines = Client(), Client()
    # Both pages are loaded from the same version.
    tom_data = _answers(OrganisationAnswersForm, world.assessment, current_telephony="hosted_pbx")
    ines_data = _answers(VoiceAnswersForm, world.assessment, operating_model="platform")
    assert tom.post(telecom.url("organisation-autosave"), tom_data).status_code == 200
    response = ines.post(it_lead.url("voice-autosave"), ines_data)
    assert "Saved" in response.content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.current_telephony == "hosted_pbx"
    assert world.assessment.operating_model == "platform"
    labels = set(
        Change.objects.filter(object_type="assessment").values_list("actor_label", flat=True)
    )
    assert {"Tom Telecom (customer)", "Ines IT (customer)"} <= labels


def test_two_contacts_answering_the_same_question_see_a_plain_conflict(make_invite, world):
    from django.test import Client

    first = make_invite(name="Tom Telecom", sections=["organisation"])
    second = make_invite(name="Tara Team", sections=["organisation"])
    a = _answers(OrganisationAnswersForm, world.assessment, current_telephony="hosted_pbx")
    b = _answers(OrganisationAnswersForm, world.assessment, current_telephony="onprem_pbx")
    Client().post(first.url("organisation-autosave"), a)
    response = Client().post(second.url("organisation-autosave"), b)
    text = response.content.decode()
    assert "Not saved" in text and "Tom Telecom (customer)" in text
    assert "Keep my answer" in text
    world.assessment.refresh_from_db()
    assert world.assessment.current_telephony == "hosted_pbx"


def test_the_staff_activity_page_shows_customer_changes(client, login, link, world):
    data = _answers(VoiceAnswersForm, world.assessment, timeline="urgent")
    client.post(link.url("voice-autosave"), data)
    page = login(world.owner).get(
        reverse("assessments:activity", args=[world.assessment.pk]), {"who": "customer"}
    )
    text = page.content.decode()
    assert "Priya Patel (customer)" in text
    assert "via link" in text
    assert "When must calling go live?" in text and "Within 3 months" in text
    overview = login(world.owner).get(
        reverse("assessments:assessment-detail", args=[world.assessment.pk])
    )
    assert "Priya Patel (customer)" in overview.content.decode()
