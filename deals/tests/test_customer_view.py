"""The pipeline and the deal page show how the customer read each proposal, and the decision."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment
from proposals.models import (
    DecisionKind,
    Proposal,
    ProposalDecision,
    ProposalLink,
    hash_link_token,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PIPELINE = reverse("assessments:pipeline")
CSV_URL = reverse("assessments:pipeline-csv")
SHA = "ab" * 32


def _issued(world, name: str, *, opens: int = 0, decisions=(), versions: int = 1):
    """An assessment with ``versions`` issued, a link to the last opened ``opens`` times."""
    customer = CustomerFactory(organisation=world.org, name=name)
    assessment = Assessment.objects.create(
        organisation=world.org, customer=customer, title="Rollout", owner=world.owner
    )
    now = timezone.now()
    for number in range(1, versions + 1):
        proposal = Proposal.objects.create(
            organisation=world.org,
            assessment=assessment,
            number=number,
            customer_name=name,
            document={},
            results={},
            ruleset_version="test",
            branding={},
            issued_by=world.manager,
            issued_by_name="Maria Moss",
            issued_at=now - timedelta(days=10 - number),
            sha256=SHA,
        )
    link = ProposalLink.objects.create(
        organisation=world.org,
        proposal=proposal,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        expires_at=now + timedelta(days=30),
        token_hash=hash_link_token(f"{name}-token"),
        open_count=opens,
        first_opened_at=now - timedelta(days=3) if opens else None,
        last_opened_at=now if opens else None,
    )
    for i, (kind, who) in enumerate(decisions):
        ProposalDecision.objects.create(
            organisation=world.org,
            proposal=proposal,
            link=link,
            kind=kind,
            full_name=who,
            title="CIO",
            comment="Add Lyon." if kind == DecisionKind.CHANGES else "",
            proposal_number=proposal.number,
            sha256=SHA,
            decided_at=now - timedelta(days=2 - i),
        )
    return assessment


def _row(page, name):
    return next(a for a in page.context["page"].object_list if a.customer.name == name)


def test_the_pipeline_shows_opens_and_the_latest_decision(world, login):
    _issued(world, "Unread")
    _issued(world, "Read", opens=4)
    _issued(world, "Asked", opens=2, decisions=[(DecisionKind.CHANGES, "Priya Patel")])
    _issued(
        world,
        "Agreed",
        opens=6,
        versions=2,
        decisions=[(DecisionKind.CHANGES, "Priya Patel"), (DecisionKind.ACCEPTED, "Jon Berg")],
    )
    page = login(world.manager).get(PIPELINE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Customer&#x27;s view" in body

    assert (_row(page, "Unread").viewed_first, _row(page, "Unread").viewed_opens) == (None, 0)
    read = _row(page, "Read")
    assert read.viewed_opens == 4 and read.viewed_first is not None
    assert _row(page, "Asked").decision_kind == DecisionKind.CHANGES
    agreed = _row(page, "Agreed")
    assert (agreed.decision_kind, agreed.decision_name, agreed.decision_number) == (
        DecisionKind.ACCEPTED,
        "Jon Berg",
        2,
    )
    assert "4 opens, first" in body and "Shared, not opened yet" in body
    assert "Changes asked" in body and "v2</span>" in body and "Jon Berg, CIO · " in body

    # Sorted by when they decided, latest first: the acceptance, then the request.
    rows = login(world.manager).get(PIPELINE, {"sort": "-decision"}).context["page"].object_list
    assert [a.customer.name for a in rows][:2] == ["Agreed", "Asked"]


def test_the_csv_carries_opens_and_decisions(world, login):
    _issued(world, "Agreed", opens=3, decisions=[(DecisionKind.ACCEPTED, "Jon Berg")])
    _issued(world, "Unread")
    text = b"".join(login(world.manager).get(CSV_URL).streaming_content).decode()
    table = {r["Customer"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    agreed = table["Agreed"]
    today = timezone.now().date()
    assert agreed["Opens"] == "3"
    assert agreed["First opened"] == (today - timedelta(days=3)).isoformat()
    assert (agreed["Decision"], agreed["Decided by"], agreed["Version decided"]) == (
        "Accepted",
        "Jon Berg, CIO",
        "1",
    )
    assert agreed["Decided on"] == (today - timedelta(days=2)).isoformat()
    unread = table["Unread"]
    assert (unread["Opens"], unread["First opened"], unread["Decision"]) == ("0", "", "")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [PIPELINE, CSV_URL])
def test_the_query_count_does_not_grow_with_deals(world, login, url):
    client = login(world.manager)
    _issued(world, "First", opens=1, decisions=[(DecisionKind.ACCEPTED, "Jon Berg")])
    _queries(client, url)  # the first request of a session warms its caches
    few = _queries(client, url)
    for i in range(12):
        _issued(world, f"More {i}", opens=i, decisions=[(DecisionKind.CHANGES, "Priya Patel")])
    assert _queries(client, url) == few


def test_the_deal_page_shows_the_customers_view(world, login):
    agreed = _issued(world, "Agreed", opens=5, decisions=[(DecisionKind.ACCEPTED, "Jon Berg")])
    client = login(world.manager)
    body = client.get(reverse("deals:deal", args=[agreed.pk])).content.decode()
    assert "The customer&#x27;s view" in body or "The customer's view" in body
    assert "5 opens, first" in body and "Accepted" in body and "Jon Berg, CIO" in body
    fresh = client.get(reverse("deals:deal", args=[world.assessment.pk])).content.decode()
    assert "Not shared yet" in fresh
