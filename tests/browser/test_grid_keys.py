"""The sites grid behaves like a spreadsheet in a real browser: keys move, never change values."""

import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Whether an element is on screen and on top at its own place (not under other cells).
ON_TOP = """id => {
  const el = document.getElementById(id);
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + Math.min(r.width, 40) / 2, r.top + 6);
  return r.right > 0 && r.left < window.innerWidth && (hit === el || el.contains(hit));
}"""
# The ids of the grid's dropdowns narrower than their longest label.
CUT_DROPDOWNS = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('#grid-body select')].filter(s => {
    const st = getComputedStyle(s);
    canvas.font = st.fontWeight + ' ' + st.fontSize + ' ' + st.fontFamily;
    const labels = [...s.options].map(o => canvas.measureText(o.textContent).width);
    const room = s.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
    return room < Math.max(...labels) - 1;
  }).map(s => s.id);
}"""


def grid(page, live_server, world, user=None, width=1366):
    user = user or world.owner
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    page.evaluate("window.__marker = 'same page'")  # gone if the page reloads


def values(page):
    """Every editable cell's value on the page, in order."""
    return page.locator(
        "#grid-body [data-row] input:not([type=checkbox]), #grid-body select"
    ).evaluate_all("els => els.map(e => e.value)")


def active_id(page):
    return page.evaluate("document.activeElement.id")


def test_arrow_keys_and_the_wheel_move_between_cells_and_never_change_a_value(
    new_page, live_server, world
):
    page = new_page(1366, 900)
    grid(page, live_server, world)
    first, second = page.locator("#grid-body [data-row]").evaluate_all("rs => rs.map(r => r.id)")
    before = values(page)

    page.locator(f"#{first}-users").focus()
    page.keyboard.press("ArrowDown")  # a number cell: the next row, not 320 -> 319
    assert active_id(page) == f"{second}-users"
    page.keyboard.press("ArrowUp")
    assert active_id(page) == f"{first}-users"
    page.keyboard.press("ArrowRight")
    assert active_id(page) == f"{first}-teams_rooms"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert active_id(page) == f"{first}-city"
    page.keyboard.press("End")
    assert active_id(page) == f"{first}-client_loss_pct"
    page.keyboard.press("Home")
    assert active_id(page) == f"{first}-name"

    # A dropdown: arrows move on, they do not pick another answer.
    page.locator(f"#{first}-qos").focus()
    page.keyboard.press("ArrowDown")
    assert active_id(page) == f"{second}-qos"
    page.keyboard.press("ArrowUp")
    assert active_id(page) == f"{first}-qos"

    # The mouse wheel over a focused number scrolls; the number stays.
    users = page.locator(f"#{second}-users")
    users.focus()
    users.hover()
    for _ in range(3):
        page.mouse.wheel(0, -120)
        page.mouse.wheel(0, 120)
    page.wait_for_timeout(400)  # an autosave would have been sent by now
    assert values(page) == before
    assert not page.locator("[data-status=saved]").count()
    world.hq.refresh_from_db()
    world.branch.refresh_from_db()
    assert (world.hq.users, world.branch.users, world.hq.version, world.branch.version) == (
        850,
        160,
        1,
        1,
    )


def test_typing_replaces_f2_edits_and_escape_restores(new_page, live_server, world):
    page = new_page(1366, 900)
    grid(page, live_server, world)
    row = f"row-{world.hq.pk}"
    city = page.locator(f"#{row}-city")
    city.focus()
    city.select_text()
    page.keyboard.type("Esslingen")  # typing replaces the whole value
    assert city.input_value() == "Esslingen"
    page.keyboard.press("Escape")  # the value before the edit comes back
    assert city.input_value() == "Stuttgart"

    page.keyboard.press("F2")  # edit: the caret at the end, arrows move it
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("X")
    assert city.input_value() == "StuttgarXt"
    assert active_id(page) == f"{row}-city"
    page.keyboard.press("Escape")
    assert city.input_value() == "Stuttgart"
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)
    world.hq.refresh_from_db()
    assert (world.hq.city, world.hq.version) == ("Stuttgart", 1)

    # A dropdown saves as soon as it changes: Escape puts the answer back and saves that.
    qos = page.locator(f"#{row}-qos")
    qos.focus()
    qos.select_option("none")
    page.locator(f"#{row}-status [data-status=saved]").wait_for()
    qos.press("Escape")
    assert qos.input_value() == "unknown"
    page.locator(f"#{row}-version[value='3']").wait_for(state="attached")
    world.hq.refresh_from_db()
    assert (world.hq.qos, world.hq.version) == ("unknown", 3)

    # Typed and left: it saves, and the score shows how far it moved for a moment.
    loss = page.locator(f"#{row}-client_loss_pct")
    loss.focus()
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    page.locator(f"#{row}-version[value='4']").wait_for(state="attached")
    world.hq.refresh_from_db()
    assert world.hq.client_loss_pct == 12
    assert page.evaluate("window.__marker") == "same page"


