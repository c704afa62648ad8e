"""Pasting a block copied from a spreadsheet into the sites grid, and undoing it, in Chromium."""

import pytest

from assessments.models import Change, Site
from tests.browser.conftest import login
from tests.factories import PASSWORD, SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What Excel puts on the clipboard for 20 rows × 6 columns: tabs, CRLF rows, a final CRLF.
BLOCK = "".join(
    f"{100 + i}\t{i % 3}\t{200 + i}\t{50 + i}\t{'Local' if i % 2 else 'Backhauled'}\tyes\r\n"
    for i in range(20)
)

DISPATCH_PASTE = """(text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  document.activeElement.dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_a_20_by_6_block_pasted_from_the_clipboard_saves_once_and_undoes(
    new_page, live_server, world
):
    for i in range(18):
        SiteFactory(assessment=world.assessment, name=f"Branch {i:02}", country="DE", users=7)
    sites = list(world.assessment.sites.order_by("position", "id"))
    before = {s.pk: s.users for s in sites}
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    page.locator(f"#row-{sites[0].pk}-users").focus()
    page.evaluate(DISPATCH_PASTE, BLOCK)
    status = page.locator("[data-paste-status]")
    status.filter(has_text="Pasted 20 rows × 6 columns").wait_for()
    assert "20 updated" in status.inner_text()

    stored = {s.pk: s for s in Site.objects.filter(assessment=world.assessment)}
    assert [stored[s.pk].users for s in sites] == [100 + i for i in range(20)]
    assert stored[sites[19].pk].internet_breakout == "local"
    assert stored[sites[19].pk].circuits.get(role="primary").down_mbps == 219
    assert Change.objects.filter(object_type="gridpaste").count() == 1
    # The page shows the stored values (the window was read again) and offers the undo.
    page.locator(f"#row-{sites[5].pk}-users[value='105']").wait_for()
    undo = page.locator("[data-grid-undo]")
    assert undo.is_visible()
    assert "Undo paste of 20 rows × 6 columns" in undo.inner_text()

    page.locator("h1").click()  # out of the cells: Ctrl+Z is the grid's undo
    page.keyboard.press("Control+z")
    status.filter(has_text="Undone: paste of 20 rows × 6 columns.").wait_for()
    stored = {s.pk: s.users for s in Site.objects.filter(assessment=world.assessment)}
    assert stored == before
    page.locator(f"#row-{sites[5].pk}-users[value='7']").wait_for()
