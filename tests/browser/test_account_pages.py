"""The profile, logging out, a light brand colour and the dead-link page, in a real browser."""

from datetime import timedelta

from django.utils import timezone

import pytest

from invites.models import Invite
from tests.browser.conftest import login
from tests.browser.test_journeys import check_accessibility
from tests.factories import PASSWORD, invite_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [375, 1366]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


@pytest.mark.parametrize("width", WIDTHS)
def test_your_name_opens_the_profile_and_logging_out_says_so(new_page, live_server, world, width):
    page = new_page(width=width)
    login(page, live_server, world.owner.username, PASSWORD)
    if width < 768:
        page.click("button.navbar-toggler")
    page.click("a[title^='Your profile']")
    page.wait_for_url("**/account/")
    assert "Where you are signed in" in page.locator("main").inner_text()
    assert "This browser" in page.locator("#sessions").inner_text()
    check_accessibility(page)
    no_sideways_scroll(page)
    page.click("text=API tokens")
    page.wait_for_url("**/account/tokens/")
    check_accessibility(page)

    if width < 768:
        page.click("button.navbar-toggler")
    page.click("button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")
    assert "You are logged out." in page.locator("main").inner_text()
    check_accessibility(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_light_brand_colour_carries_readable_text(new_page, live_server, world, width):
    world.org.primary_colour = "#FFD700"  # gold: white text on it reads 1.4:1
    world.org.accent_colour = "#7FDBFF"
    world.org.save()
    page = new_page(width=width)
    login(page, live_server, world.admin.username, PASSWORD)
    # axe's colour-contrast rule checks the header, buttons and pills as drawn.
    check_accessibility(page)
    header = page.locator("nav.brand-bar .navbar-brand")
    assert header.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    page.goto(f"{live_server.url}/organisation/")
    assert "Now: black text" in page.locator("main").inner_text()
    check_accessibility(page)
    no_sideways_scroll(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_expired_link_names_the_partner_on_a_phone_and_a_desktop(
    new_page, live_server, world, width
):
    world.org.contact_email = "hello@northwind.example"
    world.org.save()
    issued = invite_issue(world.assessment, by=world.owner)
    Invite.objects.filter(pk=issued.invite.pk).update(expires_at=timezone.now() - timedelta(1))
    page = new_page(width=width)
    page.goto(f"{live_server.url}/i/{issued.token}/")
    text = page.locator("main").inner_text()
    assert "This link expired on" in text and "hello@northwind.example" in text
    check_accessibility(page)
    no_sideways_scroll(page)
