"""The customer's whole journey in a real browser at phone width, checked with axe-core.

From the invite email's link to the results summary, resumed half-way in a fresh browser
context (another device), with axe-core (WCAG 2.0/2.1 A and AA) run on every step.
"""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from axe_playwright_python.sync_playwright import Axe

from assessments.models import Site, Status
from assessments.services.versioning import Actor
from invites import services
from invites.models import Invite, InviteSection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page, step: str) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    results = Axe().run(page, options=AXE_OPTIONS)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{step}: " + " | ".join(bad)


def wait_saved(page) -> None:
    page.locator("#autosave-status .text-success").wait_for()


def test_a_contact_completes_the_assessment_on_a_phone(new_page, live_server, world):
    services.invite_create(
        assessment=world.assessment,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        sections=list(InviteSection.values),
        expires_at=timezone.now() + timedelta(days=14),
        actor=Actor.for_user(world.owner),
    )
    assert len(mail.outbox) == 1
    emailed = re.search(r"https?://\S+?(/i/[A-Za-z0-9_-]{43}/)", mail.outbox[0].body).group(1)
    link = live_server.url + emailed

    # The welcome page, from the email's link.
    page = new_page(**PHONE)
    blocked = []  # anything the Content Security Policy refused (inline scripts or styles)
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(link)
    assert page.get_by_role("heading", name="Hello Priya Patel").is_visible()
    assert_accessible(page, "welcome")
    page.get_by_role("link", name="Start").click()

    # About your organisation, one topic per screen: answers autosave as they change;
    # keyboard only.
    page.wait_for_url("**/organisation/")
    progress = page.locator(".steps-nav").inner_text()
    assert "1 of 7" in progress and "minutes left" in progress
    assert page.get_by_role("heading", name="Today's telephony").is_visible()
    assert_accessible(page, "organisation")
    page.select_option("#id_current_telephony", "onprem_pbx")
    wait_saved(page)
    page.locator("#id_keep_current_carrier_2").focus()  # "No"
    # "Saved" still shows from the first answer: wait for this one's autosave to answer
    # before the screen is sent, as a person would see it saved.
    with page.expect_response(lambda r: "/organisation/autosave/" in r.url):
        page.keyboard.press("Space")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/organisation/?topic=2")
    assert "2 of 7" in page.locator(".steps-nav").inner_text()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/organisation/?topic=3")
    page.locator("#id_phone_numbers").fill("-10")
    page.keyboard.press("Tab")
    page.locator("#autosave-status .text-danger").wait_for()
    assert "greater than or equal to 0" in page.locator("#phone_numbers-error").inner_text()
    assert_accessible(page, "organisation with an error")
    page.locator("#id_phone_numbers").fill("2400")
    page.keyboard.press("Tab")
    wait_saved(page)
    world.assessment.refresh_from_db()
    assert world.assessment.current_telephony == "onprem_pbx"
    assert world.assessment.keep_current_carrier == "no"
    assert world.assessment.phone_numbers == 2400
    page.get_by_role("button", name="Save and continue").focus()
    page.keyboard.press("Enter")

    # How you want to run voice.
    page.wait_for_url("**/voice/")
    assert_accessible(page, "voice")
    page.get_by_label("A product we use: someone else runs it").check()
    wait_saved(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/sites/")
    assert_accessible(page, "sites")

    # Half-way: the same link on another device resumes exactly here.
    phone = page
    page = new_page(**PHONE)
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(link)
    page.wait_for_url("**/sites/?resumed=1")
    assert "Welcome back" in page.locator("main").inner_text()
    phone.context.close()

    # Add a site with its internet line.
    page.get_by_role("link", name="Add a site").click()
    page.wait_for_url("**/sites/new/")
    assert_accessible(page, "add a site")
    page.get_by_label("Site name").fill("Leeds office")
    page.select_option("#id_country", "GB")
    page.get_by_label("How many people work here?").fill("40")
    page.fill("#id_circuits-0-down_mbps", "300")
    page.fill("#id_circuits-0-up_mbps", "50")
    page.get_by_role("button", name="Add site", exact=True).click()
    page.wait_for_url("**/sites/")
    assert "Site “Leeds office” added." in page.locator(".messages").inner_text()
    leeds = Site.objects.get(assessment=world.assessment, name="Leeds office")
    assert [(c.down_mbps, c.up_mbps) for c in leeds.circuits.all()] == [(300, 50)]
    page.get_by_role("link", name="Continue to network measurements").click()

    # Network measurements: how to measure, then type the figures for one site.
    page.wait_for_url("**/measurements/")
    assert "NetworkAssessmentTool.exe /qualitycheck" in page.locator("main").inner_text()
    assert_accessible(page, "measurements")
    page.get_by_role("link", name="Add results for Leeds office").click()
    page.wait_for_url(f"**/measurements/{leeds.pk}/")
    assert_accessible(page, "measurements of a site")
    typed = page.locator("form", has_text="Or type the figures")
    typed.get_by_label("Where people work (client)").check()
    typed.get_by_label("Round trip, or latency (ms)").fill("48")
    typed.get_by_label("Jitter (ms)").fill("6")
    typed.get_by_label("Packet loss (%)").fill("10000")
    typed.get_by_label("Which PC or place?").fill("2nd floor Wi-Fi")
    typed.get_by_role("button", name="Save figures", exact=True).click()
    assert "100" in page.locator("#paste-loss_pct-error").inner_text()
    assert_accessible(page, "measurements with an error")
    typed = page.locator("form", has_text="Or type the figures")
    typed.get_by_label("Packet loss (%)").fill("0.4")
    typed.get_by_role("button", name="Save figures", exact=True).click()
    page.wait_for_url(f"**/measurements/{leeds.pk}/")
    leeds.refresh_from_db()
    assert (leeds.client_rtt_ms, leeds.client_loss_pct) == (48, 0.4)

    # Review and submit.
    page.goto(link + "review/")
    assert "Leeds office" in page.locator("main").inner_text()
    assert_accessible(page, "review")
    page.get_by_role("button", name="Submit answers").click()

    # The results summary, in the partner's branding.
    page.wait_for_url("**/results/")
    assert "What to do next" in page.locator("main").inner_text()
    page.locator("details.results-detail summary").first.click()  # each site's detail
    main = page.locator("main").inner_text()
    assert "Submitted" in main and "Your first results" in main
    for name in ("Stuttgart HQ", "Lyon Office", "Leeds office"):
        assert name in main
    assert "What to do first" in main
    assert world.org.display_name in page.locator("header").inner_text()
    assert_accessible(page, "results")
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.SUBMITTED
    assert mail.outbox[-1].to == [world.owner.email]
    assert "Priya Patel" in mail.outbox[-1].body
    assert Invite.objects.get().last_step == "review"

    assert blocked == []

    # Going back to a step now shows the submitted state.
    page.goto(link + "organisation/")
    page.wait_for_url("**/results/")
