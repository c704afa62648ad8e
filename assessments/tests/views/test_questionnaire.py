"""The organisation questionnaire: answers are saved, bad ones explained, nothing half-saved."""

from django.urls import reverse

from pytest_django.asserts import assertContains, assertRedirects

from assessments.forms import QuestionnaireForm
from assessments.models import Change
from tests.factories import form_data, messages_of


def url(world):
    return reverse("assessments:questionnaire", args=[world.assessment.pk])


def answers(world, **overrides):
    return form_data(QuestionnaireForm(instance=world.assessment), **overrides)


def test_the_page_shows_every_section_with_help(world, login):
    response = login(world.owner).get(url(world))
    assert response.status_code == 200
    for title in (
        "Today&#x27;s telephony",
        "How you want to run voice",
        "Calling features and integrations",
        "Numbers and emergency calling",
    ):
        assertContains(response, title)
    assertContains(response, "Low tolerance favours an operator-run service with an SLA.")
    assert "domain.md" not in response.content.decode()  # no source a reader cannot open
    assertContains(response, "0 of 30 answered")


def test_saving_stores_the_answers_and_logs_them(world, login):
    data = answers(
        world,
        operating_model="product",
        voice_skills="none",
        sbc_count=2,
        voice_staff_fte="0.5",
        pbx_contract_end="2027-03-31",
        current_carriers="BT, Orange",
    )
    response = login(world.owner).post(url(world), data, follow=True)
    assertRedirects(response, reverse("assessments:assessment-detail", args=[world.assessment.pk]))
    assert "Organisation answers saved." in messages_of(response)
    assertContains(response, "6 of 30 answered")
    a = world.assessment
    a.refresh_from_db()
    assert a.operating_model == "product"
    assert a.voice_skills == "none"
    assert a.sbc_count == 2
    assert str(a.voice_staff_fte) == "0.5"
    assert a.pbx_contract_end.isoformat() == "2027-03-31"
    assert a.version == 2
    change = Change.objects.get(action="update")
    assert change.fields["operating_model"] == ["undecided", "product"]
    assert change.fields["sbc_count"] == [None, 2]
    assert change.fields["voice_staff_fte"] == [None, "0.5"]
    assert change.fields["pbx_contract_end"] == [None, "2027-03-31"]
    assert change.user == world.owner
    assert change.actor_label == "Alice Ames"


def test_progress_counts_answered_questions(world, login):
    client = login(world.owner)
    client.post(url(world), answers(world, operating_model="product", timeline="urgent"))
    response = client.get(url(world))
    assertContains(response, "2 of 30 answered")


def test_a_negative_sbc_count_is_explained_and_nothing_is_saved(world, login):
    response = login(world.owner).post(
        url(world), answers(world, sbc_count=-1, operating_model="platform")
    )
    assert response.status_code == 200
    assert "sbc_count" in response.context["form"].errors
    assert "Some answers need a correction: see the marked fields." in messages_of(response)
    world.assessment.refresh_from_db()
    assert world.assessment.operating_model == "undecided"
    assert world.assessment.version == 1
    assert not Change.objects.filter(action="update").exists()


def test_saving_without_changes_keeps_the_version(world, login):
    response = login(world.owner).post(url(world), answers(world))
    assert response.status_code == 302
    world.assessment.refresh_from_db()
    assert world.assessment.version == 1
    assert not Change.objects.filter(action="update").exists()


def test_a_missing_version_is_refused(world, login):
    data = answers(world, operating_model="product")
    del data["version"]
    response = login(world.owner).post(url(world), data)
    assert response.status_code == 200
    world.assessment.refresh_from_db()
    assert world.assessment.operating_model == "undecided"
