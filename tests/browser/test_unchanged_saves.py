"""In a real browser, saving a fully answered page without touching it changes nothing.

Chromium reads the rendered widgets (date, number, select, checkbox, textarea) itself and
sends what it holds; a value it cannot read (a date as 30/06/2027) would be sent blank and
stored over the answer. Each page is saved both ways the page offers: the autosave that a
change event sends, and the submit button.
"""

import pytest

from tests.answered import answer_everything, snapshot
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def answered(world):
    return world, answer_everything(world)


def _autosave(page, selector: str, status: str, expected: str) -> None:
    """Fire the change event a user's edit fires, and wait for the page to say what it did."""
    page.locator(selector).dispatch_event("change")
    page.locator(status, has_text=expected).wait_for()


def test_the_questionnaire_saved_unchanged_keeps_every_answer(new_page, live_server, answered):
    world, _token = answered
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/questions/")
    assert page.locator("#id_pbx_contract_end").input_value() == "2027-06-30"
    before = snapshot()

    _autosave(page, "#id_notes", "#autosave-status", "Up to date")
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_url(f"**/assessments/{world.assessment.pk}/")

    assert snapshot() == before


def test_the_site_form_saved_unchanged_keeps_every_answer(new_page, live_server, answered):
    world, _token = answered
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/{world.hq.pk}/")
    assert page.locator("#id_measured_on").input_value() == "2026-03-14"
    before = snapshot()

    page.get_by_role("button", name="Save site", exact=True).click()
    page.wait_for_url(f"**/assessments/{world.assessment.pk}/sites/")

    assert "Site “Stuttgart HQ” saved." in page.locator(".messages").inner_text()
    assert snapshot() == before


def test_a_grid_row_saved_unchanged_keeps_every_answer(new_page, live_server, answered):
    world, _token = answered
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    row = f"#row-{world.hq.pk}"
    assert page.locator(f"{row}-client_loss_pct").input_value() == "0.35"
    before = snapshot()

    _autosave(page, f"{row}-city", f"{row}-status [data-status]", "Up to date")

    assert snapshot() == before


@pytest.mark.parametrize(
    "step, field, button, then",
    [
        # The organisation's last topic (numbers and notes), which carries on to voice.
        ("organisation/?topic=3", "#id_notes", "Save and continue", "voice"),
        ("voice/", "#id_voice_staff_fte", "Save and continue", "sites"),
        # Back at the site's own card in the list.
        ("sites/{site}/", "#id_notes", "Save and back to sites", "sites/#site-{site}"),
    ],
    ids=["organisation", "voice", "site"],
)
def test_a_customer_step_saved_unchanged_keeps_every_answer(
    new_page, live_server, answered, step, field, button, then
):
    world, token = answered
    page = new_page(390, 844)
    page.goto(f"{live_server.url}/i/{token}/{step.format(site=world.hq.pk)}")
    if step.startswith("organisation"):
        assert page.locator("#id_phone_numbers").input_value() == "12345"
    before = snapshot()

    _autosave(page, field, "#autosave-status", "All answers saved")
    page.get_by_role("button", name=button).click()
    then = then.format(site=world.hq.pk)
    page.wait_for_url(f"**/i/{token}/{then}" if "#" in then else f"**/i/{token}/{then}/")

    assert snapshot() == before
