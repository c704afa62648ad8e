"""The sites grid without a connection: edits wait in the browser, survive a reload, then sync."""

import pytest
from playwright.sync_api import Error as BrowserError

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# True once the service worker serves this page and holds a copy of it. Read with
# page.evaluate, which awaits the promise (wait_for_function does not: a promise is truthy).
KEPT = """async () => {
  if (!navigator.serviceWorker.controller) return false;
  const cache = await caches.open('portal-pages-v1');
  return !!(await cache.match(location.href.split('#')[0]));
}"""


def open_grid(page, live_server, world, user):
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")


def wait_kept(page):
    """Wait until the page is kept for offline use (the worker installs on the first visit).

    The page marks itself once the worker says its copy is written; the cache is then read
    to check that the copy is really there, under the page's own address.
    """
    page.locator("html[data-offline-kept]").wait_for(state="attached")
    assert page.evaluate(KEPT)


def banner_count(page) -> int:
    return int(page.locator("#offline-banner").get_attribute("data-offline-count"))


def test_edits_made_offline_survive_a_reload_and_sync_or_conflict_when_back_online(
    new_page, live_server, world
):
    alice = new_page(1366, 900)
    open_grid(alice, live_server, world, world.owner)
    wait_kept(alice)
    hq, branch = f"row-{world.hq.pk}", f"row-{world.branch.pk}"

    # The Wi-Fi drops: two edits are kept, each marked in its cell, and counted.
    alice.context.set_offline(True)
    alice.locator(f"#{hq}-users").fill("910")
    alice.locator(f"#{hq}-users").press("Tab")
    alice.locator(f"#{hq}-users").locator("xpath=..").locator("[data-cell-waiting]").wait_for()
    alice.locator(f"#{branch}-city").fill("Villeurbanne")
    alice.locator(f"#{branch}-city").press("Tab")
    alice.locator("#offline-banner[data-offline-count='2']").wait_for()
    assert "waiting to sync" in alice.locator("#offline-banner").inner_text()
    assert "You are offline" in alice.locator("#offline-banner").inner_text()

    # Meanwhile a colleague, online, changes the same cell of the headquarters.
    bob = new_page(1366, 900)
    open_grid(bob, live_server, world, world.teammate)
    bob.locator(f"#{hq}-users").fill("900")
    bob.locator(f"#{hq}-users").press("Tab")
    bob.locator(f"#{hq}-status [data-status=saved]").wait_for()

    # Reloaded offline (the lid closed and opened): the page comes from the service worker
    # and the kept edits are back in their cells, still waiting.
    alice.reload()
    alice.locator("#offline-banner[data-offline-count='2']").wait_for()
    assert alice.locator(f"#{hq}-users").input_value() == "910"
    assert alice.locator(f"#{branch}-city").input_value() == "Villeurbanne"
    assert alice.locator("[data-cell-waiting]").count() == 2
    world.branch.refresh_from_db()
    assert world.branch.city == "Lyon"  # nothing reached the server yet

    # Back online: sent in order through the versioned save. The city is saved; the users
    # clash with Bob's and are settled in the cell, never written over his.
    alice.context.set_offline(False)
    alice.locator(f"#{branch}-status [data-status=saved]").wait_for()
    conflict = alice.locator(f"#{hq}-users-error [data-cell-conflict]")
    conflict.wait_for()
    assert "Bob Berg" in conflict.inner_text() and "“900”" in conflict.inner_text()
    alice.locator("#offline-banner").wait_for(state="hidden")
    assert alice.locator("[data-cell-waiting]").count() == 0
    world.branch.refresh_from_db()
    world.hq.refresh_from_db()
    assert world.branch.city == "Villeurbanne"
    assert world.hq.users == 900

    # Alice keeps hers, knowingly.
    conflict.get_by_role("button", name="Keep mine").click()
    alice.locator(f"#{hq}-status [data-status=saved]").wait_for()
    world.hq.refresh_from_db()
    assert world.hq.users == 910

    # A reload online finds nothing waiting: the queue was emptied.
    alice.reload()
    alice.wait_for_timeout(300)
    assert banner_count(alice) == 0
    assert alice.locator("#offline-banner").is_hidden()


def test_logging_out_drops_the_pages_kept_offline(new_page, live_server, world):
    page = new_page(1366, 900)
    open_grid(page, live_server, world, world.owner)
    wait_kept(page)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/log**")
    # Cleared before the logout is sent, and again by the worker once the login page says
    # nobody is signed in: no copy of the grid is left.
    page.wait_for_function(
        "async () => !(await Promise.all((await caches.keys()).map(async n =>"
        " (await (await caches.open(n)).keys()).map(r => r.url)))).flat()"
        ".some(url => url.includes('/sites/'))",
        polling=200,
        timeout=10_000,
    )
    # Offline, the grid is no longer there to read.
    page.context.set_offline(True)
    with pytest.raises(BrowserError, match=r"net::ERR_(FAILED|INTERNET_DISCONNECTED)"):
        page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")


def test_a_page_not_kept_says_it_is_offline_instead_of_the_browsers_error(
    new_page, live_server, world
):
    page = new_page(1366, 900)
    open_grid(page, live_server, world, world.owner)
    wait_kept(page)
    # The pipeline is never kept (it lists every customer); offline it says why it is missing.
    page.context.set_offline(True)
    response = page.goto(f"{live_server.url}/")
    assert response is not None and response.status == 503
    assert "You are offline" in page.locator("[data-offline-page]").inner_text()
    # The grid opened before still opens.
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    page.locator(f"#row-{world.hq.pk}-users").wait_for()
