"""Abuse: bad tokens are rate-limited per client; links never reach another assessment or staff."""

import time

from django.test import Client
from django.urls import reverse

import pytest

from assessments.models import Site
from invites.access import BAD_TOKEN_LIMIT
from invites.models import Invite
from invites.services import new_token

pytestmark = pytest.mark.django_db


def test_repeated_bad_tokens_from_one_client_are_rate_limited(link):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(BAD_TOKEN_LIMIT):
        assert attacker.get(reverse("invite:start", args=[new_token()])).status_code == 404
    blocked = attacker.get(reverse("invite:start", args=[new_token()]))
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Too many links" in blocked.content.decode()
    # While blocked, even a good token does not answer: guesses cannot be confirmed.
    assert attacker.get(link.url("start")).status_code == 429
    # Another client is not affected.
    assert Client(REMOTE_ADDR="198.51.100.2").get(link.url("start")).status_code == 200


def test_good_tokens_do_not_count_towards_the_limit(link):
    contact = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(BAD_TOKEN_LIMIT + 5):
        assert contact.get(link.url("sites")).status_code == 200


def test_the_limit_is_shared_through_the_database_cache(link):
    from django.core.cache import caches

    assert caches["throttle"].__class__.__name__ == "DatabaseCache"
    Client(REMOTE_ADDR="203.0.113.9").get(reverse("invite:start", args=["nope"]))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portal_cache")
        assert cursor.fetchone()[0] == 1


def test_an_invite_never_opens_a_site_of_another_assessment(client, link, world):
    stray = world.other_site
    for name in ("site-update", "measurements-site"):
        assert client.get(link.url(name, stray.pk)).status_code == 404
    for name in ("site-autosave", "site-delete", "measurement-figures"):
        assert client.post(link.url(name, stray.pk), {"version": stray.version}).status_code == 404
    assert Site.objects.filter(pk=stray.pk, version=stray.version).exists()


def test_an_invite_of_another_organisation_opens_only_its_own_assessment(make_invite, world):
    theirs = make_invite(assessment=world.other_assessment, name="Tailspin Contact")
    text = Client().get(theirs.url("start")).content.decode()
    assert "Tailspin Insurance" in text
    assert "Contoso" not in text
    assert Client().get(theirs.url("site-update", world.hq.pk)).status_code == 404


def test_a_link_never_reaches_staff_pages(client, link, world):
    client.get(link.url("start"))
    for url in (
        reverse("assessments:dashboard"),
        reverse("assessments:assessment-detail", args=[world.assessment.pk]),
        reverse("invites:invites", args=[world.assessment.pk]),
        reverse("assessments:activity", args=[world.assessment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # The token is not accepted by staff URLs either.
    response = client.get(
        reverse("assessments:assessment-detail", args=[world.assessment.pk]),
        HTTP_AUTHORIZATION=f"Bearer {link.token}",
    )
    assert response.status_code == 302


def test_an_outsider_cannot_see_or_revoke_our_invites(login, link, world):
    outsider = login(world.outsider)
    page = outsider.get(reverse("invites:invites", args=[world.assessment.pk]))
    assert page.status_code == 404
    # Naming our invite under their own assessment finds nothing either.
    response = outsider.post(
        reverse("invites:invite-revoke", args=[world.other_assessment.pk]),
        {"invite": link.invite.pk},
    )
    assert response.status_code == 404
    resend = outsider.post(
        reverse("invites:invite-resend", args=[world.other_assessment.pk]),
        {"invite": link.invite.pk},
    )
    assert resend.status_code == 404
    assert Invite.objects.get(pk=link.invite.pk).revoked_at is None


def test_every_invite_form_carries_a_csrf_token(link, world):
    contact = Client(enforce_csrf_checks=True)
    page = contact.get(link.url("organisation")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert contact.post(link.url("submit")).status_code == 403
    world.assessment.refresh_from_db()
    assert world.assessment.status != "submitted"


@pytest.fixture
def invitee_client(link):
    """A browser that has opened an invite link (and holds whatever cookies that gave it)."""
    browser = Client()
    assert browser.get(link.url("organisation")).status_code == 200
    return browser


def test_an_invitee_reaches_no_staff_url(world, invitee_client):
    """The tenancy matrix's "invitee" row: every staff URL answers as to anyone anonymous."""
    from tests.test_tenancy import STAFF_NAMES, is_post_only, url_for

    for name in STAFF_NAMES:
        url = url_for(name, world)
        post_only = is_post_only(name, world)
        for method in ("get", "post"):
            response = getattr(invitee_client, method)(url)
            if method == "get" and post_only:
                assert response.status_code == 405, url
                continue
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("view", ["site-create", "site-update", "site-autosave"])
def test_a_site_post_claiming_a_thousand_lines_is_refused_fast(client, link, world, view):
    from invites.tests.test_sites_and_measurements import _site_post

    site = Site(assessment=world.assessment) if view == "site-create" else world.hq
    data = _site_post(site, name="Flood" if view == "site-create" else "Stuttgart HQ")
    data["circuits-TOTAL_FORMS"] = "1012"
    args = [] if view == "site-create" else [world.hq.pk]
    started = time.perf_counter()
    response = client.post(link.url(view, *args), data)
    elapsed = time.perf_counter() - started
    assert elapsed < 2 and len(response.content) < 300_000, (elapsed, len(response.content))
    assert response.status_code in (200, 400)
    assert "at most 12 internet lines" in response.content.decode()
    assert not Site.objects.filter(name="Flood").exists()
    world.hq.refresh_from_db()
    assert world.hq.version == 1
