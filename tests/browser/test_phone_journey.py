"""A contact's whole questionnaire on a phone: one topic per screen, a 10-site chain, results.

Every screen is checked to fit the phone's 375 px without sideways scrolling; the new
screens get axe-core too. ``JOURNEY_SCREENSHOTS=<folder>`` saves each step at 375 and
1366 px for a person to look at.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

import pytest

from assessments import questions
from assessments.models import Site, Status
from assessments.services.assessments import site_create
from assessments.services.versioning import Actor
from invites import services
from invites.models import InviteSection
from tests.browser.test_customer_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
SHOTS = os.environ.get("JOURNEY_SCREENSHOTS", "")
EXTRA_SITES = [  # with the world's two sites and one added on the phone: ten
    ("Leeds office", "GB"),
    ("Madrid sales", "ES"),
    ("Milan studio", "IT"),
    ("Vienna branch", "AT"),
    ("Zürich lab", "CH"),
    ("Brno plant", "CZ"),
    ("Porto desk", "PT"),
]


class Walk:
    """The phone, and what each step must show: the page fits, and a screenshot if asked."""

    def __init__(self, page):
        self.page = page
        self.step = 0

    def check(self, name: str, *, axe: bool = False) -> None:
        page = self.page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}: {width} px wide on a 375 px phone"
        if axe:
            assert_accessible(page, name)
        if SHOTS:
            self.step += 1
            folder = Path(SHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            stem = f"{self.step:02d}-{name.replace(' ', '-')}"
            page.screenshot(path=str(folder / f"{stem}-375.png"), full_page=True)
            page.set_viewport_size({"width": 1366, "height": 900})
            page.screenshot(path=str(folder / f"{stem}-1366.png"), full_page=True)
            page.set_viewport_size(PHONE)

    def save_and_continue(self) -> None:
        self.page.get_by_role("button", name="Save and continue").click()


def test_a_contact_walks_every_screen_and_ten_sites_on_a_phone(new_page, live_server, world):
    actor = Actor.for_user(world.owner)
    for name, country in EXTRA_SITES:
        site_create(assessment=world.assessment, fields={"name": name, "country": country},
                    actor=actor)  # fmt: skip
    issued = services.invite_create(
        assessment=world.assessment,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        sections=list(InviteSection.values),
        expires_at=timezone.now() + timedelta(days=14),
        actor=actor,
        send=False,
    )
    link = f"{live_server.url}/i/{issued.token}/"
    walk = Walk(new_page(**PHONE))
    page = walk.page
    page.goto(link)
    walk.check("welcome")
    page.get_by_role("link", name="Start").click()

    # The organisation, one topic per screen, "n of 7" with the minutes left going down.
    topics = questions.customer_groups("organisation")
    screens = len(topics) + 4
    minutes = []
    for number, (title, _names) in enumerate(topics, start=1):
        page.get_by_role("heading", name=title).wait_for()
        progress = page.locator("[data-progress]").inner_text()
        assert f"{number} of {screens}" in progress
        minutes.append(int(progress.split("about ")[1].split(" minute")[0]))
        walk.check(f"organisation {number}", axe=number == 1)
        if number == 1:
            page.select_option("#id_current_telephony", "onprem_pbx")
            page.locator("#autosave-status .text-success").wait_for()
        walk.save_and_continue()
    assert minutes == sorted(minutes, reverse=True) and minutes[0] > minutes[-1]

    # Back from voice to the last topic, and forward again: the answers are kept.
    page.wait_for_url("**/voice/")
    page.get_by_role("link", name=f"Back: {topics[-1][0].lower()}").click()
    page.wait_for_url(f"**/organisation/?topic={len(topics)}")
    page.go_back()  # the browser's back button returns to voice
    page.wait_for_url("**/voice/")
    page.goto(link + "organisation/")
    assert page.locator("#id_current_telephony").input_value() == "onprem_pbx"
    page.goto(link + "voice/")
    walk.check("voice")
    page.get_by_label("A product we use: someone else runs it").check()
    page.locator("#autosave-status .text-success").wait_for()
    walk.save_and_continue()

    # Sites: one more added on the phone, then edits go from one site to the next.
    page.wait_for_url("**/sites/")
    walk.check("sites", axe=True)
    page.get_by_role("link", name="Add a site").click()
    page.get_by_label("Site name").fill("Lisbon office")
    page.select_option("#id_country", "PT")
    page.get_by_label("How many people work here?").fill("35")
    page.get_by_role("button", name="Add site", exact=True).click()
    page.wait_for_url("**/sites/")
    sites = list(Site.objects.filter(assessment=world.assessment))
    assert len(sites) == 10
    page.get_by_role("link", name=f"Edit {sites[0].name}").click()
    walk.check("site", axe=True)
    assert "Site 1 of 10" in page.locator("main").inner_text()
    page.get_by_role("button", name=f"Save, then {sites[1].name}").click()
    page.wait_for_url(f"**/sites/{sites[1].pk}/")
    page.get_by_role("link", name=f"Skip to the next site: {sites[2].name}").click()
    page.wait_for_url(f"**/sites/{sites[2].pk}/")
    page.goto(link + "measurements/")

    # Measurements: a chain through all ten sites, never back to the list.
    walk.check("measurements")
    page.get_by_role("link", name=f"Start with {sites[0].name}").click()
    for number, site in enumerate(sites, start=1):
        page.wait_for_url(f"**/measurements/{site.pk}/")
        assert f"Site {number} of 10" in page.locator("main").inner_text()
        typed = page.locator("form", has_text="Or type the figures")
        if number in (1, 10):
            walk.check(f"measurements of site {number}", axe=True)
            assert "(required)" not in typed.locator("label[for=id_paste-measured_on]").inner_text()
        typed.get_by_label("Where people work (client)").check()
        typed.get_by_label("Round trip, or latency (ms)").fill(str(30 + number))
        typed.get_by_label("Jitter (ms)").fill("4")
        typed.get_by_label("Packet loss (%)").fill("2.5" if number == 3 else "0.2")
        typed.get_by_label("Which PC or place?").fill("Reception PC")
        typed.get_by_label("When was it measured?").fill("")
        if number < len(sites):
            name = f"Save figures, then {sites[number].name}"
        else:
            name = "Save figures and continue"
        typed.get_by_role("button", name=name).click()
    page.wait_for_url("**/review/")
    measured = Site.objects.filter(assessment=world.assessment, client_loss_pct__isnull=False)
    assert measured.count() == 10
    assert {s.measured_on for s in measured} == {timezone.localdate()}

    # Review, submit, and the results: three next actions first, the detail folded.
    walk.check("review")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url("**/results/")
    walk.check("results", axe=True)
    actions = page.locator(".next-actions")
    assert actions.get_by_role("heading", name="What to measure").is_visible()
    assert actions.get_by_role("heading", name="What to fix first").is_visible()
    assert actions.get_by_role("heading", name="Who to call").is_visible()
    assert sites[2].name in actions.locator("[data-action=fix]").inner_text()
    assert "Alice Ames" in actions.locator("[data-action=call]").inner_text()
    detail = page.locator("details.results-detail").first
    assert not detail.locator(".site-results").is_visible()
    detail.locator("summary").click()
    assert detail.locator(".site-results").is_visible()
    walk.check("results opened")
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.SUBMITTED
