"""The customer's questionnaire without a connection: answers wait on the phone, then sync."""

from datetime import timedelta

from django.utils import timezone

import pytest

from assessments.services.assessments import assessment_update
from assessments.services.versioning import Actor
from invites import services
from invites.models import InviteSection
from tests.browser.test_offline_grid import wait_kept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def invite_link(live_server, world) -> str:
    invite = services.invite_create(
        assessment=world.assessment,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        sections=list(InviteSection.values),
        expires_at=timezone.now() + timedelta(days=14),
        actor=Actor.for_user(world.owner),
        send=False,
    )
    return f"{live_server.url}/i/{invite.token}/"


def test_answers_given_offline_survive_a_reload_and_meet_the_engineers_change_as_a_conflict(
    new_page, live_server, world
):
    page = new_page(**PHONE)
    page.goto(
        invite_link(live_server, world) + "organisation/?topic=3"
    )  # numbers, emergency calling
    wait_kept(page)

    # On a train: two answers, kept on the phone and counted.
    page.context.set_offline(True)
    page.check("input[name=porting_required][value=yes]")
    page.locator("#id_phone_numbers").fill("2400")
    page.keyboard.press("Tab")
    page.locator("#offline-banner[data-offline-count='2']").wait_for()
    assert "waiting to sync" in page.locator("#autosave-status").inner_text()

    # Meanwhile the sales engineer sets the number of phone numbers in the workshop.
    world.assessment.refresh_from_db()
    assessment_update(
        assessment=world.assessment,
        base_version=world.assessment.version,
        changes={"phone_numbers": 1800},
        actor=Actor.for_user(world.owner),
    )

    # The phone sleeps and wakes: the step opens offline with the answers still there.
    page.reload()
    page.locator("#offline-banner[data-offline-count='2']").wait_for()
    assert page.locator("input[name=porting_required][value=yes]").is_checked()
    assert page.locator("#id_phone_numbers").input_value() == "2400"

    # Back online: sent through the step's versioned save, which refuses the answer the
    # engineer changed meanwhile rather than overwrite it, and says so.
    page.context.set_offline(False)
    status = page.locator("#autosave-status .text-danger", has_text="Alice Ames")
    status.wait_for()
    assert "1,800" in status.inner_text() or "1800" in status.inner_text()
    page.locator("#offline-banner").wait_for(state="hidden")
    world.assessment.refresh_from_db()
    assert world.assessment.phone_numbers == 1800

    # The customer keeps their answer, knowingly; both answers are stored.
    page.get_by_role("button", name="Keep my answer").click()
    page.locator("#autosave-status .text-success").wait_for()
    world.assessment.refresh_from_db()
    assert world.assessment.phone_numbers == 2400
    assert world.assessment.porting_required == "yes"


def test_answers_given_offline_are_saved_when_the_connection_returns(new_page, live_server, world):
    page = new_page(**PHONE)
    page.goto(
        invite_link(live_server, world) + "organisation/?topic=3"
    )  # numbers, emergency calling
    wait_kept(page)
    page.context.set_offline(True)
    page.locator("#id_phone_numbers").fill("120")
    page.keyboard.press("Tab")
    page.locator("#offline-banner[data-offline-count='1']").wait_for()
    page.reload()
    page.locator("#offline-banner[data-offline-count='1']").wait_for()
    page.context.set_offline(False)
    page.locator("#autosave-status .text-success").wait_for()
    page.locator("#offline-banner").wait_for(state="hidden")
    world.assessment.refresh_from_db()
    assert world.assessment.phone_numbers == 120


def test_a_screen_not_kept_says_it_is_offline_instead_of_the_browsers_error(
    new_page, live_server, world
):
    page = new_page(**PHONE)
    link = invite_link(live_server, world)
    page.goto(link + "organisation/?topic=3")
    wait_kept(page)

    # Another topic of the same screen was never opened: the kept topic is not shown for it.
    page.context.set_offline(True)
    response = page.goto(link + "organisation/?topic=2")
    assert response is not None and response.status == 503
    assert "You are offline" in page.locator("[data-offline-page]").inner_text()

    # The next step was never opened: the worker has no copy of it to give.
    response = page.goto(link + "voice/")
    assert response is not None and response.status == 503
    text = page.locator("[data-offline-page]").inner_text()
    assert "You are offline" in text
    assert "not kept on this device" in text

    # Back online, "Try again" opens the step itself.
    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    page.locator("form[data-autosave]").wait_for()
    assert page.url.endswith("/voice/")


def test_a_screen_whose_copy_could_not_be_fetched_is_kept_once_the_connection_returns(
    new_page, live_server, world
):
    page = new_page(**PHONE)
    page.goto(invite_link(live_server, world) + "organisation/?topic=3")
    wait_kept(page)
    # As on a first visit where the connection dropped before the worker fetched its copy.
    page.evaluate(
        """async () => {
          await (await caches.open('portal-pages-v1')).delete(location.href);
          document.documentElement.removeAttribute('data-offline-kept');
        }"""
    )
    page.context.set_offline(True)
    page.wait_for_function("!navigator.onLine")
    page.context.set_offline(False)
    wait_kept(page)

    # From then on the screen opens offline, its questions ready to answer.
    page.context.set_offline(True)
    page.reload()
    page.locator("#id_phone_numbers").wait_for()
    assert page.locator("[data-offline-page]").count() == 0
