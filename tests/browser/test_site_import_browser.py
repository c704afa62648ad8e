"""Import previews in a browser, staff and customer: blank cells, partial import, rejected rows."""

import os
from datetime import timedelta

from django.utils import timezone

import pytest

from assessments.models import Site
from assessments.services.versioning import Actor
from invites.services import invite_create
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


@pytest.mark.parametrize("width", [375, 1366])
def test_a_customer_saves_the_good_rows_of_a_partly_bad_list(
    new_page, live_server, world, tmp_path, width
):
    issued = invite_create(
        assessment=world.assessment,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        sections=["sites"],
        expires_at=timezone.now() + timedelta(days=14),
        actor=Actor.for_user(world.owner),
        send=False,
    )
    page = new_page(width=width, height=812)
    blocked = []  # anything the Content Security Policy refused
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    csv = tmp_path / "Standorte.csv"  # Excel fr-FR: semicolons, Windows-1252, CRLF
    csv.write_bytes(
        "Site name;Country;City;Users\r\nLyon Office;France;;170\r\n"
        "Nîmes dépôt;France;Nîmes;-4\r\nSociété Générale Lille;France;Lille;310\r\n".encode(
            "cp1252"
        )
    )
    page.goto(f"{live_server.url}/i/{issued.token}/sites/upload/")
    page.set_input_files("input[type=file]", str(csv))
    page.click("button:has-text('Check the file')")
    page.wait_for_url("**/sites/upload/preview/")
    assert page.get_by_label("keep the answer already saved").is_checked()
    _shot(page, f"invite-preview-{width}")
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page

    page.get_by_label("erase the answer already saved").check()  # shown at once
    page.wait_for_url("**/sites/upload/preview/?blanks=clear")
    assert "City: Lyon → blank" in page.locator("main").inner_text()
    _shot(page, f"invite-preview-erase-{width}")
    page.get_by_label("keep the answer already saved").check()
    page.wait_for_url("**/sites/upload/preview/?blanks=keep")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rows with problems (CSV)").click()
    assert download.value.suggested_filename == "standorte-rejected-rows.csv"
    assert "Nîmes dépôt,France,Nîmes,'-4,Users: -4 is below 0,3" in download.value.path().read_text(
        "utf-8-sig"
    )

    page.get_by_role("button", name="Save the 2 good rows, leave out the 1 with problems").click()
    page.wait_for_url("**/sites/")
    assert "1 added, 1 updated, 1 row with problems left out" in page.locator("main").inner_text()
    _shot(page, f"invite-saved-{width}")
    assert Site.objects.get(pk=world.branch.pk).city == "Lyon"
    assert Site.objects.filter(assessment=world.assessment, name="Société Générale Lille").exists()
    assert not Site.objects.filter(name="Nîmes dépôt").exists()
    assert blocked == []
