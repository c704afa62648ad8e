"""A customer's submit costs the same at 100 sites as at 5: the email reads stored results."""

import time

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from assessments import engine_io
from tests.estate import add_estate
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _submit(make_invite, assessment) -> tuple[int, float, str]:
    """Queries, server time and the owner's email text of one submit through the link."""
    link = make_invite(assessment=assessment)
    client = Client()
    assert client.get(link.url("review")).status_code == 200  # the contact's session
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.post(link.url("submit"))
        elapsed = time.perf_counter() - start
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return len(ctx.captured_queries), elapsed, mail.outbox[0].body


def test_a_submit_does_not_grow_with_the_sites(world, make_invite, monkeypatch, capsys):
    small = AssessmentFactory(customer=world.customer, owner=world.owner, title="Pilot")
    large = AssessmentFactory(customer=world.customer, owner=world.owner, title="Rollout")
    add_estate(small, 5)
    add_estate(large, 100, start=5)
    _submit(make_invite, AssessmentFactory(customer=world.customer, owner=world.owner))  # warm

    def no_scoring(*args, **kwargs):
        raise AssertionError("the submit scored the whole estate again")

    monkeypatch.setattr(engine_io, "score", no_scoring)
    queries_s, time_s, body_s = _submit(make_invite, small)
    queries_l, time_l, body_l = _submit(make_invite, large)
    with capsys.disabled():
        print(f"\nsubmit: 5 sites {time_s * 1000:.0f} ms, 100 sites {time_l * 1000:.0f} ms")
    # The email still tells the owner what was submitted, from the stored results.
    assert "5 sites." in body_s and "100 sites." in body_l
    assert "Recommendation: " in body_l
    assert queries_l == queries_s
    # Loose (one submit each, on a busy machine): scoring again is caught above.
    assert time_l < 3 * time_s
