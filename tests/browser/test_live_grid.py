"""The sites grid in a real browser: edits save as you type and the scores move without a reload."""

import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editing_measured_loss_moves_the_grade_and_the_advice_live(new_page, live_server, world):
    site = world.branch
    site.client_loss_pct = 0.1
    site.client_rtt_ms = 40
    site.client_jitter_ms = 5
    site.save()
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    page.evaluate("window.__marker = 'same page'")  # gone if the page reloads

    score = page.locator(f"#row-{site.pk}-score")
    grade_before = score.locator("[data-grade]").inner_text()
    issue_before = score.locator("[data-top-issue]").inner_text()
    summary_before = page.locator("#live-summary").inner_text()

    loss = page.locator(f"#row-{site.pk}-client_loss_pct")
    loss.fill("12")
    loss.press("Tab")
    page.locator(f"#row-{site.pk}-status [data-status=saved]").wait_for()

    assert "packet loss 12 %" in score.locator("[data-top-issue]").inner_text()
    assert score.locator("[data-top-issue]").inner_text() != issue_before
    assert score.locator("[data-grade]").inner_text() == "Not ready"
    assert score.locator("[data-grade]").inner_text() != grade_before or "Not ready" in grade_before
    assert page.locator("#live-summary").inner_text() != summary_before
    assert page.evaluate("window.__marker") == "same page"
    # The cursor stayed where the user went next (in the row, not lost), and the edit is stored.
    assert page.evaluate(f"document.activeElement.closest('#row-{site.pk}') !== null")
    site.refresh_from_db()
    assert site.client_loss_pct == 12


def test_a_bad_value_is_marked_and_not_saved(new_page, live_server, world):
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    users = page.locator(f"#row-{world.hq.pk}-users")
    users.fill("-5")
    users.press("Tab")
    page.locator(f"#row-{world.hq.pk}-status [data-status=invalid]").wait_for()
    assert (
        "greater than or equal to 0" in page.locator(f"#row-{world.hq.pk}-users-error").inner_text()
    )
    assert "is-invalid" in users.get_attribute("class")
    world.hq.refresh_from_db()
    assert world.hq.users == 850


def test_enter_in_the_last_row_adds_a_site_and_is_ready_for_the_next(new_page, live_server, world):
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    rows_before = page.locator("#grid-body tr").count()
    page.fill("#row-new-name", "Warsaw Office")
    page.fill("#row-new-country", "Poland")
    page.fill("#row-new-users", "40")
    page.press("#row-new-users", "Enter")
    page.locator("#grid-body tr", has_text="").nth(rows_before).wait_for()
    assert page.locator("#grid-body tr").count() == rows_before + 1
    assert page.locator("#row-new-name").input_value() == ""
    assert page.evaluate("document.activeElement.id") == "row-new-name"
    assert world.assessment.sites.filter(name="Warsaw Office", country="PL", users=40).exists()
