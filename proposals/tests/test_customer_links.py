"""Customer links to an issued proposal: the web view, the same PDF bytes, acceptance, tracking."""

import hashlib
import logging
import re
from datetime import timedelta

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Change, Site
from assessments.services.versioning import Actor
from invites import services as invites
from invites.models import InviteSection
from proposals import links, services
from proposals.models import DecisionKind, ProposalDecision, ProposalLink

LINK = re.compile(r"https?://[^\s\"<]+/p/([A-Za-z0-9_-]{43})/")


def share(client, user, assessment, *, name="Priya Patel", email="priya@contoso.example"):
    """Share the latest version through the proposal page as ``user``; the raw token."""
    client.force_login(user)
    version = assessment.proposals.order_by("-number").first().number
    response = client.post(
        reverse("proposals:proposal-link-create", args=[assessment.pk]),
        {"version": version, "contact_name": name, "email": email, "valid_days": 30},
    )
    assert response.status_code == 200, response.content[-2000:]
    return LINK.search(response.content.decode()).group(1)


def page(token, name="view"):
    return reverse(f"proposal-link:{name}", args=[token])


def accept(customer: Client, token, *, statement=None, name="Priya Patel", title="CIO"):
    if statement is None:
        statement = customer.get(page(token) + "?decided=1").context["statement"]
    return customer.post(
        page(token, "decide"),
        {
            "kind": "accepted",
            "full_name": name,
            "title": title,
            "agree": "on",
            "statement": statement,
        },
    )


_RENDERED: dict = {}


@pytest.fixture(autouse=True)
def render_once(monkeypatch):
    """One real render per run: every version issued here stores those same PDF bytes.

    What is tested is what happens to stored bytes (served, hashed, bound to a decision),
    not the document's text; rendering each version again would only cost time.
    """
    real = services.render_bounded

    def cached(snapshot, *, draft=False):
        if "pdf" not in _RENDERED:
            _RENDERED["pdf"] = real(snapshot, draft=draft)
        return _RENDERED["pdf"]

    monkeypatch.setattr(services, "render_bounded", cached)


@pytest.fixture
def issued(world, issue):
    """Version 1 of Contoso's proposal, issued and rendered."""
    return issue(world.manager, world.assessment)


@pytest.fixture
def token(client, world, issued):
    return share(client, world.manager, world.assessment)


@pytest.fixture
def customer():
    """A browser with no staff session: the contact who got the link."""
    return Client()


def test_the_link_is_shown_once_and_never_stored_in_clear(client, world, issued):
    raw = share(client, world.manager, world.assessment)
    link = ProposalLink.objects.get()
    assert link.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert link.proposal == issued and link.contact_name == "Priya Patel"
    Client().get(page(raw))  # opened once, so the counts are written too
    # Nowhere in the database: every row of every table, the log and sessions included.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            assert raw not in repr(cursor.fetchall()), table
    again = client.get(reverse("proposals:proposal", args=[world.assessment.pk]))
    assert raw not in again.content.decode()
    assert "Priya Patel" in again.content.decode()


