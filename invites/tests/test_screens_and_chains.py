"""One topic per screen, "3 of 9" with the time left, and going from one site to the next."""

from django.utils import timezone

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assessments import questions
from imports.models import MeasurementImport
from invites.forms import answers_form_class
from tests.factories import SiteFactory, form_data

pytestmark = pytest.mark.django_db

TOPICS = questions.customer_groups("organisation")


def _topic_post(assessment, topic: int, **changes) -> dict:
    """A topic screen's form as the browser posts it, with ``changes``."""
    form = answers_form_class(TOPICS[topic][1])(instance=assessment)
    return form_data(form, **changes)


def test_each_screen_asks_one_topic_of_the_catalogue(client, link):
    for number, (title, names) in enumerate(TOPICS, start=1):
        page = client.get(link.url("organisation") + f"?topic={number}")
        assertContains(page, f'<h1 class="h3">{title}</h1>', html=True)
        for name in names:
            assertContains(page, f'name="{name}"')
        others = [n for t, ns in TOPICS if t != title for n in ns]
        for name in others:
            assertNotContains(page, f'name="{name}"')


def test_progress_counts_screens_and_the_minutes_left(client, link):
    # Organisation topics, voice, sites, measurements, review.
    screens = len(TOPICS) + 4
    first = client.get(link.url("organisation")).content.decode()
    last = client.get(link.url("review")).content.decode()
    assert f"<strong>1 of {screens}</strong>" in first
    assert f"<strong>{screens} of {screens}</strong>" in last
    assert "about 1 minute left" in last
    minutes = int(first.split("about ")[1].split(" minute")[0])
    assert minutes > 5  # 26 questions and two sites to describe and measure


def test_saving_a_topic_keeps_the_other_topics_answers_and_moves_on(client, link, world):
    world.assessment.phone_numbers = 480  # answered on the last topic's screen earlier
    world.assessment.save()
    data = _topic_post(world.assessment, 0, current_telephony="onprem_pbx")
    response = client.post(link.url("organisation") + "?topic=1", data)
    assert response.status_code == 302
    assert response["Location"] == link.url("organisation") + "?topic=2"
    world.assessment.refresh_from_db()
    assert world.assessment.current_telephony == "onprem_pbx"
    assert world.assessment.phone_numbers == 480

    last = _topic_post(world.assessment, len(TOPICS) - 1, phone_numbers=500)
    response = client.post(link.url("organisation") + f"?topic={len(TOPICS)}", last)
    assert response["Location"] == link.url("voice")
    world.assessment.refresh_from_db()
    assert (world.assessment.current_telephony, world.assessment.phone_numbers) == (
        "onprem_pbx",
        500,
    )


def test_a_topic_autosaves_only_its_own_questions(client, link, world):
    world.assessment.current_telephony = "hosted_pbx"
    world.assessment.save()
    data = _topic_post(world.assessment, 1, contact_centre="teams_native")
    url = link.url("organisation-autosave") + "?topic=2"
    assert "Saved" in client.post(url, data).content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.contact_centre == "teams_native"
    assert world.assessment.current_telephony == "hosted_pbx"


def test_back_goes_to_the_previous_screen(client, link):
    voice = client.get(link.url("voice")).content.decode()
    assert f'href="{link.url("organisation")}?topic={len(TOPICS)}"' in voice
    assert f"Back: {TOPICS[-1][0].lower()}" in voice


def _typed(**extra) -> dict:
    return {
        "paste-segment": "client",
        "paste-measured_where": "2nd floor Wi-Fi",
        "paste-tool": "nat",
        "paste-rtt_ms": "40",
        "paste-loss_pct": "0.2",
        **extra,
    }


