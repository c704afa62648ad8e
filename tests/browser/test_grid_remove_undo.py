"""Removing a site from the grid asks nothing and is taken back by Undo, in Chromium."""

import pytest

from assessments.models import Site
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_removed_site_comes_back_with_undo_and_no_dialog_stands_in_the_way(
    new_page, live_server, world
):
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server, world.owner.username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{world.assessment.pk}/sites/")
    row = page.locator(f"#row-{world.branch.pk}")
    row.get_by_role("button", name=f"Remove {world.branch.name}").click()

    row.wait_for(state="detached")
    undo = page.locator("#removed-sites button", has_text=f"Undo: Site “{world.branch.name}”")
    undo.wait_for()
    assert dialogs == []  # one click removes; Undo is the safety, not a dialog
    assert not Site.objects.filter(pk=world.branch.pk).exists()

    with page.expect_navigation():
        undo.click()
    back = Site.objects.get(assessment=world.assessment, name=world.branch.name)
    assert page.locator(f"#row-{back.pk}").is_visible()
