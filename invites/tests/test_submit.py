"""Submitting: read-only for contacts, the owner notified by email and badge, results, reopen."""

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from assessments.models import Change, Status
from invites.forms import OrganisationAnswersForm
from invites.models import SubmissionNotice
from invites.services import invite_send_email, invite_url
from tests.factories import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, link, world):
    response = client.post(link.url("submit"))
    assert response.status_code == 302
    assert response["Location"] == link.url("results")
    world.assessment.refresh_from_db()
    return link


def test_submitting_moves_the_assessment_to_submitted(submitted, world):
    assert world.assessment.status == Status.SUBMITTED
    assert world.assessment.submitted_at is not None
    change = Change.objects.filter(object_type="assessment").latest("id")
    assert change.actor_label == "Priya Patel (customer)" and change.user is None
    assert change.fields["status"][1] == "submitted"


def test_the_owner_gets_an_email_with_what_was_submitted(submitted, world):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.owner.email]
    assert message.reply_to == ["priya@contoso.example"]
    assert message.subject == "Priya Patel submitted Contoso Manufacturing · Rollout 2027"
    body = message.body
    assert "Hello Alice Ames," in body
    assert "Priya Patel (priya@contoso.example) submitted the assessment" in body
    assert "Contoso Manufacturing" in body
    assert "2 sites." in body
    assert f"/assessments/{world.assessment.pk}/" in body
    assert "reopen" in body
    assert message.alternatives[0][1] == "text/html"


def test_the_dashboard_shows_a_new_badge_until_the_owner_opens_it(submitted, login, world):
    staff = login(world.owner)
    dashboard = staff.get(reverse("assessments:dashboard"))
    text = dashboard.content.decode()
    assert "1 new customer submission" in text
    assert dashboard.context["new_submission_ids"] == {world.assessment.pk}
    # A teammate's dashboard is not affected.
    assert (
        not login(world.teammate)
        .get(reverse("assessments:dashboard"))
        .context["new_submission_ids"]
    )
    staff = login(world.owner)
    detail = staff.get(reverse("assessments:assessment-detail", args=[world.assessment.pk]))
    assert "Submitted by Priya Patel (customer)" in detail.content.decode()
    assert "Reopen for the customer" in detail.content.decode()
    assert not staff.get(reverse("assessments:dashboard")).context["new_submission_ids"]
    assert SubmissionNotice.objects.get().seen_at is not None


@pytest.mark.parametrize("name", ["start", "organisation", "voice", "sites", "review"])
def test_every_page_shows_the_submitted_state(client, submitted, name):
    response = client.get(submitted.url(name), follow=True)
    assert response.redirect_chain[-1][0] == submitted.url("results")
    assert "Submitted" in response.content.decode()


def test_posts_are_refused_after_submit_and_change_nothing(client, submitted, world):
    version = world.assessment.version
    changes = Change.objects.count()
    data = form_data(OrganisationAnswersForm(instance=world.assessment), current_telephony="teams")
    for url, payload in [
        (submitted.url("organisation-autosave"), data),
        (submitted.url("organisation"), data),
        (submitted.url("site-delete", world.hq.pk), {"version": world.hq.version}),
        (submitted.url("submit"), {}),
    ]:
        response = client.post(url, payload)
        assert response.status_code == 409, url
        assert "has been submitted" in response.content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.version == version
    assert Change.objects.count() == changes
    assert world.hq.__class__.objects.filter(pk=world.hq.pk).exists()


def test_the_results_summary_shows_each_site_and_what_to_do(client, submitted, world):
    response = client.get(submitted.url("results"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Stuttgart HQ" in text and "Lyon Office" in text
    assert "readiness" in text and "of 100" in text
    assert "What to do first" in text
    assert world.org.display_name in text
    site_results = response.context["site_results"]
    assert len(site_results) == 2
    assert all(len(findings) <= 3 for _r, findings in site_results)
    assert any(f.recommendation for _r, findings in site_results for f in findings)


def test_results_are_not_shown_before_submit(client, link):
    response = client.get(link.url("results"))
    assert response.status_code == 302 and response["Location"] == link.url("review")


def test_the_owner_reopens_it_and_links_work_again(client, submitted, login, world):
    staff = login(world.owner)
    response = staff.post(reverse("invites:assessment-reopen", args=[world.assessment.pk]))
    assert response.status_code == 302
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.WITH_CUSTOMER
    contact = Client()
    assert contact.get(submitted.url("organisation")).status_code == 200
    data = form_data(OrganisationAnswersForm(instance=world.assessment), current_telephony="teams")
    assert "Saved" in contact.post(submitted.url("organisation-autosave"), data).content.decode()


def test_only_a_submitted_assessment_can_be_reopened(login, world):
    staff = login(world.owner)
    response = staff.post(
        reverse("invites:assessment-reopen", args=[world.assessment.pk]), follow=True
    )
    assert "Only a submitted assessment" in response.content.decode()


def test_submitting_with_dont_know_answers_is_fine(client, link, world):
    assert world.assessment.current_telephony == "unknown"
    client.post(link.url("submit"))
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.SUBMITTED


def test_the_review_warns_about_colleagues_still_answering(client, make_invite, link):
    make_invite(name="Noor Network", sections=["sites"])
    text = client.get(link.url("review")).content.decode()
    assert "Noor Network" in text and "ends editing for everyone" in text


def test_a_contact_invited_only_about_the_organisation_sees_no_site_results(
    client, make_invite, world
):
    link = make_invite(sections=["organisation"])
    assert client.post(link.url("submit")).status_code == 302
    response = client.get(link.url("results"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Stuttgart HQ" not in text and "Lyon Office" not in text
    assert "of 100" not in text and "Not ready:" not in text
    assert "Each site's readiness is shared with the colleagues who described the sites" in text
    assert response.context["site_results"] == [] and response.context["counts"] == {}


def test_email_subjects_are_plain_text(client, make_invite, world):
    world.customer.name = "Smith & <Sons>"
    world.customer.save()
    world.assessment.title = 'Rollout "2027" & beyond'
    world.assessment.save()
    link = make_invite()
    invite_send_email(invite=link.invite, url=invite_url(link.token))
    client.post(link.url("submit"))
    invite_mail, submitted_mail = mail.outbox
    assert invite_mail.subject.endswith("Teams Phone readiness of Smith & <Sons>")
    assert submitted_mail.subject == (
        'Priya Patel submitted Smith & <Sons> · Rollout "2027" & beyond'
    )
