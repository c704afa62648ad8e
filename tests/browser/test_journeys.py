"""End-to-end journeys in a real browser, with axe-core on every page they visit."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from assessments.models import Assessment
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}


def check_accessibility(page) -> None:
    """No serious or critical WCAG 2.1 AA violation on the page as it is now."""
    result = AXE.run(page, options=WCAG)
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, f"{page.url}: {bad}"


def test_sales_engineer_journey(new_page, live_server, world, tmp_path):
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    check_accessibility(page)

    # A new customer and assessment.
    page.click("text=New assessment")
    page.fill("#id_new_customer", "Fabrikam Foods")
    page.fill("#id_country", "Germany")
    page.fill("#id_title", "Teams Phone 2027")
    check_accessibility(page)
    page.click("button:has-text('Create assessment')")
    page.wait_for_url("**/assessments/*/")
    assessment = Assessment.objects.get(customer__name="Fabrikam Foods")
    check_accessibility(page)

    # Three sites typed into the grid, Enter after each.
    page.click("a.nav-link:has-text('Sites')")
    for name, country, users in [("Hamburg", "Germany", "120"), ("Lyon", "FR", "60"),
                                 ("Pune", "India", "200")]:  # fmt: skip
        page.fill("#row-new-name", name)
        page.fill("#row-new-country", country)
        page.fill("#row-new-users", users)
        page.press("#row-new-users", "Enter")
        page.locator("#grid-body tr", has=page.locator(f"input[value='{name}']")).wait_for()
    assert assessment.sites.count() == 3
    check_accessibility(page)

    # Two more from a spreadsheet: preview, then import.
    csv = tmp_path / "sites.csv"
    csv.write_text("Site,Country,City,Users\nMilan,IT,Milan,40\nMadrid,ES,Madrid,35\n")
    page.click("text=Import")
    page.set_input_files("input[type=file]", str(csv))
    check_accessibility(page)
    page.click("button:has-text('Upload and preview')")
    page.wait_for_url("**/import/preview/")
    assert "Milan" in page.content()
    check_accessibility(page)
    page.click("button:has-text('Import 2 new sites')")
    page.wait_for_url("**/sites/")
    assert sorted(assessment.sites.values_list("name", flat=True)) == [
        "Hamburg", "Lyon", "Madrid", "Milan", "Pune"
    ]  # fmt: skip

    # Results: every site and a recommendation.
    page.click("a.nav-link:has-text('Results')")
    page.wait_for_url("**/results/")
    body = page.locator("main").inner_text()
    assert "recommendation" in body.lower() and "Pune" in body
    check_accessibility(page)

    # Invite the customer.
    page.click("a.nav-link:has-text('Invites')")
    page.fill("input[name=contact_name]", "Irma IT")
    page.fill("input[name=email]", "irma@fabrikam.example")
    check_accessibility(page)
    page.click("button:has-text('Create link')")
    link = page.locator("#invite-link").input_value()
    assert "/i/" in link
    check_accessibility(page)


def test_manager_journey(new_page, live_server, world):
    world.assessment.status = "submitted"
    world.assessment.save()
    page = new_page()
    login(page, live_server, world.manager.username, PASSWORD)
    page.click("a.nav-link:has-text('Pipeline')")
    page.wait_for_url("**/pipeline/")
    check_accessibility(page)
    assert "Contoso Manufacturing" in page.locator("main").inner_text()

    # Filtering by status keeps the submitted assessment and hides it under another status.
    page.select_option("#f-status", "draft")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**status=draft**")
    assert "Contoso Manufacturing" not in page.locator("main table, main").first.inner_text()
    page.select_option("#f-status", "submitted")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**status=submitted**")
    assert "Contoso Manufacturing" in page.locator("main").inner_text()
    check_accessibility(page)

    # Issue the proposal and download it.
    page.click("text=Contoso Manufacturing")
    page.click("a.nav-link:has-text('Proposal')")
    check_accessibility(page)
    # A draft preview first: the worker renders it, the page then offers the PDF.
    page.click("button:has-text('Prepare preview')")
    preview_link = page.locator("a:has-text('Open the draft PDF')")
    preview_link.wait_for(timeout=60_000)
    check_accessibility(page)
    draft = page.request.get(live_server.url + preview_link.get_attribute("href"))
    assert draft.headers["content-type"] == "application/pdf"
    draft_pages = PdfReader(io.BytesIO(draft.body())).pages
    assert "DRAFT" in "\n".join(p.extract_text() for p in draft_pages)
    page.click("button:has-text('Issue version 1')")
    download_link = page.locator("a:has-text('PDF')").first
    download_link.wait_for(timeout=60_000)
    check_accessibility(page)
    with page.expect_download() as info:
        download_link.click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Contoso Manufacturing" in text
