"""From issue to acceptance in a real browser: the manager shares, the customer accepts on a phone.

The render runs in-process (the tasks run when the issuing request commits), so the whole
journey is the product's own pages: issue, link, the customer's phone, the proposal page
and the pipeline with the deal accepted, ready to be won.
"""

import re

from django.core import mail
from django.urls import reverse

import pytest

from deals.models import Deal, Stage
from proposals.models import DecisionKind, ProposalDecision
from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_a_manager_issues_and_shares_and_the_customer_accepts_on_a_phone(
    new_page, live_server, world
):
    staff = new_page()
    login(staff, live_server, world.manager.username, PASSWORD)
    proposal_page = live_server.url + reverse("proposals:proposal", args=[world.assessment.pk])
    staff.goto(proposal_page)
    # The issuing request renders the PDF before it answers (tasks run in-process here).
    staff.click("button:has-text('Issue version 1')", timeout=120_000)
    staff.locator("a:has-text('PDF')").first.wait_for(timeout=60_000)

    # The PDF is ready: share it with the customer's contact.
    staff.goto(proposal_page)
    staff.fill("input[name=contact_name]", "Priya Patel")
    staff.fill("input[name=email]", "priya@contoso.example")
    staff.click("button:has-text('Create link')")
    url = staff.locator("#proposal-link").input_value()
    assert re.fullmatch(r"https?://[^/]+/p/[A-Za-z0-9_-]{43}/", url)
    link_path = "/p/" + url.split("/p/")[1]

    # The customer, on a phone, with no staff session.
    phone = new_page(**PHONE)
    phone.goto(live_server.url + link_path)
    assert "Contoso Manufacturing" in phone.locator("h1").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    phone.locator("text=Executive summary").first.scroll_into_view_if_needed()
    statement = phone.locator("#statement").inner_text()
    sha256 = world.assessment.proposals.get().sha256
    assert sha256 in statement

    accept = phone.locator("form.accept-card")
    accept.locator("input[name=full_name]").fill("Priya Patel")
    accept.locator("input[name=title]").fill("CIO")
    accept.locator("input[name=agree]").check()
    mail.outbox.clear()
    accept.locator("button[type=submit]").click()
    phone.wait_for_url("**?decided=1")
    assert "Accepted by Priya Patel, CIO" in phone.locator(".decision-banner").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    decision = ProposalDecision.objects.get()
    assert (decision.kind, decision.sha256, decision.statement) == (
        DecisionKind.ACCEPTED,
        sha256,
        statement,
    )
    # The owner and the manager were told, with the fingerprint and no link of the customer's.
    told = [m for m in mail.outbox if "accepted proposal version 1" in m.subject]
    assert len(told) == 1 and sha256 in told[0].body and link_path not in told[0].body

    # The manager sees the decision on the proposal page ...
    staff.goto(proposal_page)
    links = staff.locator("section:has(#links-title)").inner_text()
    assert "Accepted" in links and "Priya Patel, CIO" in links

    # ... and the pipeline shows the deal accepted, ready to be won.
    staff.goto(live_server.url + reverse("assessments:pipeline"))
    row = staff.locator("tr:has-text('Contoso Manufacturing')")
    assert row.locator(".stage-badge").inner_text() == "Accepted"
    assert "Accepted" in row.locator("[data-decision]").inner_text()
    assert "Priya Patel, CIO" in row.locator("[data-decision]").inner_text()
    assert row.locator("[data-viewed]").inner_text().startswith("1 open, first")
    accepted_total = staff.locator(".stage-total[data-stage=accepted] .stat").inner_text()
    assert accepted_total == "1"
    assert Deal.objects.get(assessment=world.assessment).stage == Stage.ACCEPTED