def test_typed_figures_lead_to_the_next_site_and_the_last_to_review(client, link, world):
    sites = [world.hq, world.branch]
    page = client.get(link.url("measurements-site", world.hq.pk)).content.decode()
    assert "Site 1 of 2" in page
    assert f"Save figures, then {world.branch.name}" in page
    response = client.post(
        link.url("measurement-figures", sites[0].pk), {**_typed(), "then": "next"}
    )
    assert response["Location"] == link.url("measurements-site", sites[1].pk)
    response = client.post(
        link.url("measurement-figures", sites[1].pk), {**_typed(), "then": "next"}
    )
    assert response["Location"] == link.url("review")
    # Without "next", the contact stays on the site (e.g. to add the edge figures too).
    response = client.post(link.url("measurement-figures", sites[1].pk), _typed())
    assert response["Location"] == link.url("measurements-site", sites[1].pk)


def test_typed_figures_may_leave_the_date_empty_then_it_is_today(client, link, world):
    page = client.get(link.url("measurements-site", world.hq.pk)).content.decode()
    date_label = page.split('for="id_paste-measured_on"')[1].split("</label>")[0]
    assert "required" not in date_label
    assert "Leave it empty if it was today." in page
    response = client.post(
        link.url("measurement-figures", world.hq.pk), _typed(**{"paste-measured_on": ""})
    )
    assert response.status_code == 302
    run = MeasurementImport.objects.get(site=world.hq)
    assert run.measured_on == timezone.localdate()


def test_a_site_edit_can_go_on_to_the_next_site(client, link, world):
    from invites.tests.test_sites_and_measurements import _site_post

    third = SiteFactory(assessment=world.assessment, name="Zagreb depot", country="HR")
    data = {**_site_post(world.branch), "then": "next"}
    response = client.post(link.url("site-update", world.branch.pk), data)
    assert response["Location"] == link.url("site-update", third.pk)
    response = client.post(link.url("site-update", third.pk), {**_site_post(third), "then": "next"})
    assert response["Location"] == link.url("measurements")


def test_the_measurements_list_starts_the_chain_at_the_first_site_not_measured(client, link, world):
    world.hq.client_loss_pct = 0.1
    world.hq.save()
    page = client.get(link.url("measurements")).content.decode()
    start = link.url("measurements-site", world.branch.pk)
    assert f'href="{start}" data-start-chain>Start with {world.branch.name}' in page


def test_results_lead_with_what_to_measure_fix_and_who_to_call(client, link, world):
    world.hq.client_loss_pct = 6.0  # far beyond Microsoft's 1 % target: a fix
    world.hq.client_rtt_ms = 40
    world.hq.save()
    assert client.post(link.url("submit")).status_code == 302
    page = client.get(link.url("results")).content.decode()
    actions = page.split('class="list-unstyled next-actions"')[1].split("</ol>")[0]
    measure = actions.split('data-action="measure"')[1].split('data-action="fix"')[0]
    fix = actions.split('data-action="fix"')[1].split('data-action="call"')[0]
    call = actions.split('data-action="call"')[1]
    assert world.branch.name in measure and world.hq.name not in measure
    assert "1 site has no figures yet" in measure
    assert "loss" in fix.lower() and f"At {world.hq.name}." in fix
    assert "Alice Ames" in call and f"mailto:{world.owner.email}" in call
    # The detail is folded below the actions.
    assert page.index("next-actions") < page.index('<details class="card mb-3 results-detail">')


def test_results_read_the_stored_scores_without_scoring_again(client, link, world, monkeypatch):
    from assessments import engine_io, windows
    from assessments.services import scores

    assert client.post(link.url("submit")).status_code == 302
    world.assessment.refresh_from_db()
    windows.estate(world.assessment)  # as stored when the answers were saved

    def no_rescoring(*args, **kwargs):
        raise AssertionError("the results page scored the estate again")

    monkeypatch.setattr(scores, "_rescore", no_rescoring)
    monkeypatch.setattr(engine_io, "score", no_rescoring)  # what the page once called
    response = client.get(link.url("results"))
    assert response.status_code == 200
    assert world.hq.name in response.content.decode()


def test_the_first_screen_posts_its_own_topic(client, link):
    # Its address names no topic; its form must, or it would post the whole step.
    page = client.get(link.url("organisation")).content.decode()
    assert f'action="{link.url("organisation")}?topic=1"' in page