def test_a_save_that_meets_someone_elses_change_is_settled_in_the_cell(
    new_page, live_server, world
):
    alice = new_page(1366, 900)
    grid(alice, live_server, world)
    bob = new_page(1366, 900)
    grid(bob, live_server, world, user=world.teammate)
    row = f"row-{world.hq.pk}"

    bob.locator(f"#{row}-users").fill("900")
    bob.locator(f"#{row}-users").press("Tab")
    bob.locator(f"#{row}-status [data-status=saved]").wait_for()

    alice.locator(f"#{row}-users").fill("700")
    alice.locator(f"#{row}-users").press("Tab")
    box = alice.locator(f"#{row}-users-error [data-cell-conflict]")
    box.wait_for()
    assert "Bob Berg" in box.inner_text()
    assert "“900”" in box.inner_text() and "“700”" in box.inner_text()
    assert "is-invalid" in alice.locator(f"#{row}-users").get_attribute("class")
    # Where the user is looking: the box is inside the users cell and on screen.
    assert alice.evaluate(
        f"document.getElementById('{row}-users-error').closest('td').classList.contains('col-users')"
    )
    assert box.is_visible()
    # On a phone too: the cell comes into view beside the frozen name and score.
    alice.set_viewport_size({"width": 375, "height": 800})
    alice.locator(".grid-wrap").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    alice.locator(f"#{row}-users").fill("701")
    alice.locator(f"#{row}-users").press("Tab")
    alice.locator(f"#{row}-users-error [data-cell-conflict]", has_text="701").wait_for()
    assert alice.evaluate(ON_TOP, f"{row}-users")
    alice.set_viewport_size({"width": 1366, "height": 900})
    alice.locator(f"#{row}-users").fill("700")

    box.get_by_role("button", name="Keep mine").click()
    alice.locator(f"#{row}-status [data-status=saved]").wait_for()
    assert not alice.locator("[data-cell-conflict]").count()
    world.hq.refresh_from_db()
    assert world.hq.users == 700

    # Bob's page is now the stale one: he takes Alice's value in his cell.
    bob.locator(f"#{row}-users").fill("650")
    bob.locator(f"#{row}-users").press("Tab")
    theirs = bob.locator(f"#{row}-users-error [data-cell-conflict]")
    theirs.wait_for()
    assert "Alice Ames" in theirs.inner_text()
    theirs.get_by_role("button", name="Take theirs").click()
    bob.locator(f"#{row}-users-error [data-cell-conflict]").wait_for(state="detached")
    assert bob.locator(f"#{row}-users").input_value() == "700"
    bob.wait_for_timeout(300)
    world.hq.refresh_from_db()
    assert world.hq.users == 700


@pytest.mark.parametrize("width", [1366, 375])
def test_the_name_and_score_stay_in_view_when_scrolling_right(new_page, live_server, world, width):
    page = new_page(width, 800)
    grid(page, live_server, world)
    row = f"row-{world.hq.pk}"
    page.locator(f"#{row}").scroll_into_view_if_needed()
    page.locator(".grid-wrap").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert page.locator(".grid-wrap").evaluate("el => el.scrollLeft") > 300
    # The name and the score are on top at their own place, the other cells scrolled under.
    for cell in (f"{row}-name", f"{row}-score"):
        assert page.evaluate(ON_TOP, cell), cell
    # And the last cell is reachable beside them.
    assert page.locator(f"#{row}-client_loss_pct").is_visible()


def test_dropdowns_show_their_whole_labels(new_page, live_server, world):
    page = new_page(1366, 900)
    grid(page, live_server, world)
    cut = page.evaluate(CUT_DROPDOWNS)
    assert cut == []


def test_the_grid_is_accessible_by_keyboard_with_axe(new_page, live_server, world):
    from axe_playwright_python.sync_playwright import Axe

    page = new_page(1366, 900)
    grid(page, live_server, world)
    page.locator(f"#row-{world.hq.pk}-users").focus()
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()


def test_a_rows_score_shows_how_far_it_moved_and_the_summary_follows(new_page, live_server, world):
    site = world.branch
    site.client_loss_pct = 0.1
    site.client_rtt_ms = 40
    site.client_jitter_ms = 5
    site.internet_breakout, site.proxy, site.vpn = "local", "none", "none"
    site.qos, site.wifi, site.lte_backup = "end_to_end", "enterprise_5ghz", "yes"
    site.save()
    page = new_page(1366, 900)
    grid(page, live_server, world)
    row = f"row-{site.pk}"
    before = int(page.locator(f"#{row}-score [data-score]").get_attribute("data-score"))
    average = page.locator("#live-summary [data-average]").get_attribute("data-average")

    page.locator(f"#{row}-client_jitter_ms").focus()
    page.keyboard.press("ArrowRight")  # to the loss cell, its value ready to be typed over
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    delta = page.locator(f"#{row}-score [data-score-delta]")
    delta.wait_for()
    after = int(page.locator(f"#{row}-score [data-score]").get_attribute("data-score"))
    assert after < before
    assert delta.inner_text() == f"\u2212{before - after}"
    assert page.locator("#live-summary [data-average]").get_attribute("data-average") != average
    assert page.locator("#live-summary [data-score-delta]").count() == 1
    delta.wait_for(state="detached", timeout=5000)  # brief: it goes away by itself
