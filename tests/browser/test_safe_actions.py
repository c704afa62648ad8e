"""In a real browser, re-send and promote ask first; a promotion is undone."""

from datetime import timedelta

from django.utils import timezone

import pytest

from assessments.models import Scenario, Site
from assessments.services.versioning import Actor
from invites.models import Invite, InviteSection
from invites.services import invite_create
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_re_send_asks_before_the_old_link_stops_working(new_page, live_server, world):
    invite_create(
        assessment=world.assessment, contact_name="Petra Paulsen", email="petra@example.com",
        sections=list(InviteSection.values), expires_at=timezone.now() + timedelta(days=7),
        actor=Actor.for_user(world.owner), send=False,
    )  # fmt: skip
    before = Invite.objects.get().token_hash
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/invites/")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Re-send to Petra Paulsen").click()
    page.wait_for_timeout(300)
    assert asked and "current link stops working" in asked[0]
    assert Invite.objects.get().token_hash == before  # declined: the old link still works

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Re-send to Petra Paulsen").click()
    page.locator("#issued-link").wait_for()
    assert Invite.objects.get().token_hash != before


def test_promote_asks_lists_the_changes_and_is_undone(new_page, live_server, world):
    scenario = Scenario.objects.create(
        assessment=world.assessment,
        name="Managed Wi-Fi",
        changes=[{"scope": "sites", "field": "wifi", "value": "enterprise_5ghz", "sites": []}],
    )
    page = new_page()
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/what-if/{scenario.pk}/")
    page.get_by_role("link", name="Promote into the assessment…").click()

    plan = page.locator("#promote-plan")
    plan.wait_for()
    text = plan.inner_text()
    assert "Wi-Fi" in text and "Don't know" in text and "Managed, 5 GHz with WMM/QoS" in text
    assert "Stuttgart HQ" in text and "Lyon Office" in text
    assert set(Site.objects.values_list("wifi", flat=True)) == {"unknown"}  # only asked

    page.get_by_role("button", name="Promote 1 change").click()
    page.wait_for_url(f"**/assessments/{world.assessment.pk}/results/")
    assert set(Site.objects.filter(assessment=world.assessment).values_list("wifi", flat=True)) == {
        "enterprise_5ghz"
    }

    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/what-if/{scenario.pk}/")
    page.get_by_role("button", name="Undo the promotion").click()
    page.get_by_text("the answers are as they were").wait_for()
    assert set(Site.objects.filter(assessment=world.assessment).values_list("wifi", flat=True)) == {
        "unknown"
    }
    assert page.get_by_role("button", name="Undo the promotion").count() == 0