def test_the_page_shows_the_issued_snapshot_not_todays_answers(world, issued, token, customer):
    Site.objects.filter(pk=world.hq.pk).update(name="Munich HQ")
    world.org.company_name = "Rebranded Partner"
    world.org.save()

    response = customer.get(page(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Stuttgart HQ" in body and "Munich HQ" not in body
    assert issued.results["recommendation"]["label"] in body
    assert "Northwind Voice Ltd" in body and "Rebranded Partner" not in body
    for heading in ("Executive summary", "Network readiness", "What IT owns", "Next steps"):
        assert heading in body
    assert page(token, "download") in body
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_pdf_through_the_link_is_the_issued_bytes_before_and_after_acceptance(
    client, world, issued, token, customer
):
    staff = client.get(reverse("proposals:proposal-download", args=[world.assessment.pk]))
    before = customer.get(page(token, "download"))
    assert before.status_code == 200
    assert before["Content-Type"] == "application/pdf"
    assert before.content == staff.content
    assert hashlib.sha256(before.content).hexdigest() == issued.sha256

    assert accept(customer, token).status_code == 302
    after = customer.get(page(token, "download"))
    assert after.content == before.content
    issued.refresh_from_db()
    assert hashlib.sha256(after.content).hexdigest() == issued.sha256


def test_acceptance_is_recorded_once_and_bound_to_the_documents_hash(
    client, world, issued, token, customer
):
    statement = customer.get(page(token)).context["statement"]
    assert issued.sha256 in statement and "version 1" in statement

    response = accept(customer, token, statement=statement)
    assert response.status_code == 302 and response["Location"].endswith("?decided=1")
    decision = ProposalDecision.objects.get()
    assert decision.kind == DecisionKind.ACCEPTED
    assert decision.sha256 == issued.sha256 and decision.proposal_number == 1
    assert decision.statement == statement  # the words shown, verbatim
    assert (decision.full_name, decision.title) == ("Priya Patel", "CIO")
    shown = customer.get(page(token) + "?decided=1").content.decode()
    assert "Accepted</strong> by Priya Patel, CIO" in shown
    assert "Accept version 1" not in shown  # no second form

    again = accept(customer, token, statement=statement, name="Someone Else")
    assert again.status_code == 409
    assert "already accepted by Priya Patel" in again.content.decode()
    # Nor through a second contact's link to the same version.
    other = share(client, world.manager, world.assessment, name="Sam Lee", email="s@c.example")
    assert accept(Client(), other, statement=statement).status_code == 409
    assert ProposalDecision.objects.count() == 1

    # The record itself cannot be changed or removed.
    decision.full_name = "Forged"
    with pytest.raises(ValidationError):
        decision.save()
    with pytest.raises(ValidationError):
        ProposalDecision.objects.update(full_name="Forged")
    with pytest.raises(ValidationError):
        ProposalDecision.objects.all().delete()
    assert Change.objects.filter(action="accept", assessment=world.assessment).count() == 1


def test_a_superseded_version_cannot_be_accepted(world, issued, token, customer, issue):
    statement = customer.get(page(token)).context["statement"]
    issue(world.manager, world.assessment)  # version 2

    response = accept(customer, token, statement=statement)
    assert response.status_code == 409
    assert "replaced by version 2" in response.content.decode()
    assert not ProposalDecision.objects.exists()
    body = customer.get(page(token)).content.decode()
    assert "A newer version of this proposal (version 2)" in body
    assert "Accept version 1" not in body
    # It still downloads as issued.
    download = customer.get(page(token, "download"))
    assert hashlib.sha256(download.content).hexdigest() == issued.sha256


def test_an_acceptance_of_a_statement_not_shown_is_refused(token, customer):
    response = accept(customer, token, statement="I accept whatever you like.")
    assert response.status_code == 409
    assert "not the one this version shows" in response.content.decode()
    missing_tick = customer.post(
        page(token, "decide"),
        {"kind": "accepted", "full_name": "Priya Patel", "title": "CIO", "statement": "x"},
    )
    assert missing_tick.status_code == 400
    assert "Tick the box to accept the statement." in missing_tick.content.decode()
    assert not ProposalDecision.objects.exists()


def test_asking_for_changes_is_recorded_and_the_partner_sees_it(client, world, token, customer):
    blank = customer.post(page(token, "decide"), {"kind": "changes", "full_name": "Priya Patel"})
    assert blank.status_code == 400
    assert "Say what you would like changed." in blank.content.decode()

    response = customer.post(
        page(token, "decide"),
        {"kind": "changes", "full_name": "Priya Patel", "comment": "Add the Lyon warehouse."},
    )
    assert response.status_code == 302
    decision = ProposalDecision.objects.get()
    assert decision.kind == DecisionKind.CHANGES and decision.comment == "Add the Lyon warehouse."
    assert "Add the Lyon warehouse." in customer.get(page(token)).content.decode()

    staff = client.get(reverse("proposals:proposal", args=[world.assessment.pk])).content.decode()
    assert "Changes asked" in staff and "Add the Lyon warehouse." in staff
    # Asking for changes does not use up the acceptance.
    assert accept(customer, token).status_code == 302


def _heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_revoked_or_expired_link_answers_like_a_revoked_invite(
    how, client, world, token, customer
):
    world.assessment.refresh_from_db()  # issued now: the invite leaves its status alone
    invite = invites.invite_create(
        assessment=world.assessment, contact_name="Ina", email="ina@contoso.example",
        sections=list(InviteSection.values), expires_at=timezone.now() + timedelta(days=3),
        actor=Actor.for_user(world.owner), send=False,
    )  # fmt: skip
    invites.invite_revoke(invite=invite.invite, actor=Actor.for_user(world.owner))
    dead_invite = customer.get(reverse("invite:start", args=[invite.token]))

    link = ProposalLink.objects.get()
    if how == "revoked":
        response = client.post(
            reverse("proposals:proposal-link-revoke", args=[world.assessment.pk]),
            {"link": link.pk, "confirmed": "yes"},
        )
        assert response.status_code == 302
    else:
        ProposalLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())

    for name in ("view", "download"):
        dead = customer.get(page(token, name))
        assert dead.status_code == dead_invite.status_code == 404
        assert _heading(dead) == _heading(dead_invite)
        assert dead["Cache-Control"] == dead_invite["Cache-Control"] == "no-store"
        body = dead.content.decode()
        assert "Ask Northwind Voice Ltd for a new one" in body
        assert "Stuttgart HQ" not in body and issued_label(link) not in body
    assert accept(customer, token, statement="x").status_code == 404
    assert not ProposalDecision.objects.exists()


def issued_label(link) -> str:
    return link.proposal.results["recommendation"]["summary"]


def test_an_unknown_link_names_no_partner_and_counts_against_the_client(customer, token):
    caches["throttle"].clear()
    made_up = invites.new_token()
    response = customer.get(page(made_up))
    assert response.status_code == 404
    assert "Ask your contact for a new one." in response.content.decode()
    assert "Northwind" not in response.content.decode()
    for _ in range(25):
        customer.get(page(invites.new_token()))
    assert customer.get(page(token)).status_code == 429  # even the good link, for a while
    caches["throttle"].clear()


def test_opens_are_counted_per_link_without_the_visitors_address(client, world, token):
    other = share(client, world.manager, world.assessment, name="Sam Lee", email="s@c.example")
    start = timezone.now()
    for _ in range(3):
        assert Client(REMOTE_ADDR="203.0.113.77").get(page(token)).status_code == 200
    Client().get(page(other))
    Client().get(page(token) + "?decided=1")  # back from a decision: not a new open
    Client().get(page(token, "download"))  # a download is not a page open

    first = ProposalLink.objects.get(contact_name="Priya Patel")
    second = ProposalLink.objects.get(contact_name="Sam Lee")
    assert (first.open_count, second.open_count) == (3, 1)
    assert start <= first.first_opened_at <= first.last_opened_at <= timezone.now()
    stored = repr(list(ProposalLink.objects.values()))
    assert "203.0.113" not in stored

    staff = client.get(reverse("proposals:proposal", args=[world.assessment.pk])).content.decode()
    assert "<strong>3</strong> opens" in staff and "<strong>1</strong> open" in staff


def test_only_the_owner_or_a_manager_shares_and_revokes(client, world, issued, login):
    url = reverse("proposals:proposal-link-create", args=[world.assessment.pk])
    form = {"version": 1, "contact_name": "Priya", "email": "p@c.example", "valid_days": 7}
    assert login(world.teammate).post(url, form).status_code == 403
    assert login(world.owner).post(url, form).status_code == 200
    link = ProposalLink.objects.get()
    revoke = reverse("proposals:proposal-link-revoke", args=[world.assessment.pk])
    refused = login(world.teammate).post(revoke, {"link": link.pk, "confirmed": "yes"})
    assert refused.status_code == 403
    # Asked first: without the confirmation the page asks, and the link still works.
    asked = login(world.manager).post(revoke, {"link": link.pk})
    assert asked.status_code == 200 and "Revoke the link of Priya?" in asked.content.decode()
    link.refresh_from_db()
    assert link.is_active


def test_another_organisation_can_neither_see_nor_revoke_the_links(client, world, token, login):
    link = ProposalLink.objects.get()
    outsider = login(world.outsider)
    page_url = reverse("proposals:proposal", args=[world.assessment.pk])
    assert outsider.get(page_url).status_code == 404
    # Through their own assessment's URL, the link of another organisation is not found.
    revoke = reverse("proposals:proposal-link-revoke", args=[world.other_assessment.pk])
    assert outsider.post(revoke, {"link": link.pk, "confirmed": "yes"}).status_code == 404
    revoke_a = reverse("proposals:proposal-link-revoke", args=[world.assessment.pk])
    assert outsider.post(revoke_a, {"link": link.pk, "confirmed": "yes"}).status_code == 404
    link.refresh_from_db()
    assert link.is_active
    assert not links.links_of(assessment=world.assessment, user=world.outsider).exists()
    assert links.links_of(assessment=world.assessment, user=world.teammate).count() == 1


def test_a_version_not_ready_or_replaced_cannot_be_shared(client, world, issued, issue, login):
    issue(world.manager, world.assessment)  # version 2
    url = reverse("proposals:proposal-link-create", args=[world.assessment.pk])
    form = {"version": 1, "contact_name": "Priya", "email": "p@c.example", "valid_days": 7}
    response = login(world.manager).post(url, form)
    assert response.status_code == 400
    assert "replaced by version 2" in response.content.decode()
    assert not ProposalLink.objects.exists()


def test_the_token_never_reaches_the_logs(client, world, issued, caplog):
    handler = next(h for h in logging.getLogger().handlers if h.filters)  # the console's
    caplog.set_level(logging.DEBUG)
    token = share(client, world.manager, world.assessment)
    customer = Client()
    customer.get(page(token))
    customer.get(page(token, "download"))
    accept(customer, token)
    client.post(
        reverse("proposals:proposal-link-revoke", args=[world.assessment.pk]),
        {"link": ProposalLink.objects.get().pk, "confirmed": "yes"},
    )
    customer.get(page(token))  # a dead link: Django logs "Not Found" with the path

    paths = [r for r in caplog.records if "/p/" in r.getMessage()]
    assert paths, "the requests were logged with their paths"
    for record in caplog.records:
        for log_filter in handler.filters:
            log_filter.filter(record)
        line = handler.format(record)
        assert token not in line, line
        assert token not in record.getMessage()
        assert token not in str(getattr(record, "path", ""))
