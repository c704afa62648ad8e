"""The proposal's cover letter and next steps: drafted from the results, edited, frozen at issue."""

import re
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from proposals import services
from proposals.models import ProposalStory
from scoring.after_fixes import grade_shift

pytestmark = pytest.mark.django_db


def page(client, assessment):
    response = client.get(reverse("proposals:proposal", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def posted(html: str) -> dict:
    """What the story form on the page would post if the user changed nothing."""
    form = html[html.index('class="card-body story-form"') :]
    form = form[: form.index("</form>")]
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form):
        data[name] = value
    for name, value in re.findall(r'<input[^>]*type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data[name] = value
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        data[name] = _unescape(value)
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'value="([^"]*)" selected', options)
        data[name] = chosen.group(1) if chosen else ""
    data["action"] = "save"
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def save(client, assessment, data):
    return client.post(reverse("proposals:proposal-story", args=[assessment.pk]), data)


def test_the_drafted_letter_names_the_customer_the_recommendation_and_the_results_figures(world):
    results = services.story_results(assessment=world.assessment)
    drafted = services.story_drafted(assessment=world.assessment, results=results)
    letter = drafted["letter"]
    assert "Contoso Manufacturing" in letter
    assert f"We recommend {results['recommendation']['label']}." in letter
    counts = {g: (today, after) for g, _l, today, after in grade_shift(results["sites"]).rows}
    ready_today, ready_after = counts["ready"]
    assert f"Today {ready_today} of your 2 sites" in letter
    assert f"{ready_after} of 2 will be" in letter
    assert "Alice Ames" in letter  # the owner signs it
    # The steps' dates count from today, in order, each with an owner.
    dates = [date.fromisoformat(s["date"]) for s in drafted["steps"]]
    assert dates == sorted(dates) and dates[0] > timezone.localdate()
    assert dates[-1] - timezone.localdate() <= timedelta(weeks=16)
    assert all(s["owner"] for s in drafted["steps"])
    assert any(s["step"].startswith("Go live") for s in drafted["steps"])


def test_saving_the_page_unchanged_stores_nothing_and_the_draft_keeps_following(world, login):
    client = login(world.owner)
    html = page(client, world.assessment)
    assert "Dear Contoso Manufacturing team," in html
    response = save(client, world.assessment, posted(html))
    assert response.status_code == 302
    story = ProposalStory.objects.get(assessment=world.assessment)
    assert (story.letter, story.steps) == ("", None)
    assert client.get(response.url).content.decode().count("Nothing had changed.") == 1


def test_an_edited_letter_and_steps_round_trip(world, login):
    client = login(world.owner)
    data = posted(page(client, world.assessment))
    data["letter"] = "Dear Priya,\r\n\r\nHere is our plan for Teams calling."
    data["steps-0-step"] = "Workshop on numbers"
    data["steps-0-owner"] = "person"
    data["steps-0-owner_name"] = "Priya Patel"
    data["steps-0-date"] = "2027-02-01"
    assert save(client, world.assessment, data).status_code == 302
    story = ProposalStory.objects.get(assessment=world.assessment)
    assert story.letter == "Dear Priya,\n\nHere is our plan for Teams calling."
    assert story.steps[0] == {
        "step": "Workshop on numbers", "owner": "person", "owner_name": "Priya Patel",
        "date": "2027-02-01",
    }  # fmt: skip
    version = story.version
    # The page shows what was saved; posting it again changes nothing.
    html = page(client, world.assessment)
    assert "Here is our plan for Teams calling." in html and 'value="Priya Patel"' in html
    assert save(client, world.assessment, posted(html)).status_code == 302
    story.refresh_from_db()
    assert story.version == version


def test_a_bad_date_gets_a_message_beside_the_field_and_nothing_is_saved(world, login):
    client = login(world.owner)
    data = posted(page(client, world.assessment))
    data["letter"] = "Our own words."
    data["steps-1-date"] = "31/02/2027"
    response = save(client, world.assessment, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_steps-1-date-error"' in html and "Enter a date as YYYY-MM-DD" in html
    assert 'aria-invalid="true"' in html
    assert not ProposalStory.objects.filter(assessment=world.assessment).exclude(letter="").exists()


def test_a_stale_save_of_the_letter_is_refused_and_one_of_the_steps_only_is_merged(world, login):
    client = login(world.owner)
    mine = posted(page(client, world.assessment))
    manager = Client()
    manager.force_login(world.manager)
    theirs = posted(page(manager, world.assessment))
    theirs["letter"] = "The manager's letter."
    assert save(manager, world.assessment, theirs).status_code == 302
    # Same part changed from the same version: refused, the manager's words kept.
    clash = dict(mine, letter="The owner's letter.")
    response = save(client, world.assessment, clash)
    assert response.status_code == 409
    story = ProposalStory.objects.get(assessment=world.assessment)
    assert story.letter == "The manager's letter."
    html = response.content.decode()
    assert "Not saved: someone else changed" in html and "Maria Moss" in html
    assert "The owner&#x27;s letter." in html  # the author's words stay on the form
    assert f'name="version" value="{story.version}"' in html
    # The other part changed from the same old version: merged.
    merged = dict(mine, **{"steps-0-step": "Sign the order"})
    assert save(client, world.assessment, merged).status_code == 302
    story.refresh_from_db()
    assert story.letter == "The manager's letter."
    assert story.steps[0]["step"] == "Sign the order"


def test_reset_puts_the_drafted_text_back(world, login):
    client = login(world.owner)
    data = dict(posted(page(client, world.assessment)), letter="Short and mine.")
    save(client, world.assessment, data)
    story = ProposalStory.objects.get(assessment=world.assessment)
    response = save(client, world.assessment, {"action": "reset", "version": story.version})
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.letter, story.steps) == ("", None)
    assert "Dear Contoso Manufacturing team," in page(client, world.assessment)


@pytest.mark.parametrize("who", ["outsider", "teammate"])
def test_only_the_owner_or_a_manager_finds_the_story_others_get_404(world, login, who):
    client = login(getattr(world, who))
    assessment = world.assessment
    response = save(client, assessment, {"action": "save", "version": 0, "letter": "Mine"})
    assert response.status_code == 404
    assert not ProposalStory.objects.exists()
    if who == "teammate":  # sees the proposal page, without the form
        html = page(client, assessment)
        assert "story-form" not in html and "owner or a manager writes" in html


def test_an_issued_version_keeps_its_letter_after_the_letter_is_edited(world, login, issue):
    client = login(world.owner)
    data = dict(posted(page(client, world.assessment)), letter="Words of version one.")
    save(client, world.assessment, data)
    first = issue(world.owner, world.assessment)
    assert first.story["letter"] == "Words of version one."
    assert first.story["steps"] and first.story["drafted"] == ["steps"]
    data = dict(posted(page(client, world.assessment)), letter="Words of version two.")
    save(client, world.assessment, data)
    first.refresh_from_db()
    assert services.snapshot_of(first)["story"]["letter"] == "Words of version one."
    second = issue(world.owner, world.assessment)
    assert second.story["letter"] == "Words of version two."
