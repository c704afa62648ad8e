"""The import preview in a real browser: blank cells option, partial import, rejected rows."""

import os

import pytest

from assessments.models import Site
from tests.browser.conftest import login
from tests.browser.test_journeys import check_accessibility
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")  # set by hand to look at the pages
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_a_partly_bad_file_imports_its_good_rows(new_page, live_server, world, tmp_path):
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    csv = tmp_path / "sites.csv"
    csv.write_bytes(
        "Site name;Country;City;Users\r\nLyon Office;FR;;170\r\nŁódź;Polska;Łódź;-4\r\n"
        "Kraków;PL;Kraków;250\r\n".encode("cp1250")
    )
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/import/")
    page.set_input_files("input[type=file]", str(csv))
    page.click("button:has-text('Upload and preview')")
    page.wait_for_url("**/import/preview/")
    text = page.locator("main").inner_text()
    assert "read as Windows-1250 (Central European)" in text
    assert "A blank cell leaves the stored value as it is" in text
    _shot(page, "import-preview-partial")
    check_accessibility(page)

    page.check("#blanks-clear")  # the preview shows the effect at once
    page.wait_for_url("**/import/preview/?blanks=clear")
    assert "City: Lyon → blank" in page.locator("main").inner_text()
    page.uncheck("#blanks-clear")
    page.wait_for_url("**/import/preview/?")

    with page.expect_download() as download:
        page.click("a:has-text('Download the rejected rows (CSV)')")
    rejected = download.value.path().read_text("utf-8-sig")
    assert "Łódź,Polska,Łódź,'-4,Users: -4 is below 0,3" in rejected

    page.click("button:has-text('Import the 2 good rows, skip the 1 rejected')")
    page.wait_for_url("**/sites/")
    assert "1 added, 1 updated, 1 rejected row skipped" in page.locator("main").inner_text()
    assert Site.objects.get(pk=world.branch.pk).city == "Lyon"
    assert Site.objects.filter(assessment=world.assessment, name="Kraków").exists()
    assert not Site.objects.filter(name="Łódź").exists()
