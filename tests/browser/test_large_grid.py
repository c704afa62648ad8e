"""A 2,000-site grid in a real browser: search, jump to a site, edit by keyboard, page on."""

import re

import pytest

from tests.browser.conftest import login
from tests.estate import add_estate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_2000_site_grid_is_searched_jumped_edited_and_paged_by_keyboard(
    new_page, live_server, world
):
    add_estate(world.assessment, 2000)
    target = world.assessment.sites.get(name__endswith=" 1234")
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    page.evaluate("window.__marker = 'same page'")  # gone if the page reloads
    assert page.locator("#grid-body tr").count() == 40

    # Search as you type: the rows narrow without a reload, and the address follows.
    page.locator("#grid-window-q").fill("Osaka Depot")
    page.locator("[data-window-status]", has_text="matching “Osaka Depot”").wait_for()
    names = page.locator("#grid-body tr td.col-name input").evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert names and all(n.startswith("Osaka Depot") for n in names)
    assert "q=Osaka%20Depot" in page.url

    # Jump to a site by typing its name: its page, its row focused.
    page.locator("#grid-jump").fill(target.name.lower())
    page.locator("#grid-jump").press("Enter")
    page.locator(f"#row-{target.pk}").wait_for()
    page.wait_for_function(f"document.activeElement.id === 'row-{target.pk}-name'")
    assert f"site={target.pk}" in page.url

    # Edit a cell by keyboard only: Tab to the client loss, type, leave the cell.
    for _ in range(13):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"row-{target.pk}-client_loss_pct"
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.locator(f"#row-{target.pk}-status [data-status=saved]").wait_for()
    score = page.locator(f"#row-{target.pk}-score")
    assert "packet loss 12 %" in score.locator("[data-top-issue]").inner_text()
    assert score.locator("[data-grade]").inner_text() == "Not ready"
    target.refresh_from_db()
    assert target.client_loss_pct == 12

    # Page Down: the next page, the cursor in the same column of its first row.
    shown = page.locator("[data-window-status]").inner_text()
    number = int(re.search(r"page (\d+) of 51", shown).group(1))
    page.locator(f"#row-{target.pk}-users").focus()
    page.keyboard.press("PageDown")
    page.locator("[data-window-status]", has_text=f"page {number + 1} of 51").wait_for()
    page.wait_for_function("document.activeElement.name === 'users'")
    first_row = page.locator("#grid-body tr").first.get_attribute("id")
    assert page.evaluate("document.activeElement.closest('tr').id") == first_row
    assert f"page={number + 1}" in page.url

    # Back: the window before, from the address (the history keeps no stale inputs).
    page.go_back()
    page.locator(f"#row-{target.pk}").wait_for()
    assert float(page.locator(f"#row-{target.pk}-client_loss_pct").input_value()) == 12
    assert page.evaluate("window.__marker") in ("same page", None)
