"""The customer's pages and the owner's email read dates as people do, never as stored."""

import re
from datetime import date

from django.core import mail

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assessments import presenters

pytestmark = pytest.mark.django_db


def test_the_customer_review_reads_a_date_as_a_date(client, make_invite, world):
    world.assessment.pbx_contract_end = date(2027, 6, 30)
    world.assessment.save()
    link = make_invite()
    response = client.get(link.url("review"))
    assertContains(response, "30 Jun 2027")
    assertNotContains(response, "2027-06-30")


def test_the_submitted_email_says_when_with_its_time_zone(client, make_invite, world):
    link = make_invite()
    client.post(link.url("submit"))
    world.assessment.refresh_from_db()
    [message] = mail.outbox
    assert f"on {presenters.datetime_text(world.assessment.submitted_at)}." in message.body
    assert re.search(r"on \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC\.", message.body)
